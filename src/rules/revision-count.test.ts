/**
 * revision-count: one or two revisions pass (two only during a canary upgrade), a third is
 * refused like the add-on refuses it, and the finding points at the first revision too many.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { intentContext } from '../../test/helpers/rule-context.js';
import { revisionCountRule } from './revision-count.js';

describe('revision-count', () => {
  // [revisions, [where.file, message] of each finding]
  const cases: Array<[string[], Array<[string, string]>]> = [
    [['asm-1-27'], []],
    [['asm-1-27', 'asm-1-28'], []],
    [['asm-1-26', 'asm-1-27', 'asm-1-28'], [['mesh:spec.istio.revisions.2', '3 revisions (asm-1-26, asm-1-27, asm-1-28); the add-on runs at most 2 side by side']]],
    [['a', 'b', 'c', 'd'], [['mesh:spec.istio.revisions.2', '4 revisions (a, b, c, d); the add-on runs at most 2 side by side']]],
  ];
  for (const [revisions, want] of cases) {
    it(revisions.join(', '), () => {
      const got = revisionCountRule.check(intentContext(revisions, []));
      assert.deepEqual(got.map((v) => [v.where?.file, v.message]), want);
      for (const v of got) assert.match(v.remediation, /^complete or roll back the running canary upgrade first/);
    });
  }
});
