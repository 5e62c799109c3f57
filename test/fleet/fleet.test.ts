/**
 * `meshplane fleet` end to end over a generated fleet of 55 cluster folders (test/fleet/fixture.ts):
 * every cluster found, with the revisions and Kubernetes version that were written into it, the
 * verdicts the written mistakes must cause, every format, and the exit codes. Expectations come
 * from the fixture's plan and from catalog/revisions.yaml, never from an earlier report.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import type { FleetReport } from '../../src/fleet/report.js';
import { findRevision, loadCatalog } from '../../src/catalog/catalog.js';
import { catalogHorizon, supportUnvouched, vouchedUntilFor } from '../../src/catalog/horizon.js';
import { fleetPlan, writeFleet, type FixtureCluster } from './fixture.js';

/**
 * The date of the run, and the revisions past end of life on it. Why these two: catalog/revisions.yaml
 * gives asm-1-27 an end of life of 2026-05-31 and asm-1-28 one of 2026-08-31 (estimated), both
 * before 2026-12-02, and neither is one of the two newest released revisions (asm-1-29,
 * asm-1-30) that the support policy keeps supported.
 */
const NOW = '2026-12-02';
const ENDED = ['asm-1-27', 'asm-1-28'];

describe('meshplane fleet over 55 cluster folders', () => {
  const plan: FixtureCluster[] = fleetPlan(55);
  let root = '';
  let report: FleetReport;
  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'meshplane-fleet-'));
    writeFleet(root, plan);
    const r = await runCli(['fleet', root, '--now', NOW, '-o', 'json']);
    assert.equal(r.code, 1, r.stderr);
    report = JSON.parse(r.stdout) as FleetReport;
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('finds every cluster, named by its folder in both layouts', () => {
    assert.deepEqual(report.clusters.map((c) => c.cluster), plan.map((c) => c.name).sort());
    for (const c of plan) {
      const line = report.clusters.find((l) => l.cluster === c.name);
      assert.equal(line?.folder, c.layout === 'mesh-folder' ? `${c.name}/mesh` : c.name);
    }
  });

  it('reports the revisions and the Kubernetes version written into each cluster', () => {
    for (const c of plan) {
      const line = report.clusters.find((l) => l.cluster === c.name);
      assert.deepEqual(line?.revisions.map((r) => r.revision), c.revisions, c.name);
      assert.deepEqual(line?.kubernetes, { version: c.kubernetes, from: c.versionIn === 'spec' ? 'spec.cluster.kubernetesVersion' : `${c.name}/kubernetes-version` }, c.name);
    }
  });

  it('marks revisions past end of life, and fails the clusters with a forbidden kind', () => {
    for (const c of plan) {
      const line = report.clusters.find((l) => l.cluster === c.name);
      for (const r of line?.revisions ?? []) assert.equal(r.status === 'end-of-life', ENDED.includes(r.revision), `${c.name} ${r.revision}: ${r.status}`);
      if (c.forbidden) {
        assert.equal(line?.status, 'failing', c.name);
        assert.ok(line?.guardrails?.findings.some((f) => f.ruleId === 'forbidden-kind' && f.severity === 'error'), c.name);
      } else assert.ok(!line?.guardrails?.findings.some((f) => f.ruleId === 'forbidden-kind'), c.name);
      if (line?.status !== 'failing' && c.revisions.some((r) => ENDED.includes(r))) assert.equal(line?.status, 'end-of-life', c.name);
    }
    assert.equal(report.summary.clusters, 55);
    assert.equal(report.summary.revisions, plan.reduce((n, c) => n + c.revisions.length, 0));
  });

  it('says per revision whether the revision catalog still vouches for its support (as `upgrade plan` marks "unverified"), and how far the catalog reaches', async () => {
    const catalog = loadCatalog();
    const h = catalogHorizon(catalog);
    assert.ok(h, 'the shipped catalog has dated revisions');
    assert.deepEqual(report.catalog, { asOf: h.asOf, basis: h.basis, nextExpected: h.nextExpected, vouchedUntil: h.vouchedUntil, stale: NOW > h.vouchedUntil });
    const seen = new Set<boolean>();
    for (const r of report.clusters.flatMap((c) => c.revisions)) {
      const entry = findRevision(catalog, r.revision);
      assert.ok(entry, r.revision);
      // A revision past its end of life is not claimed to be supported, so there is nothing to vouch for (upgrade/support.ts).
      assert.equal(r.vouched, r.status === 'end-of-life' || !supportUnvouched(h, entry, NOW), r.revision);
      assert.equal(r.vouchedUntil, entry.endOfLifeEstimated ? vouchedUntilFor(h, entry) : null, r.revision);
      assert.equal(/unverified/.test(r.support), !r.vouched, `${r.revision}: ${r.support}`);
      seen.add(r.vouched);
    }
    assert.deepEqual([...seen].sort(), [false, true], 'the fixture on this date has revisions on both sides of the horizon');
    const text = await runCli(['fleet', root, '--now', NOW]);
    const unvouched = report.clusters.flatMap((c) => c.revisions).find((r) => !r.vouched);
    assert.match(text.stdout, new RegExp(`${unvouched?.revision ?? '?'} \\(Istio [^)]*\\): .*\\(support unverified after ${unvouched?.vouchedUntil ?? '?'}\\)`));
    if (report.catalog?.stale) assert.match(text.stdout, new RegExp(`^note: the revision catalog knows AKS up to ${h.asOf} .* only until ${h.vouchedUntil}`, 'm'));
  });

  it('prints every cluster in text and markdown', async () => {
    const text = await runCli(['fleet', root, '--now', NOW]);
    const markdown = await runCli(['fleet', root, '--now', NOW, '--output', 'markdown']);
    assert.equal(text.code, 1);
    assert.equal(markdown.code, 1);
    for (const c of plan) assert.match(text.stdout, new RegExp(`^${c.name}: `, 'm'));
    assert.equal(markdown.stdout.split('\n').filter((l) => /^\| `cluster-\d{3}` \|/.test(l)).length, 55);
  });
});

