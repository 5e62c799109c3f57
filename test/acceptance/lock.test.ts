/**
 * Acceptance: issue 14 point 1, "everything that changes a cluster is in Git". A locked mesh
 * renders byte-identical under the shipped catalog and under a newer one (a copy of catalog/
 * with a newer default patch and a flipped behaviour switch); `diff` across the two catalogs
 * names the patch change for an unlocked mesh; `upgrade patch` makes the PR-ready edit (golden);
 * the lock round-trips; a pin past its end of support or unknown to the catalog fails closed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadCatalog, loadCatalogFrom, type Catalog } from '../../src/catalog/catalog.js';
import { render } from '../../src/pipeline/render.js';
import { findLock } from '../../src/lock/lock-file.js';
import { emitYaml } from '../../src/pipeline/emit.js';
import { parseSourceFile, readSourceTree } from '../../src/pipeline/load.js';
import { REPO_ROOT, runCli, type CliResult } from '../helpers/cli.js';
import { assertGolden } from '../helpers/golden-file.js';

const CASES = path.join(REPO_ROOT, 'test', 'cases', 'lock');
const NOW = '2026-12-01';
const env = { KUBE_VERSION: undefined };
const temps: string[] = [];
let newerCatalog: string;

async function temp(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `meshplane-lock-${prefix}-`));
  temps.push(dir);
  return dir;
}

async function copyCase(name: string): Promise<string> {
  const dir = await temp(name);
  await cp(path.join(CASES, name), dir, { recursive: true });
  return dir;
}

const run = (args: string[], cwd?: string): Promise<CliResult> => runCli(args, { env, ...(cwd ? { cwd } : {}) });

/** The catalog/ of a pretend next Meshplane: asm-1-30 gains patch 1.30.3-1 (now its default) and its node-affinity weights flip back. */
async function makeNewerCatalog(): Promise<string> {
  const dir = await temp('catalog');
  await cp(path.join(REPO_ROOT, 'catalog'), dir, { recursive: true });
  const file = path.join(dir, 'revisions.yaml');
  const text = await readFile(file, 'utf8');
  const next = text
    .replace('    istio: 1.30.2-2\n', '    istio: 1.30.3-1\n')
    .replace(/( {6}- \{version: 1\.30\.2-2,[^\n]*\n)/, '$1      - {version: 1.30.3-1, released: 2026-08-20, upstream: 1.30.3, upstreamTagged: 2026-07-16}\n')
    .replace('preferredNodeWeightFirst: {since: 30}', 'preferredNodeWeightFirst: {since: 31}');
  assert.notEqual(next, text);
  await writeFile(file, next);
  const cat = loadCatalogFrom(dir);
  assert.equal(cat.revisions.find((r) => r.name === 'asm-1-30')?.istio, '1.30.3-1', 'the newer catalog moved the default patch');
  return dir;
}

async function renderDir(dir: string, catalog: Catalog): Promise<{ yaml: string; notices: string[] }> {
  const result = await render({ files: await readSourceTree(dir), env: { now: new Date(`${NOW}T12:00:00Z`) }, catalog });
  return { yaml: emitYaml(result.objects.map((o) => o.object)), notices: result.notices.map((n) => n.message) };
}

before(async () => {
  newerCatalog = await makeNewerCatalog();
});
after(async () => Promise.all(temps.map((t) => rm(t, { recursive: true, force: true }))));

describe('a locked mesh under two catalogs', () => {
  it('renders byte-identical, and says a newer patch exists', async () => {
    const shipped = await renderDir(path.join(CASES, 'locked'), loadCatalog());
    const newer = await renderDir(path.join(CASES, 'locked'), loadCatalogFrom(newerCatalog));
    assert.equal(newer.yaml, shipped.yaml);
    assert.match(shipped.yaml, /pilot:1\.30\.2-2-distroless/);
    assert.ok(newer.notices.some((m) => /locked to Istio 1\.30\.2-2; .*newer patch, newest 1\.30\.3-1/.test(m)), newer.notices.join('\n'));
    assert.ok(!shipped.notices.some((m) => /newer patch/.test(m)), shipped.notices.join('\n'));
  });

  it('the same mesh without its lock does change under the newer catalog (so the first test can fail)', async () => {
    const dir = await copyCase('locked');
    await unlink(path.join(dir, 'meshplane.lock.yaml'));
    const shipped = await renderDir(dir, loadCatalog());
    const newer = await renderDir(dir, loadCatalogFrom(newerCatalog));
    assert.notEqual(newer.yaml, shipped.yaml);
    assert.match(newer.yaml, /pilot:1\.30\.3-1-distroless/);
    assert.ok(shipped.notices.some((m) => /has no meshplane\.lock\.yaml.*meshplane lock/.test(m)));
  });

  it('generate prints the same bytes as the unlocked example under the shipped catalog (which suggests `meshplane lock` with --verbose)', async () => {
    const locked = await run(['generate', path.join(CASES, 'locked'), '--now', NOW]);
    const example = await run(['generate', path.join(REPO_ROOT, 'examples', 'single-revision'), '--now', NOW, '--verbose']);
    assert.equal(locked.code, 0, locked.stderr);
    assert.equal(locked.stdout, example.stdout);
    assert.doesNotMatch(locked.stderr, /no meshplane\.lock\.yaml/);
    assert.match(example.stderr, /no meshplane\.lock\.yaml/);
  });
});

describe('diff across catalogs', () => {
  it('a locked mesh: no change', async () => {
    const r = await run(['diff', '--base', path.join(CASES, 'locked'), '--head-catalog', newerCatalog, '--now', NOW]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^0 added, 0 removed, 0 changed/m);
    assert.doesNotMatch(r.stdout, /Istio patch:/);
  });

  it('an unlocked mesh: lists the patch and image change (text, markdown, json)', async () => {
    const dir = await copyCase('locked');
    await unlink(path.join(dir, 'meshplane.lock.yaml'));
    const text = await run(['diff', '--base', dir, '--head-catalog', newerCatalog, '--now', NOW]);
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, /^Istio patch: asm-1-30 1\.30\.2-2 → 1\.30\.3-1 \(images 1\.30\.2-2-distroless → 1\.30\.3-1-distroless\)$/m);
    assert.match(text.stdout, /^ {4}- +image: mcr\.microsoft\.com\/oss\/istio\/pilot:1\.30\.2-2-distroless$/m);
    assert.match(text.stdout, /^ {4}\+ +image: mcr\.microsoft\.com\/oss\/istio\/pilot:1\.30\.3-1-distroless$/m);
    const md = await run(['diff', '--base', dir, '--head-catalog', newerCatalog, '--now', NOW, '--output', 'markdown']);
    assert.match(md.stdout, /\*\*Istio patch: asm-1-30 1\.30\.2-2 → 1\.30\.3-1/);
    const json = JSON.parse((await run(['diff', '--base', dir, '--head-catalog', newerCatalog, '--now', NOW, '--output', 'json'])).stdout) as { patches: unknown };
    assert.deepEqual(json.patches, [{ revision: 'asm-1-30', base: '1.30.2-2', head: '1.30.3-1' }]);
  });

  it('--base-catalog is the same comparison from the other side (the running Meshplane is the head)', async () => {
    const dir = await copyCase('locked');
    await unlink(path.join(dir, 'meshplane.lock.yaml'));
    const r = await run(['diff', '--head', dir, '--base-catalog', newerCatalog, '--now', NOW]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^Istio patch: asm-1-30 1\.30\.3-1 → 1\.30\.2-2/m);
  });

  it('an unreadable --base-catalog is a usage error with nothing on stdout', async () => {
    const r = await run(['diff', '--head', path.join(CASES, 'locked'), '--base-catalog', path.join(CASES, 'no-such-folder')]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /--base-catalog .*no-such-folder[\s\S]*fix:/);
  });
});

