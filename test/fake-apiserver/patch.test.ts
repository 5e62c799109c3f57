import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObj } from './cluster.js';
import { applyPatch, mergePatch } from './patch.js';

describe('mergePatch (RFC 7386 section 2 and the examples of its appendix A)', () => {
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, want] of cases) it(`${JSON.stringify(target)} + ${JSON.stringify(patch)}`, () => assert.deepEqual(mergePatch(target as never, patch as never), want));
});

describe('applyPatch', () => {
  const obj: KubeObj = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: { metadata: { annotations: { keep: '1' } } } } };
  const restart = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-12-02T15:00:00Z' } } } } };
  for (const type of ['application/merge-patch+json', 'application/strategic-merge-patch+json'] as const) {
    it(`${type}: merges the restart annotation beside the others`, () => {
      assert.deepEqual((applyPatch(obj, restart, type).spec as typeof restart.spec).template.metadata.annotations, { keep: '1', 'kubectl.kubernetes.io/restartedAt': '2026-12-02T15:00:00Z' });
    });
    it(`${type}: refuses a rename`, () => assert.throws(() => applyPatch(obj, { metadata: { name: 'other' } }, type), /may not change metadata\.name/));
  }
  it('strategic merge: refuses lists and directives the fake does not implement', () => {
    assert.throws(() => applyPatch(obj, { spec: { template: { spec: { containers: [{ name: 'a' }] } } } }, 'application/strategic-merge-patch+json'), /does not merge lists/);
    assert.throws(() => applyPatch(obj, { spec: { $retainKeys: ['template'] } }, 'application/strategic-merge-patch+json'), /directive \$retainKeys/);
  });
  it('merge patch: a list replaces', () => {
    assert.deepEqual((applyPatch(obj, { spec: { x: [1] } }, 'application/merge-patch+json').spec as { x: number[] }).x, [1]);
  });
});
