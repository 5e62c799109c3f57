import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fleetReport, type FleetCluster, type RevisionWindow } from './report.js';
import { escapeHtml, timelineSvg } from './timeline.js';

describe('escapeHtml', () => {
  const cases: Array<[string, string]> = [
    ['plain', 'plain'],
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    [`"><img src=x onerror='a'>`, '&quot;&gt;&lt;img src=x onerror=&apos;a&apos;&gt;'],
    ['a & b &amp;', 'a &amp; b &amp;amp;'],
    ['line\nbreak', 'line&#10;break'],
  ];
  for (const [input, want] of cases) it(JSON.stringify(input), () => assert.equal(escapeHtml(input), want));
});

const win = (revision: string, released: string, endOfLife: string): RevisionWindow => ({ revision, istio: '1.x', released, endOfLife, endOfLifeEstimated: revision.endsWith('30'), status: 'supported', support: 'supported', vouched: true, vouchedUntil: null, tags: [] });
const line = (cluster: string, revisions: RevisionWindow[]): FleetCluster => ({ cluster, folder: cluster, status: 'ok', mesh: 'm', kubernetes: { version: '1.32', from: 'spec' }, revisions, danglingTags: [], upgrade: null, guardrails: null, error: null });

describe('timelineSvg', () => {
  const report = fleetReport('2026-12-02', false, [
    line('alpha', [win('asm-1-29', '2026-04-28', '2026-09-30'), win('asm-1-30', '2026-07-17', '2026-12-31')]),
    line(`"><img src=x onerror=alert(1)>`, [win('asm-1-30', '2026-07-17', '2026-12-31')]),
  ], [], null);
  const svg = timelineSvg(report);

  it('draws one bar per installed revision and one today line', () => {
    assert.equal(svg.match(/<rect class="bar /g)?.length, 3);
    assert.equal(svg.match(/id="today"/g)?.length, 1);
    assert.match(svg, /today 2026-12-02/);
  });

  it('places bars by date: a later release starts further right, the today line between', () => {
    const xs = [...svg.matchAll(/<rect class="bar [^"]*" data-revision="([^"]+)" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map((m) => ({ rev: m[1], x: Number(m[2]), w: Number(m[3]) }));
    const today = Number(/id="today" class="today" x1="([\d.]+)"/.exec(svg)?.[1]);
    const a29 = xs.find((b) => b.rev === 'asm-1-29');
    const a30 = xs.find((b) => b.rev === 'asm-1-30');
    assert.ok(a29 && a30);
    assert.ok(a29.x < a30.x, 'asm-1-30 was released after asm-1-29');
    assert.ok(a29.x + a29.w < today && today < a30.x + a30.w, 'asm-1-29 ended before today, asm-1-30 ends after');
  });

  it('escapes cluster names in text and attributes', () => {
    assert.doesNotMatch(svg, /<img/);
    assert.match(svg, /data-cluster="&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;"/);
  });

  it('is the same text for the same report', () => assert.equal(timelineSvg(report), svg));
});
