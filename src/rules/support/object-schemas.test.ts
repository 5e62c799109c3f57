/** The precompiled object schemas report exactly what a run-time ajv compile reports. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../core/types.js';
import { precompiledValidators, runtimeValidators, schemaErrors } from './object-schemas.js';

const CASES: Array<{ name: string; object: KubeObject; errors: number }> = [
  { name: 'a valid Service', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } }, errors: 0 },
  { name: 'a port that is not a number', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 'eighty' }] } }, errors: 1 },
  { name: 'no name', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }, errors: 3 },
  { name: 'a bad label value and an uppercase namespace', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'Shop', labels: { a: 'not ok!' } } }, errors: 2 },
  { name: 'a DestinationRule without host', object: { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'x' }, spec: {} }, errors: 1 },
  { name: 'a kind without a schema of its own', object: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' }, spec: { anything: 1 } }, errors: 0 },
];

describe('object schemas', () => {
  const pre = precompiledValidators();
  it('are precompiled by the build', () => assert.ok(pre, 'dist/schemas/kubernetes-objects.validate.cjs exists (npm run build)'));
  const rt = runtimeValidators();
  for (const c of CASES) {
    it(`${c.name}: ${c.errors} error(s), the same from both`, () => {
      const a = schemaErrors(c.object, rt).map((e) => `${e.instancePath} ${e.keyword}`);
      assert.equal(a.length, c.errors, a.join('; '));
      if (pre) assert.deepEqual(schemaErrors(c.object, pre).map((e) => `${e.instancePath} ${e.keyword}`), a);
    });
  }
});
