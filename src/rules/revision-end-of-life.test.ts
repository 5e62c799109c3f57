/**
 * revision-end-of-life with a catalog in memory: a revision is reported from the first instant
 * after its end-of-life day (UTC; the day itself is still supported), an estimated date says so,
 * unknown revisions and malformed dates are left to other rules, and each finding points at the
 * revision's entry in spec.istio.revisions.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { intentContext, memoryRevision } from '../../test/helpers/rule-context.js';
import { revisionEndOfLifeRule } from './revision-end-of-life.js';

const CATALOG = [memoryRevision('asm-1-25', '2026-03-31'), memoryRevision('asm-1-26', '2026-06-30', undefined, true), memoryRevision('asm-1-27', 'someday')];

describe('revision-end-of-life with a catalog in memory', () => {
  // [revisions, now, [where.file, message] of each finding]
  const cases: Array<[string[], string, Array<[string, string]>]> = [
    [['asm-1-25'], '2026-03-31T23:59:59Z', []],
    [['asm-1-25'], '2026-04-01T00:00:00Z', [['mesh:spec.istio.revisions.0', 'asm-1-25 reached its end of life on 2026-03-31: it gets no patches or support']]],
    [['asm-1-25', 'asm-1-26'], '2026-07-01', [
      ['mesh:spec.istio.revisions.0', 'asm-1-25 reached its end of life on 2026-03-31: it gets no patches or support'],
      ['mesh:spec.istio.revisions.1', 'asm-1-26 reached its end of life on 2026-06-30 (an expected date): it gets no patches or support'],
    ]],
    [['asm-1-26'], '2026-06-30T12:00:00Z', []],
    // Not in the catalog (revision-unknown reports it), or a date that is no date: nothing here.
    [['asm-1-99', 'asm-1-27'], '2030-01-01', []],
  ];
  for (const [revisions, now, want] of cases) {
    it(`${revisions.join(', ')} on ${now}`, () => {
      const got = revisionEndOfLifeRule.check(intentContext(revisions, CATALOG, { now }));
      assert.deepEqual(got.map((v) => [v.where?.file, v.message]), want);
      for (const v of got) assert.equal(v.remediation, 'start a canary upgrade to a supported revision (`meshplane upgrade plan` lists them)');
    });
  }

  it('is skipped when the mesh installs no revision', () => {
    assert.equal(revisionEndOfLifeRule.skip!(intentContext([], CATALOG)), 'spec.mode is Disabled: no revision is installed');
    assert.equal(revisionEndOfLifeRule.skip!(intentContext(['asm-1-25'], CATALOG, { mode: 'Disabled' })), 'spec.mode is Disabled: no revision is installed');
    assert.equal(revisionEndOfLifeRule.skip!(intentContext(['asm-1-25'], CATALOG)), undefined);
  });
});
