import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resourceKey } from '../core/resource-key.js';
import type { KubeObject } from '../core/types.js';
import { findMoves } from './moves.js';

const obj = (kind: string, name: string, rev?: string): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name, namespace: 'n', ...(rev ? { labels: { 'istio.io/rev': rev } } : {}) } });
const keyed = (...objects: KubeObject[]): Map<string, KubeObject> => new Map(objects.map((o) => [resourceKey(o), o]));

describe('findMoves', () => {
  it('pairs names that differ only by the revision, across a rename inside the name', () => {
    const moves = findMoves({
      removed: keyed(obj('ClusterRole', 'istiod-clusterrole-asm-1-27-aks-istio-system', 'asm-1-27')),
      added: keyed(obj('ClusterRole', 'istiod-clusterrole-asm-1-28-aks-istio-system', 'asm-1-28')),
      kept: new Map(),
    });
    assert.deepEqual(moves, [{ from: 'asm-1-27', to: 'asm-1-28', relabelled: [], renamed: [{ from: 'core/ClusterRole/n/istiod-clusterrole-asm-1-27-aks-istio-system', to: 'core/ClusterRole/n/istiod-clusterrole-asm-1-28-aks-istio-system' }] }]);
  });

  const none: Array<{ name: string; removed: KubeObject; added: KubeObject }> = [
    { name: 'different kinds', removed: obj('Service', 'istiod-asm-1-27', 'asm-1-27'), added: obj('ConfigMap', 'istiod-asm-1-28', 'asm-1-28') },
    { name: 'no revision label', removed: obj('Service', 'istiod-asm-1-27'), added: obj('Service', 'istiod-asm-1-28') },
    { name: 'names that differ by more than the revision', removed: obj('Service', 'istiod-asm-1-27', 'asm-1-27'), added: obj('Service', 'pilot-asm-1-28', 'asm-1-28') },
    { name: 'the same revision', removed: obj('Service', 'a-x', 'x'), added: obj('Service', 'b-x', 'x') },
  ];
  for (const c of none) {
    it(`does not pair ${c.name}`, () => {
      assert.deepEqual(findMoves({ removed: keyed(c.removed), added: keyed(c.added), kept: new Map() }), []);
    });
  }

  it('reports kept objects whose revision label moved, grouped with the renames of the same move', () => {
    const moves = findMoves({
      removed: keyed(obj('Service', 'istiod-asm-1-27', 'asm-1-27')),
      added: keyed(obj('Service', 'istiod-asm-1-28', 'asm-1-28')),
      kept: new Map([['core/Namespace/_cluster/shop', [obj('Namespace', 'shop', 'asm-1-27'), obj('Namespace', 'shop', 'asm-1-28')]]]),
    });
    assert.equal(moves.length, 1);
    assert.deepEqual(moves[0]?.relabelled, ['core/Namespace/_cluster/shop']);
    assert.equal(moves[0]?.renamed.length, 1);
  });
});
