/**
 * revision-unknown with a catalog in memory: every revision the catalog does not list is
 * reported at its own entry of spec.istio.revisions, and the remediation lists the catalog's
 * revisions.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { intentContext, memoryRevision } from '../../test/helpers/rule-context.js';
import { revisionUnknownRule } from './revision-unknown.js';

const CATALOG = [memoryRevision('asm-1-27', '2027-01-01'), memoryRevision('asm-1-28', '2027-06-01')];

describe('revision-unknown with a catalog in memory', () => {
  // [revisions, [where.file, message] of each finding]
  const cases: Array<[string[], Array<[string, string]>]> = [
    [['asm-1-27', 'asm-1-28'], []],
    [['asm-1-28', 'asm-1-29'], [['mesh:spec.istio.revisions.1', 'revision asm-1-29 is not in the catalog, so nothing is rendered for it']]],
    [['asm-1-2', 'istio-1-28'], [
      ['mesh:spec.istio.revisions.0', 'revision asm-1-2 is not in the catalog, so nothing is rendered for it'],
      ['mesh:spec.istio.revisions.1', 'revision istio-1-28 is not in the catalog, so nothing is rendered for it'],
    ]],
  ];
  for (const [revisions, want] of cases) {
    it(revisions.join(', '), () => {
      const got = revisionUnknownRule.check(intentContext(revisions, CATALOG));
      assert.deepEqual(got.map((v) => [v.where?.file, v.message]), want);
      for (const v of got) assert.equal(v.remediation, 'use one of asm-1-27, asm-1-28 (`meshplane upgrade plan` lists the ones this cluster may move to)');
    });
  }
});
