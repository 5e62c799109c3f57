import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadCatalog } from '../catalog/catalog.js';
import { runCheck } from '../flows/flows.js';
import { packagePath } from '../core/paths.js';
import type { SourceFile } from '../core/types.js';
import { readSourceTree } from '../pipeline/load.js';
import { assessCluster, ENDING_SOON_DAYS, windowStatus } from './assess.js';
import type { ClusterSource } from './discover.js';

describe('windowStatus', () => {
  // [supported (planner), released, end of life, now, want]
  const cases: Array<[boolean, string, string, string, string]> = [
    [true, '2026-01-01', '2026-12-31', '2026-06-01', 'supported'],
    [true, '2026-01-01', '2026-12-31', '2026-11-01', 'ending-soon'],
    [true, '2026-01-01', '2026-12-31', '2026-12-31', 'ending-soon'],
    [true, '2026-01-01', '2026-09-30', '2026-12-02', 'ending-soon'],
    [false, '2026-01-01', '2026-09-30', '2026-12-02', 'end-of-life'],
    [false, '2027-01-01', '2027-09-30', '2026-12-02', 'not-released'],
  ];
  for (const [supported, released, eol, now, want] of cases) {
    it(`${supported ? 'supported' : 'unsupported'} ${released}…${eol} on ${now} → ${want}`, () => assert.equal(windowStatus(supported, released, eol, now), want));
  }
  it(`switches to ending-soon exactly ${ENDING_SOON_DAYS} days before the end of life`, () => {
    assert.equal(windowStatus(true, '2026-01-01', '2026-12-31', '2026-11-01'), 'ending-soon'); // 60 days before
    assert.equal(windowStatus(true, '2026-01-01', '2026-12-31', '2026-10-31'), 'supported'); // 61 days before
  });
});

function cluster(files: SourceFile[], version?: string): ClusterSource {
  const base = { cluster: 'c', folder: 'c', files, symlinks: [] };
  return version ? { ...base, kubernetesVersionFile: { path: 'c/kubernetes-version', version } } : base;
}

const ENVOY_FILTER: SourceFile = { path: 'envoy-filter.yaml', text: 'apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata: {name: f, namespace: shop}\nspec: {}\n' };

/** The mesh.yaml of an example with its revisions replaced. */
function withRevisions(files: SourceFile[], revisions: string): SourceFile[] {
  return files.map((f) => (f.path === 'mesh.yaml' ? { ...f, text: f.text.replace(/revisions: \[[^\]]*\]/, `revisions: [${revisions}]`) } : f));
}

describe('assessCluster', () => {
  const now = new Date('2026-12-02T00:00:00Z');
  const catalog = loadCatalog();
  const example = (name: string) => readSourceTree(packagePath('examples', name));

  // The fleet's verdict without template evaluation must equal `meshplane check` on the same
  // source: each case is run through the full check flow (templates rendered) and compared.
  const cases: Array<[string, () => Promise<SourceFile[]>]> = [
    ['examples/single-revision', () => example('single-revision')],
    ['examples/canary', () => example('canary')],
    ['examples/full', () => example('full')],
    ['examples/canary with an EnvoyFilter', async () => [...(await example('canary')), ENVOY_FILTER]],
    ['examples/full on asm-1-27', async () => withRevisions(await example('full'), 'asm-1-27')],
  ];
  for (const [name, files] of cases) {
    it(`${name}: the source-only verdict is the verdict of the full check`, async () => {
      const source = await files();
      const fleet = await assessCluster(cluster(source), { now, catalog });
      const full = await runCheck({ files: source, env: {}, now: '2026-12-02' });
      const findings = [...new Set(full.report.violations.map((v) => v.ruleId))].sort();
      assert.equal(fleet.error, null);
      assert.deepEqual(
        { errors: fleet.guardrails?.errors, warnings: fleet.guardrails?.warnings, rules: fleet.guardrails?.findings.map((f) => f.ruleId) },
        { errors: full.report.summary.errors, warnings: full.report.summary.warnings, rules: findings },
      );
    });
  }

  it('reports an unreadable cluster as an error line instead of failing the fleet', async () => {
    const broken = await assessCluster(cluster([{ path: 'mesh.yaml', text: 'kind: ServiceMesh\n  bad: [\n' }]), { now, catalog });
    assert.equal(broken.status, 'error');
    assert.equal(broken.error?.code, 'yaml-invalid');
    assert.match(broken.error?.message ?? '', /c\/mesh\.yaml:\d+:\d+/);
    const linked = await assessCluster({ ...cluster(await example('single-revision')), symlinks: ['c/x.yaml'] }, { now, catalog });
    assert.equal(linked.error?.code, 'source-unreadable');
  });

  it('takes the Kubernetes version from the kubernetes-version file (read as --kube-version: it wins over mesh.yaml), and says where it came from', async () => {
    const files = (await example('single-revision')).map((f) => ({ ...f, text: f.text.replace(/  cluster:\n    kubernetesVersion: "1.32"\n/, '') }));
    const c = await assessCluster(cluster(files, '1.34'), { now, catalog });
    assert.deepEqual(c.kubernetes, { version: '1.34', from: 'c/kubernetes-version' });
    const pinned = await assessCluster(cluster(await example('single-revision'), '1.34'), { now, catalog });
    assert.deepEqual(pinned.kubernetes, { version: '1.34', from: 'c/kubernetes-version' });
    const specOnly = await assessCluster(cluster(await example('single-revision')), { now, catalog });
    assert.deepEqual(specOnly.kubernetes, { version: '1.32', from: 'spec.cluster.kubernetesVersion' });
  });

  it('names the tags of each revision and the upgrade the planner allows', async () => {
    const c = await assessCluster(cluster(withRevisions(await example('canary'), 'asm-1-29').map((f) => ({ ...f, text: f.text.replace(/^ {4}prod-canary: .*\n/m, '') }))), { now, catalog });
    assert.deepEqual(c.revisions.map((r) => [r.revision, r.tags]), [['asm-1-29', ['prod-stable']]]);
    assert.deepEqual(c.danglingTags, []);
    assert.equal(c.upgrade?.available, 'asm-1-30');
    assert.deepEqual(c.upgrade?.allowed, [{ revision: 'asm-1-30', step: 'n+1' }]);
  });

  it('shows a tag that points at a revision the mesh does not install as the cluster\'s intent error, with its field', async () => {
    const c = await assessCluster(cluster(withRevisions(await example('canary'), 'asm-1-29')), { now, catalog });
    assert.equal(c.status, 'error');
    assert.equal(c.error?.code, 'intent-invalid');
    assert.match(JSON.stringify(c.error), /spec\.tags\.prod-canary/);
  });
});
