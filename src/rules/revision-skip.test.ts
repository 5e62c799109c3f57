/**
 * revision-skip: a canary pair is written stable first and is at most two minors apart (n → n+1
 * or n+2); names without an asm-1-<minor> form are left to revision-unknown. Each finding points
 * at the second revision of the pair.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { intentContext } from '../../test/helpers/rule-context.js';
import { revisionSkipRule } from './revision-skip.js';

describe('revision-skip', () => {
  // [revisions, [where.file, message, remediation] of each finding]
  const cases: Array<[string[], Array<[string, string, string]>]> = [
    [['asm-1-26'], []],
    [['asm-1-26', 'asm-1-27'], []],
    [['asm-1-26', 'asm-1-28'], []],
    [['asm-1-26', 'asm-1-29'], [['mesh:spec.istio.revisions.1', 'asm-1-26 → asm-1-29 skips 2 minors; an upgrade may skip at most one', 'upgrade in steps: asm-1-26 → asm-1-28 first']]],
    [['asm-1-20', 'asm-1-28'], [['mesh:spec.istio.revisions.1', 'asm-1-20 → asm-1-28 skips 7 minors; an upgrade may skip at most one', 'upgrade in steps: asm-1-20 → asm-1-22 first']]],
    [['asm-1-28', 'asm-1-27'], [['mesh:spec.istio.revisions.1', 'asm-1-27 is listed after asm-1-28; revisions are written stable first, canary second', 'write [asm-1-27, asm-1-28]']]],
    // Numeric order, not text order: asm-1-9 comes before asm-1-10.
    [['asm-1-10', 'asm-1-9'], [['mesh:spec.istio.revisions.1', 'asm-1-9 is listed after asm-1-10; revisions are written stable first, canary second', 'write [asm-1-9, asm-1-10]']]],
    [['asm-1-27', 'asm-1-27'], [['mesh:spec.istio.revisions.1', 'asm-1-27 is listed after asm-1-27; revisions are written stable first, canary second', 'write [asm-1-27, asm-1-27]']]],
    // A name that is no asm-1-<minor> is skipped; the pair is formed by the others.
    [['asm-1-26', 'canary', 'asm-1-30'], [['mesh:spec.istio.revisions.2', 'asm-1-26 → asm-1-30 skips 3 minors; an upgrade may skip at most one', 'upgrade in steps: asm-1-26 → asm-1-28 first']]],
  ];
  for (const [revisions, want] of cases) {
    it(revisions.join(', '), () => {
      const got = revisionSkipRule.check(intentContext(revisions, []));
      assert.deepEqual(got.map((v) => [v.where?.file, v.message, v.remediation]), want);
    });
  }
});
