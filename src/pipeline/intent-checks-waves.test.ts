import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceMesh } from '../intent/types.js';
import { checkUpgradeWaves, MAX_WAVE_NAMESPACES } from './intent-checks-waves.js';

/** An intent whose waves list `sizes[i]` namespaces each (distinct names, one tag per wave). */
function intent(sizes: number[]): ServiceMesh {
  const tags = Object.fromEntries(sizes.map((_, i) => [`w${i}`, 'asm-1-30']));
  const waves = sizes.map((n, i) => ({ tag: `w${i}`, namespaces: Array.from({ length: n }, (_, j) => `ns-${i}-${j}`) }));
  return { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'm' }, spec: { mode: 'Istio', istio: { revisions: ['asm-1-30'] }, tags, upgrade: { waves } } } as unknown as ServiceMesh;
}

const at = (p: ReadonlyArray<string | number>) => ({ file: 'mesh.yaml', line: p.length, column: 1 });

describe('checkUpgradeWaves: namespaces listed across waves', () => {
  const cases: Array<[string, number[], string | undefined]> = [
    ['two small waves', [2, 3], undefined],
    ['exactly the limit across three waves', [700, 700, 600], undefined],
    ['one over the limit across three waves: the 2001st name is pointed at', [700, 700, 601], 'spec.upgrade.waves[2].namespaces[600]'],
    ['one wave over the limit', [2001], 'spec.upgrade.waves[0].namespaces[2000]'],
    ['far over: still one error, naming the total', [1500, 1500, 1500], 'spec.upgrade.waves[1].namespaces[500]'],
  ];
  for (const [name, sizes, path] of cases) {
    it(name, () => {
      const { errors } = checkUpgradeWaves(intent(sizes), at);
      if (path === undefined) return assert.deepEqual(errors, []);
      assert.equal(errors.length, 1);
      assert.equal(errors[0]?.path, path);
      const total = sizes.reduce((a, b) => a + b, 0);
      assert.equal(errors[0]?.message, `the waves list ${total} namespaces by name, over the limit of ${MAX_WAVE_NAMESPACES}; this is namespace ${MAX_WAVE_NAMESPACES + 1}`);
      assert.match(errors[0]?.hint ?? '', /namespaceSelector/);
    });
  }
});
