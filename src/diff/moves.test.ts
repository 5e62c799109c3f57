import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resourceKey } from '../core/resource-key.js';
import type { KubeObject } from '../core/types.js';
import { findMoves, revisionOf } from './moves.js';

const obj = (kind: string, name: string, rev?: string): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name, namespace: 'n', ...(rev ? { labels: { 'istio.io/rev': rev } } : {}) } });
const keyed = (...objects: KubeObject[]): Map<string, KubeObject> => new Map(objects.map((o) => [resourceKey(o), o]));

describe('findMoves', () => {
  it('pairs a removed object with the first added one of its shape under another revision', () => {
    const moves = findMoves({
      removed: keyed(obj('Service', 'istiod-asm-1-28', 'asm-1-28')),
      added: keyed(obj('Service', 'istiod-asm-1-28', 'asm-1-28'), obj('Service', 'istiod-asm-1-29', 'asm-1-29'), obj('Service', 'istiod-asm-1-30', 'asm-1-30')),
      kept: new Map(),
    });
    assert.deepEqual(moves, [{ from: 'asm-1-28', to: 'asm-1-29', relabelled: [], renamed: [{ from: 'core/Service/n/istiod-asm-1-28', to: 'core/Service/n/istiod-asm-1-29' }] }]);
  });

  it('looks at a few added objects per removed one, not at all of them (a diff of thousands of renamed objects)', () => {
    const n = 2000;
    const removed = keyed(...Array.from({ length: n }, (_, i) => obj('ConfigMap', `a${i}-asm-1-29`, 'asm-1-29')));
    const added = keyed(...Array.from({ length: n }, (_, i) => obj('ConfigMap', `b${i}-asm-1-30`, 'asm-1-30')));
    // Counts every entry read from any Map during the call, whichever way it is iterated.
    const proto = Map.prototype as unknown as Record<PropertyKey, unknown>;
    const entries = Map.prototype.entries;
    let visited = 0;
    const counting = function (this: Map<unknown, unknown>) {
      const it = entries.call(this);
      const counted = { next: () => ((visited++), it.next()), [Symbol.iterator]: () => counted };
      return counted;
    };
    proto.entries = counting;
    proto[Symbol.iterator] = counting;
    try {
      assert.deepEqual(findMoves({ removed, added, kept: new Map() }), []);
    } finally {
      proto.entries = entries;
      proto[Symbol.iterator] = entries;
    }
    // Each input once, plus at most two entries of a shape per removed object; pairing every
    // removed object with every added one reads n * n = 4,000,000.
    assert.ok(visited <= 5 * n, `${visited} map entries read for ${n} removed and ${n} added objects`);
  });

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
    // Without the revision both read "a-b", but the revision sits at another place in each name.
    { name: 'names whose revision sits elsewhere', removed: obj('Service', 'aasm-1-27-b', 'asm-1-27'), added: obj('Service', 'a-asm-1-28b', 'asm-1-28') },
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

  it('keeps moves between different revision pairs apart, sorted by from then to', () => {
    const moves = findMoves({
      removed: keyed(obj('Service', 'istiod-asm-1-29', 'asm-1-29'), obj('Service', 'gw-asm-1-27', 'asm-1-27'), obj('ConfigMap', 'istio-asm-1-27', 'asm-1-27')),
      added: keyed(obj('Service', 'istiod-asm-1-30', 'asm-1-30'), obj('Service', 'gw-asm-1-28', 'asm-1-28'), obj('ConfigMap', 'istio-asm-1-29', 'asm-1-29')),
      kept: new Map(),
    });
    assert.deepEqual(moves.map((m) => `${m.from}→${m.to} ${m.renamed.map((p) => `${p.from}=>${p.to}`).join(',')}`), [
      'asm-1-27→asm-1-28 core/Service/n/gw-asm-1-27=>core/Service/n/gw-asm-1-28',
      'asm-1-27→asm-1-29 core/ConfigMap/n/istio-asm-1-27=>core/ConfigMap/n/istio-asm-1-29',
      'asm-1-29→asm-1-30 core/Service/n/istiod-asm-1-29=>core/Service/n/istiod-asm-1-30',
    ]);
  });

  it('orders moves by their from revision first, whatever their to revision', () => {
    const moves = findMoves({
      removed: keyed(obj('Service', 'b-asm-1-28', 'asm-1-28'), obj('Service', 'a-asm-1-27', 'asm-1-27')),
      added: keyed(obj('Service', 'b-asm-1-29', 'asm-1-29'), obj('Service', 'a-asm-1-30', 'asm-1-30')),
      kept: new Map(),
    });
    assert.deepEqual(moves.map((m) => `${m.from}→${m.to}`), ['asm-1-27→asm-1-30', 'asm-1-28→asm-1-29']);
  });

  it('pairs each added object once: a second removed object of the same shape stays unpaired', () => {
    const moves = findMoves({
      removed: keyed(obj('Service', 'istiod-asm-1-27', 'asm-1-27'), obj('Service', 'istiod-asm-1-28', 'asm-1-28')),
      added: keyed(obj('Service', 'istiod-asm-1-29', 'asm-1-29')),
      kept: new Map(),
    });
    assert.equal(moves.reduce((n, m) => n + m.renamed.length, 0), 1);
  });

  const kept: Array<{ name: string; base?: string; head?: string; moved: boolean }> = [
    { name: 'label changed', base: 'asm-1-27', head: 'asm-1-28', moved: true },
    { name: 'label the same', base: 'asm-1-27', head: 'asm-1-27', moved: false },
    { name: 'label added (not a move: nothing moved away)', head: 'asm-1-28', moved: false },
    { name: 'label removed (not a move: nothing moved in)', base: 'asm-1-27', moved: false },
    { name: 'no label on either side', moved: false },
  ];
  for (const c of kept) {
    it(`a kept object: ${c.name}`, () => {
      const moves = findMoves({ removed: new Map(), added: new Map(), kept: new Map([['core/Namespace/_cluster/shop', [obj('Namespace', 'shop', c.base), obj('Namespace', 'shop', c.head)]]]) });
      assert.deepEqual(moves, c.moved ? [{ from: c.base, to: c.head, renamed: [], relabelled: ['core/Namespace/_cluster/shop'] }] : []);
    });
  }
});

describe('revisionOf', () => {
  const cases: Array<[string, KubeObject | undefined, string | undefined]> = [
    ['a revision label', obj('Service', 's', 'asm-1-28'), 'asm-1-28'],
    ['no object', undefined, undefined],
    ['no metadata', { apiVersion: 'v1', kind: 'Service' }, undefined],
    ['no labels', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }, undefined],
    ['an empty label', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', labels: { 'istio.io/rev': '' } } }, undefined],
    ['a label that is not a string', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', labels: { 'istio.io/rev': 128 } } } as unknown as KubeObject, undefined],
    ['another label only', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', labels: { 'istio.io/tag': 'stable' } } }, undefined],
  ];
  for (const [name, o, want] of cases) it(name, () => assert.equal(revisionOf(o), want));
});
