/**
 * revision-kubernetes-incompatible with a catalog in memory: the target minor must lie inside the
 * revision's range, both ends included; an LTS cluster uses the LTS range when the catalog has
 * one (else the standard range, and the message says which tier was used); the remediation
 * depends on which side of the range the target is; unknown revisions are left to
 * revision-unknown.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { intentContext, memoryRevision } from '../../test/helpers/rule-context.js';
import { rangeFor, revisionKubernetesIncompatibleRule } from './revision-kubernetes-incompatible.js';

const WITH_LTS = { ...memoryRevision('asm-1-25', '2027-01-01', { min: '1.29', max: '1.31' }), kubernetesLts: { min: '1.27', max: '1.31' } };
const NO_LTS = memoryRevision('asm-1-28', '2027-06-01', { min: '1.30', max: '1.33' });
const CATALOG = [WITH_LTS, NO_LTS];
const ABOVE = (minor: number): string => `upgrade the mesh to a revision that supports 1.${minor} (\`meshplane upgrade plan\`)`;
const BELOW = (min: string): string => `upgrade the cluster to Kubernetes ${min} or later, or pick an older revision`;

describe('revision-kubernetes-incompatible with a catalog in memory', () => {
  // [revisions, target minor, tier, [where.file, message, remediation] of each finding]
  const cases: Array<[string[], number, 'Standard' | 'LTS' | undefined, Array<[string, string, string]>]> = [
    [['asm-1-28'], 30, undefined, []],
    [['asm-1-28'], 33, undefined, []],
    [['asm-1-28'], 34, undefined, [['mesh:spec.istio.revisions.0', 'asm-1-28 supports Kubernetes 1.30–1.33 (Standard tier); the target is 1.34', ABOVE(34)]]],
    [['asm-1-28'], 29, 'Standard', [['mesh:spec.istio.revisions.0', 'asm-1-28 supports Kubernetes 1.30–1.33 (Standard tier); the target is 1.29', BELOW('1.30')]]],
    [['asm-1-25', 'asm-1-28'], 29, undefined, [['mesh:spec.istio.revisions.1', 'asm-1-28 supports Kubernetes 1.30–1.33 (Standard tier); the target is 1.29', BELOW('1.30')]]],
    // LTS: asm-1-25's LTS range starts two minors earlier.
    [['asm-1-25'], 27, 'LTS', []],
    [['asm-1-25'], 27, 'Standard', [['mesh:spec.istio.revisions.0', 'asm-1-25 supports Kubernetes 1.29–1.31 (Standard tier); the target is 1.27', BELOW('1.29')]]],
    [['asm-1-25'], 26, 'LTS', [['mesh:spec.istio.revisions.0', 'asm-1-25 supports Kubernetes 1.27–1.31 (LTS tier); the target is 1.26', BELOW('1.27')]]],
    // LTS cluster, revision without an LTS range: the standard range, reported as such.
    [['asm-1-28'], 29, 'LTS', [['mesh:spec.istio.revisions.0', 'asm-1-28 supports Kubernetes 1.30–1.33 (Standard tier); the target is 1.29', BELOW('1.30')]]],
    [['asm-1-99'], 10, undefined, []],
  ];
  for (const [revisions, minor, tier, want] of cases) {
    it(`${revisions.join(', ')} on 1.${minor}${tier ? ` (${tier})` : ''}`, () => {
      const got = revisionKubernetesIncompatibleRule.check(intentContext(revisions, CATALOG, { minor, ...(tier ? { tier } : {}) }));
      assert.deepEqual(got.map((v) => [v.where?.file, v.message, v.remediation]), want);
    });
  }

  it('rangeFor: the LTS range only for LTS with a catalog LTS range', () => {
    assert.deepEqual(rangeFor(WITH_LTS, 'LTS'), { range: { min: '1.27', max: '1.31' }, tier: 'LTS' });
    assert.deepEqual(rangeFor(WITH_LTS, 'Standard'), { range: { min: '1.29', max: '1.31' }, tier: 'Standard' });
    assert.deepEqual(rangeFor(NO_LTS, 'LTS'), { range: { min: '1.30', max: '1.33' }, tier: 'Standard' });
  });
});

describe('revision-kubernetes-incompatible during a canary that leaves an outgrown revision', () => {
  // Facts: Azure/AKS CHANGELOG (8d1c890), release 2025-03-16: clusters with the add-on may be
  // upgraded whatever the current mesh revision's compatibility, to recover; azure-aks-docs
  // articles/aks/istio-upgrade.md (fb060ab): when cluster and revision are both unsupported, the
  // cluster is upgraded first, then the mesh. Ranges as in the support policy calendar:
  // asm-1-22 1.27–1.30, asm-1-24 1.28–1.33.
  const catalog = [memoryRevision('asm-1-22', '2025-03-31', { min: '1.27', max: '1.30' }), memoryRevision('asm-1-24', '2025-09-30', { min: '1.28', max: '1.33' })];
  const check = (revisions: string[], minor: number) => revisionKubernetesIncompatibleRule.check(intentContext(revisions, catalog, { minor })).map((v) => [v.severity, v.where?.file, v.message]);
  it('the outgrown lower revision of the pair warns; the sync goes on', () => {
    assert.deepEqual(check(['asm-1-22', 'asm-1-24'], 31), [['warning', 'mesh:spec.istio.revisions.0', 'asm-1-22 supports Kubernetes 1.27–1.30 (Standard tier); the target is 1.31; the canary asm-1-24 fits, so this only warns while the upgrade runs']]);
  });
  it('alone, the outgrown revision is still an error', () => {
    assert.deepEqual(check(['asm-1-22'], 31).map(([sev]) => sev), ['error']);
  });
  it('a canary that does not fit keeps both errors', () => {
    assert.deepEqual(check(['asm-1-22', 'asm-1-24'], 34).map(([sev]) => sev), ['error', 'error']);
  });
  it('a cluster too old for the canary is an error on the canary', () => {
    assert.deepEqual(check(['asm-1-22', 'asm-1-24'], 27), [['error', 'mesh:spec.istio.revisions.1', 'asm-1-24 supports Kubernetes 1.28–1.33 (Standard tier); the target is 1.27']]);
  });
});
