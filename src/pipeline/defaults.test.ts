import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceMesh } from '../intent/types.js';
import { applyDefaults, DEFAULTS } from './defaults.js';

const minimal: ServiceMesh = { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'm' }, spec: { mode: 'Istio', istio: { revisions: ['asm-1-28'] } } };

describe('applyDefaults', () => {
  it('fills every documented default', () => {
    const out = applyDefaults(minimal) as unknown as Record<string, unknown>;
    for (const rule of DEFAULTS) {
      const value = rule.path.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], out);
      assert.deepEqual(value, rule.value, rule.path);
    }
  });
  it('never overwrites a value the user set', () => {
    const out = applyDefaults({ ...minimal, spec: { ...minimal.spec, controlPlane: { autoscaling: { minReplicas: 3 } } } });
    assert.deepEqual(out.spec.controlPlane?.autoscaling, { minReplicas: 3, maxReplicas: 5, targetCPUUtilizationPercentage: 80 });
  });
  it('does not modify its input', () => {
    const input = structuredClone(minimal);
    applyDefaults(input);
    assert.deepEqual(input, minimal);
  });
  it('does not invent an istio block in Disabled mode', () => {
    assert.equal(applyDefaults({ ...minimal, spec: { mode: 'Disabled' } }).spec.istio, undefined);
  });
  it('gives a reason for every default', () => {
    for (const rule of DEFAULTS) assert.ok(rule.why.length > 10, rule.path);
  });
});