describe('meshplane upgrade patch', () => {
  it('bumps each pinned revision with a minimal edit and prints the PR text (golden)', async () => {
    const dir = await copyCase('patch');
    const before = await readFile(path.join(dir, 'meshplane.lock.yaml'), 'utf8');
    const r = await run(['upgrade', 'patch', '.'], dir);
    assert.equal(r.code, 0, r.stderr);
    const afterText = await readFile(path.join(dir, 'meshplane.lock.yaml'), 'utf8');
    assertGolden('test/golden/lock/patch.meshplane.lock.yaml', afterText);
    assertGolden('test/golden/lock/patch.pr.md', r.stdout);
    const changed = before.split('\n').filter((l, i) => l !== afterText.split('\n')[i]);
    assert.deepEqual(changed, ['    istio: "1.28.6-1"  # held back: see the platform team\'s ticket', '    istio: "1.29.2-1"', before.split('\n').find((l) => l.startsWith('digest: '))]);
    const render = await run(['generate', '.', '--now', '2026-08-01'], dir);
    assert.equal(render.code, 0, render.stderr);
    assert.doesNotMatch(render.stderr, /newer patch|digest/);
    const again = await run(['upgrade', 'patch', '.', '--output', 'json'], dir);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual((JSON.parse(again.stdout) as { bumps: unknown[] }).bumps, []);
  });

  it('--dry-run -o json prints the PR and writes nothing', async () => {
    const dir = await copyCase('patch');
    const before = await readFile(path.join(dir, 'meshplane.lock.yaml'), 'utf8');
    const r = await run(['upgrade', 'patch', '.', '--dry-run', '--output', 'json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { title: string; written: boolean; bumps: Array<{ revision: string; to: string; skipped: string[] }> };
    assert.equal(doc.written, false);
    assert.equal(doc.title, 'mesh: bump Istio patches (asm-1-28 1.28.6-1 → 1.28.9-2, asm-1-29 1.29.2-1 → 1.29.5-2)');
    assert.deepEqual(doc.bumps.map((b) => [b.revision, b.to, b.skipped]), [['asm-1-28', '1.28.9-2', ['1.28.8']], ['asm-1-29', '1.29.5-2', ['1.29.4']]]);
    assert.equal(await readFile(path.join(dir, 'meshplane.lock.yaml'), 'utf8'), before);
  });

  it('without a lock: refused, nothing on stdout', async () => {
    const dir = await copyCase('locked');
    await unlink(path.join(dir, 'meshplane.lock.yaml'));
    const r = await run(['upgrade', 'patch', dir]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /does not exist[\s\S]*fix: run `meshplane lock/);
  });
});

describe('meshplane lock', () => {
  it('round trip: writes, re-reads identical, --check passes, a second run changes nothing', async () => {
    const dir = await copyCase('locked');
    const committed = await readFile(path.join(dir, 'meshplane.lock.yaml'), 'utf8');
    await unlink(path.join(dir, 'meshplane.lock.yaml'));
    const missing = await run(['lock', dir, '--check']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, '');
    assert.match(missing.stderr, /does not exist[\s\S]*fix: run `meshplane lock/);
    const wrote = await run(['lock', dir]);
    assert.equal(wrote.code, 0, wrote.stderr);
    assert.equal(wrote.stdout, '');
    const text = await readFile(path.join(dir, 'meshplane.lock.yaml'), 'utf8');
    assert.equal(text, committed);
    const found = findLock(parseSourceFile({ path: 'meshplane.lock.yaml', text }));
    assert.equal(found?.lock.revisions['asm-1-30']?.istio, '1.30.2-2');
    const check = await run(['lock', dir, '--check']);
    assert.equal(check.code, 0, check.stderr);
    assert.match((await run(['lock', dir])).stderr, /up to date/);
    assert.equal(await readFile(path.join(dir, 'meshplane.lock.yaml'), 'utf8'), text);
  });

  it('keeps an older pin and only refreshes the digest; --update re-pins', async () => {
    const dir = await copyCase('patch');
    const r = await run(['lock', '.'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(await readFile(path.join(dir, 'meshplane.lock.yaml'), 'utf8'), /istio: "1\.28\.6-1"/);
    const u = await run(['lock', '.', '--update'], dir);
    assert.equal(u.code, 0, u.stderr);
    assert.match(u.stderr, /asm-1-28: Istio 1\.28\.6-1 → 1\.28\.9-2/);
    assert.match(await readFile(path.join(dir, 'meshplane.lock.yaml'), 'utf8'), /istio: "1\.28\.9-2"/);
  });
});

describe('a pin the catalog cannot render fails closed', () => {
  async function lockedAt(revision: string, patch: string | undefined): Promise<string> {
    const dir = await copyCase('locked');
    const mesh = path.join(dir, 'mesh.yaml');
    await writeFile(mesh, (await readFile(mesh, 'utf8')).replace('[asm-1-30]', `[${revision}]`));
    await unlink(path.join(dir, 'meshplane.lock.yaml'));
    assert.equal((await run(['lock', dir])).code, 0);
    if (patch) {
      const file = path.join(dir, 'meshplane.lock.yaml');
      await writeFile(file, (await readFile(file, 'utf8')).replace(/istio: "[^"]+"/, `istio: "${patch}"`));
    }
    return dir;
  }

  it('past the locked patch\'s end of support (asm-1-26 ended 2026-04-30)', async () => {
    const dir = await lockedAt('asm-1-26', undefined);
    const ok = await run(['generate', dir, '--now', '2026-04-30']);
    assert.equal(ok.code, 0, ok.stderr);
    const r = await run(['generate', dir, '--now', '2026-05-01']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /meshplane\.lock\.yaml:9:5: .*asm-1-26 is locked to Istio 1\.26\.4, out of support since 2026-04-30/);
    assert.match(r.stderr, /meshplane upgrade plan/);
  });

  it('a patch this catalog does not have', async () => {
    const dir = await lockedAt('asm-1-30', '1.30.9-9');
    const r = await run(['generate', dir, '--now', NOW]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /meshplane\.lock\.yaml:9:5: .*asm-1-30 is locked to Istio 1\.30\.9-9, which this Meshplane's catalog does not have \(it knows 1\.30\.2-2\)/);
    assert.match(r.stderr, /meshplane upgrade patch/);
  });

  it('a lock that breaks the schema names the line', async () => {
    const dir = await lockedAt('asm-1-30', 'latest');
    const r = await run(['generate', dir, '--now', NOW]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /error\[lock-invalid\][\s\S]*meshplane\.lock\.yaml:9:\d+/);
  });
});
