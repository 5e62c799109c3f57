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
    // asm-1-29's expected date has passed, but asm-1-30 and asm-1-29 are the two newest: supported,
    // as long as the catalog can vouch that no newer minor is out (see the next describe).
    [['asm-1-29'], '2026-11-16', []],
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

describe('revision-end-of-life past the catalog horizon', () => {
  // The same catalog, as read from Azure/AKS 8d1c890 (2026-08-07): its minors came a median 80
  // days apart (asm-1-28 → asm-1-29 79, asm-1-29 → asm-1-30 80, asm-1-27 → asm-1-28 140), so
  // asm-1-31 was due 2026-10-05; the support policy (azure-aks-docs fb060ab, "Supported revisions")
  // ends n-2 six weeks after a new minor, so the catalog vouches for "one of the two newest" and
  // for expected dates until 2026-11-16. On 2026-12-03 (the day this was written) it cannot.
  const rev = (name: string, released: string, endOfLife: string, estimated: boolean) => ({ ...memoryRevision(name, endOfLife, undefined, estimated), released });
  const revisions = [
    rev('asm-1-27', '2025-09-21', '2026-05-31', false),
    rev('asm-1-28', '2026-02-08', '2026-08-31', true),
    rev('asm-1-29', '2026-04-28', '2026-09-30', true),
    rev('asm-1-30', '2026-07-17', '2026-12-31', true),
    // A revision with a firm date far ahead: the catalog can vouch for an announced date.
    rev('asm-1-26', '2025-07-20', '2027-04-30', false),
  ];
  const sources = [{ repo: 'Azure/AKS', path: 'CHANGELOG.md', commit: '8d1c890900df47080a5a3a0de0ad06da110af845', date: '2026-08-07' }];
  const ctx = (names: string[], now: string) => {
    const c = intentContext(names, revisions, { now });
    return { ...c, catalog: { ...c.catalog, sources } };
  };
  const known = 'Meshplane\'s revision catalog knows AKS up to 2026-08-07 (Azure/AKS 8d1c890)';
  const policy = '(its minors came a median 80 days apart) and the support policy keeps a revision two minors behind the newest only 42 days after the newest rolls out';
  const stale = `${known}; a minor newer than asm-1-30 was due by 2026-10-05 ${policy}, so the catalog cannot vouch for this after 2026-11-16`;
  const staleNewest = `${known}; the second minor after asm-1-30, which makes it n-2, was due by 2026-12-24 ${policy}, so the catalog cannot vouch for this after 2027-02-04`;
  // [revisions, now, messages]
  const cases: Array<[string[], string, string[]]> = [
    // The last day the catalog vouches: as before.
    [['asm-1-29', 'asm-1-30'], '2026-11-16', []],
    // The day after: asm-1-29 is kept only as one of the two newest the catalog knows.
    [['asm-1-29'], '2026-11-17', [`asm-1-29 counts as supported only as one of the two newest revisions the catalog knows (its expected end of life 2026-09-30 has passed), and on 2026-11-17 that may no longer hold: ${stale}`]],
    [['asm-1-29'], '2026-12-03', [`asm-1-29 counts as supported only as one of the two newest revisions the catalog knows (its expected end of life 2026-09-30 has passed), and on 2026-12-03 that may no longer hold: ${stale}`]],
    // asm-1-30, the newest the catalog knows, loses support only six weeks after the second minor
    // after it (expected 2026-12-24): vouched for until 2027-02-04, past its expected end of life.
    [['asm-1-30'], '2026-12-03', []],
    [['asm-1-30'], '2027-02-04', []],
    [['asm-1-30'], '2027-02-05', [`asm-1-30 counts as supported only as one of the two newest revisions the catalog knows (its expected end of life 2026-12-31 has passed), and on 2027-02-05 that may no longer hold: ${staleNewest}`]],
    // A revision past its end of life is reported as such, once.
    [['asm-1-28'], '2026-12-03', ['asm-1-28 reached its end of life on 2026-08-31 (an expected date): it gets no patches or support']],
    // A firm date ahead: nothing to say.
    [['asm-1-26'], '2026-12-03', []],
  ];
  for (const [names, now, want] of cases) {
    it(`${names.join(', ')} on ${now}`, () => {
      const got = revisionEndOfLifeRule.check(ctx(names, now) as Parameters<typeof revisionEndOfLifeRule.check>[0]);
      assert.deepEqual(got.map((v) => v.message), want);
      for (const v of got.filter((x) => x.message.includes('may no longer hold'))) {
        assert.match(v.remediation ?? '', /^upgrade Meshplane to a release with a newer revision catalog .*refresh catalog\/revisions\.yaml.*az aks mesh get-revisions/);
        assert.equal(v.where?.file, `mesh:spec.istio.revisions.${names.indexOf(v.message.split(' ')[0] as string)}`);
      }
    });
  }
});
