import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stepGrowth } from '../../test/helpers/regex-steps.js';
import { EDGE_DASHES, meshNameFrom } from './aks-cluster.js';

describe('meshNameFrom', () => {
  const cases: Array<[string, string | undefined]> = [
    ['prod-aks', 'prod-aks'],
    ['Prod_AKS', 'prod-aks'],
    ['--prod--', 'prod'],
    ['_prod_', 'prod'],
    ['a--b', 'a--b'],
    ['---', undefined],
    [`${'a'.repeat(62)}-b`, `${'a'.repeat(62)}`],
    [`a${'-'.repeat(10_000)}b`, 'a'],
  ];
  for (const [cluster, want] of cases) {
    it(`${JSON.stringify(cluster.length > 40 ? `${cluster.slice(0, 37)}...` : cluster)} → ${String(want)}`, () => assert.equal(meshNameFrom(cluster), want));
  }
});

describe('EDGE_DASHES', () => {
  it('searches in steps linear in a run of dashes inside the name (no quadratic rescan of the run)', () => {
    const growth = stepGrowth(EDGE_DASHES.source, (n) => `a${'-'.repeat(n)}b`);
    assert.ok(growth < 2.5, `doubling the dashes multiplied the steps by ${growth.toFixed(2)} (linear: about 2)`);
  });
});
