import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, LocatedObject } from '../core/types.js';
import { order, waveOf } from './order.js';

function obj(kind: string, name: string, namespace?: string, wave?: string): LocatedObject {
  const metadata = { name, ...(namespace ? { namespace } : {}), ...(wave ? { annotations: { 'argocd.argoproj.io/sync-wave': wave } } : {}) };
  return { object: { apiVersion: 'v1', kind, metadata }, origin: { file: 'f', line: 1, column: 1, kind: 'source' } };
}

describe('order', () => {
  it('sorts by wave, kind order, namespace, name', () => {
    const input = [obj('Service', 'b', 'x'), obj('Deployment', 'a', 'x'), obj('Namespace', 'x', undefined, '-5'), obj('CustomResourceDefinition', 'c', undefined, '-6'), obj('Service', 'a', 'x'), obj('Widget', 'w', 'x')];
    assert.deepEqual(order(input).map((o) => `${o.object.kind}/${o.object.metadata?.name}`), ['CustomResourceDefinition/c', 'Namespace/x', 'Service/a', 'Service/b', 'Deployment/a', 'Widget/w']);
  });
  it('gives the same order for any input order', () => {
    const input = [obj('Service', 'b', 'x'), obj('ConfigMap', 'a', 'y'), obj('ConfigMap', 'a', 'x'), obj('Role', 'r', 'x')];
    const want = order(input).map((o) => o.object);
    for (let i = 0; i < 10; i++) {
      const shuffled = [...input].sort(() => Math.random() - 0.5);
      assert.deepEqual(order(shuffled).map((o) => o.object), want);
    }
  });
  const waves: Array<[string | undefined, number]> = [[undefined, 0], ['-3', -3], ['2', 2], ['x', 0], ['1.5', 0]];
  for (const [raw, want] of waves) {
    it(`wave ${String(raw)} → ${want}`, () => {
      const o: KubeObject = { apiVersion: 'v1', kind: 'X', metadata: raw === undefined ? {} : { annotations: { 'argocd.argoproj.io/sync-wave': raw } } };
      assert.equal(waveOf(o), want);
    });
  }
});
