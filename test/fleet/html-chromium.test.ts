/**
 * The fleet's HTML page in a real browser: Debian's chromium, headless. `--dump-dom` gives the DOM
 * as the browser built it (every cluster row, one timeline bar per installed revision, the today
 * line, and no element injected by a hostile folder name); `--screenshot` gives the picture,
 * checked for its size and for more than one colour. Skipped, loudly, only when chromium is not
 * installed (.ci/run installs it).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from '../helpers/cli.js';
import { colours, decodePng } from '../helpers/png.js';
import { fleetPlan, writeFleet, type FixtureCluster } from './fixture.js';

const CHROMIUM = ['chromium', 'chromium-browser'].find((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0);
const SKIP = CHROMIUM ? false : 'chromium is not installed: THE HTML PAGE IS NOT TESTED IN A BROWSER (install it with `apt-get install -y chromium`; .ci/run does)';
if (SKIP) process.stderr.write(`\n*** test/fleet/html-chromium: ${SKIP} ***\n\n`);

/**
 * Folder names that would act if printed raw: an unclosed <script> would swallow the rest of the
 * page, the others would add an element or an attribute. Linux file names cannot hold `/`, so no
 * closing tags.
 */
const HOSTILE = ['<script>alert(1)', '"><svg onload=alert(2)>', `<img src=x onerror=alert(3)>`, `it's "quoted" & <b>bold`];

/** The elements the page is made of; anything else in the DOM was injected. */
const ELEMENTS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'p', 'ul', 'li', 'div', 'span', 'svg', 'g', 'rect', 'line', 'text', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'br', 'small']);

/** The attributes the page sets. */
const ATTRIBUTES = new Set(['lang', 'charset', 'http-equiv', 'content', 'name', 'class', 'id', 'style', 'xmlns', 'width', 'height', 'viewbox', 'role', 'aria-label', 'data-cluster', 'data-status', 'data-revision', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'rx', 'colspan']);

/** Runs chromium headless with a private profile; its output and exit code. */
function chromium(profile: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('nice', ['-n', '10', CHROMIUM as string, '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--user-data-dir=${profile}`, ...args], { env: { ...process.env, HOME: profile }, encoding: 'utf8', timeout: 180_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the fleet HTML page in headless chromium', { skip: SKIP }, () => {
  const plan: FixtureCluster[] = [...fleetPlan(50), ...fleetPlan(HOSTILE.length).map((c, i) => ({ ...c, name: HOSTILE[i] as string }))];
  let work = '';
  let page = '';
  before(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'meshplane-fleet-html-'));
    const root = path.join(work, 'clusters');
    mkdirSync(root);
    writeFleet(root, plan);
    const r = await runCli(['fleet', root, '--now', '2026-12-02', '-o', 'html']);
    assert.equal(r.code, 1, r.stderr);
    page = path.join(work, 'fleet.html');
    writeFileSync(page, r.stdout);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('builds a DOM with every cluster row, one bar per revision, the today line, and nothing injected', () => {
    const r = chromium(path.join(work, 'profile-dom'), ['--dump-dom', pathToFileURL(page).href]);
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    const dom = r.stdout;
    assert.equal(dom.match(/<tr class="cluster"/g)?.length, plan.length, 'one row per cluster');
    assert.equal(dom.match(/<rect class="bar /g)?.length, plan.reduce((n, c) => n + c.revisions.length, 0), 'one bar per installed revision');
    assert.equal(dom.match(/<line id="today"/g)?.length, 1, 'the today line');
    const tags = new Set(Array.from(dom.matchAll(/<([a-zA-Z][\w-]*)/g), (m) => (m[1] as string).toLowerCase()));
    assert.deepEqual([...tags].filter((t) => !ELEMENTS.has(t)), [], 'no element the page does not make');
    assert.equal(dom.match(/<svg/g)?.length, 1, 'one svg: the timeline');
    const attributes = new Set(Array.from(dom.matchAll(/<[a-zA-Z][\w-]*((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/g), (m) => Array.from((m[1] as string).matchAll(/\s+([^\s=>]+)(?:="[^"]*")?/g), (a) => (a[1] as string).toLowerCase())).flat());
    assert.deepEqual([...attributes].filter((a) => !ATTRIBUTES.has(a)), [], 'no attribute the page does not set (e.g. an event handler)');
    assert.match(dom, /<\/table>\s*<\/body>/, 'the page is whole: nothing swallowed the end of it');
    for (const name of HOSTILE) {
      const text = name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      assert.ok(dom.includes(`<code>${text}</code>`), `${name} is shown as text in its row`);
    }
  });

  it('renders a 1280×900 screenshot that is not blank', () => {
    const shot = path.join(work, 'fleet.png');
    const r = chromium(path.join(work, 'profile-shot'), [`--screenshot=${shot}`, '--window-size=1280,900', pathToFileURL(page).href]);
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    const png = decodePng(readFileSync(shot));
    assert.deepEqual([png.width, png.height], [1280, 900]);
    const seen = colours(png);
    assert.ok(seen.size > 1, `more than one colour (got ${seen.size})`);
    // The today line (#0969da) and the past-end-of-life bars (#c62828) are drawn, within rounding.
    const near = (rgb: number) => [...seen].some((c) => Math.abs((c >> 16) - (rgb >> 16)) + Math.abs(((c >> 8) & 0xff) - ((rgb >> 8) & 0xff)) + Math.abs((c & 0xff) - (rgb & 0xff)) <= 12);
    assert.ok(near(0x0969da), 'the today line is visible');
    assert.ok(near(0xc62828), 'a past-end-of-life bar is visible');
  });
});
