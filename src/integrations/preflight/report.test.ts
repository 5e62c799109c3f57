import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatJson, formatText } from './report.js';
import type { PreflightReport } from './run.js';

const base: PreflightReport = {
  server: 'https://aks.example:443', context: 'prod', kubernetesVersion: 'v1.32.3', mesh: 'prod', revisions: ['asm-1-28'],
  violations: [], notices: [], requests: 9, timings: { clusterMs: 12, totalMs: 345 },
};

const failing: PreflightReport = {
  ...base,
  violations: [
    { ruleId: 'preflight-osm-installed', severity: 'warning', resource: 'apiextensions.k8s.io/CustomResourceDefinition/_cluster/meshconfigs.config.openservicemesh.io', message: 'the OSM CRD is still installed', remediation: 'delete it later' },
    { ruleId: 'preflight-kubernetes-incompatible', severity: 'error', resource: 'meshplane.io/ServiceMesh/_cluster/prod', where: { file: 'mesh.yaml', line: 9, column: 9 }, message: 'asm-1-28 supports 1.30–1.35', remediation: 'upgrade the cluster' },
  ],
};

describe('preflight report', () => {
  it('text: header, one block per violation with position and fix, verdict', () => {
    const t = formatText(failing);
    assert.match(t, /^preflight: mesh "prod" \(asm-1-28\) against https:\/\/aks\.example:443 \(context prod\), Kubernetes v1\.32\.3\n/);
    assert.match(t, /\nerror\[preflight-kubernetes-incompatible\] meshplane\.io\/ServiceMesh\/_cluster\/prod\n {2}asm-1-28 supports 1\.30–1\.35\n {2}at mesh\.yaml:9:9\n {2}fix: upgrade the cluster\n/);
    assert.match(t, /\n1 error, 1 warning: preflight failed\n$/);
  });

  it('text: a clean run passes', () => assert.match(formatText(base), /\n0 errors, 0 warnings: preflight passed\n$/));

  it('json: parses, counts, and leaves timings out (same input → same bytes)', () => {
    const doc = JSON.parse(formatJson(failing)) as { kind: string; passed: boolean; summary: unknown; violations: Array<{ ruleId: string }> };
    assert.equal(doc.kind, 'PreflightReport');
    assert.equal(doc.passed, false);
    assert.deepEqual(doc.summary, { errors: 1, warnings: 1 });
    assert.deepEqual(doc.violations.map((v) => v.ruleId), ['preflight-osm-installed', 'preflight-kubernetes-incompatible']);
    assert.equal(formatJson({ ...failing, timings: { clusterMs: 1, totalMs: 2 } }), formatJson(failing));
    assert.doesNotMatch(formatJson(failing), /345|clusterMs/);
  });

  it('json: a warning-only run passes', () => assert.equal((JSON.parse(formatJson({ ...base, violations: [failing.violations[0]!] })) as { passed: boolean }).passed, true));
});