describe('meshplane fleet exit codes and hostile names', () => {
  let root = '';
  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'meshplane-fleet-codes-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('exits 0 when every cluster is supported and passes its guardrails', async () => {
    const dir = path.join(root, 'clean');
    mkdirSync(dir);
    writeFleet(dir, fleetPlan(5).map((c) => ({ ...c, example: 'single-revision', revisions: ['asm-1-30'], kubernetes: '1.33', forbidden: false })));
    // 2026-08-01: asm-1-30 is released (2026-07-17) and five months from its end of life.
    const r = await runCli(['fleet', dir, '--now', '2026-08-01', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as FleetReport).clusters.map((c) => c.status), ['ok', 'ok', 'ok', 'ok', 'ok']);
  });

  it('exits 1 and still reports the others when one cluster cannot be checked', async () => {
    const dir = path.join(root, 'broken');
    mkdirSync(dir);
    writeFleet(dir, fleetPlan(2).map((c) => ({ ...c, example: 'single-revision', revisions: ['asm-1-30'], kubernetes: '1.33', forbidden: false })));
    mkdirSync(path.join(dir, 'zz-broken'));
    writeFileSync(path.join(dir, 'zz-broken', 'mesh.yaml'), 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: x}\nspec: {mode: Istio, istio: {revisions: [asm-1-30]}}\n');
    const r = await runCli(['fleet', dir, '--now', '2026-08-01', '-o', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const lines = (JSON.parse(r.stdout) as FleetReport).clusters;
    assert.deepEqual(lines.map((c) => [c.cluster, c.status]), [['cluster-001', 'ok'], ['cluster-002', 'ok'], ['zz-broken', 'error']]);
    assert.equal(lines[2]?.error?.code, 'kube-version-missing');
  });

  const usage: Array<[string, string[], RegExp]> = [
    ['no folder', ['fleet'], /missing argument <dir>/],
    ['a missing folder', ['fleet', 'no-such-folder'], /cannot read the source directory/],
    ['an unknown format', ['fleet', '.', '-o', 'pdf'], /--output must be one of text, json, markdown, html/],
    ['a bad date', ['fleet', '.', '--now', 'tomorrow'], /--now must be a date/],
    ['a tree without intents', ['fleet', 'docs'], /no mesh intent/],
  ];
  for (const [name, args, message] of usage) {
    it(`exits 2 with nothing on stdout for ${name}`, async () => {
      const r = await runCli(args);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
    });
  }

  it('prints hostile folder names as one visible line (text) and inside code spans (markdown)', async () => {
    const dir = path.join(root, 'hostile');
    mkdirSync(dir);
    const names = ['<img src=x onerror=alert(1)>', `"quoted" & 'single'`, 'line\nbreak'];
    writeFleet(dir, fleetPlan(3).map((c, i) => ({ ...c, name: names[i] as string, example: 'single-revision', revisions: ['asm-1-30'], kubernetes: '1.33', forbidden: false })));
    const text = await runCli(['fleet', dir, '--now', '2026-08-01']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^line\\nbreak: ok$/m);
    const md = await runCli(['fleet', dir, '--now', '2026-08-01', '-o', 'markdown']);
    // Inside a code span (CommonMark) the name is literal text, never markup.
    assert.equal(md.stdout.match(/<img/g)?.length, md.stdout.match(/\| `<img src=x onerror=alert\(1\)>` \|/g)?.length);
  });
});
