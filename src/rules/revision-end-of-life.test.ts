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

// asm-1-28 is there so that asm-1-26 is not one of the two newest revisions (see the next describe).
const CATALOG = [memoryRevision('asm-1-25', '2026-03-31'), memoryRevision('asm-1-26', '2026-06-30', undefined, true), memoryRevision('asm-1-27', 'someday'), memoryRevision('asm-1-28', 'someday')];

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

describe('revision-end-of-life keeps the two newest released revisions when their date is estimated', () => {
  // Facts: azure-aks-docs articles/aks/istio-support-policy.md (commit fb060ab), "Supported
  // revisions": at least two revisions are supported at any time; its calendar gives asm-1-28,
  // asm-1-29 and asm-1-30 only expected ends of life (~Aug, ~Sept, ~Dec 2026) and asm-1-27 a firm
  // one (May 2026). Release dates are those of the AKS CHANGELOG (Azure/AKS 8d1c890) that first
  // name each revision, as catalog/revisions.yaml records them.
  const rev = (name: string, released: string, endOfLife: string, estimated: boolean) => ({ ...memoryRevision(name, endOfLife, undefined, estimated), released });
  const catalog = [
    rev('asm-1-27', '2025-09-21', '2026-05-31', false),
    rev('asm-1-28', '2026-02-08', '2026-08-31', true),
    rev('asm-1-29', '2026-04-28', '2026-09-30', true),
    rev('asm-1-30', '2026-07-17', '2026-12-31', true),
  ];
  const cases: Array<[string[], string, string[]]> = [
    // asm-1-29's expected date has passed, but asm-1-30 and asm-1-29 are the two newest: supported.
    [['asm-1-29'], '2026-12-03', []],
    [['asm-1-29', 'asm-1-30'], '2026-10-01', []],
    // asm-1-28 is no longer one of the two newest once asm-1-30 is out.
    [['asm-1-28'], '2026-12-03', ['asm-1-28 reached its end of life on 2026-08-31 (an expected date): it gets no patches or support']],
    // A firm date is never extended.
    [['asm-1-27'], '2026-06-01', ['asm-1-27 reached its end of life on 2026-05-31: it gets no patches or support']],
  ];
  for (const [revisions, now, want] of cases) {
    it(`${revisions.join(', ')} on ${now}`, () => {
      assert.deepEqual(revisionEndOfLifeRule.check(intentContext(revisions, catalog, { now })).map((v) => v.message), want);
    });
  }
});
