/**
 * The catalog's horizon: the date its knowledge reaches, the next minor its own release cadence
 * expects, and the last day it can vouch for support that needs it to know every newer revision.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { packagePath } from '../core/paths.js';
import { loadCatalog, type Catalog, type RevisionEntry, type SourceSnapshot } from './catalog.js';
import { addDays, catalogHorizon, horizonReason, loadSupportPolicy, medianDays, pastHorizon, supportUnvouched, vouchedUntilFor, type CatalogHorizon } from './horizon.js';

const rev = (name: string, released: string, endOfLife = '2099-12-31', endOfLifeEstimated?: boolean): RevisionEntry =>
  ({ name, istio: '', patches: [], kubernetes: { min: '1.30', max: '1.35' }, released, endOfLife, ...(endOfLifeEstimated === undefined ? {} : { endOfLifeEstimated }) }) as RevisionEntry;
const src = (repo: string, date: string): SourceSnapshot => ({ repo, path: 'x.md', commit: '0123456789abcdef', date });
const POLICY = { deprecationNoticeDays: 42 };

describe('medianDays', () => {
  const cases: Array<[number[], number | undefined]> = [
    [[], undefined],
    [[80], 80],
    [[140, 79, 80], 80],
    // Even count: the mean of the middle two, rounded (79.5 → 80).
    [[42, 45, 47, 63, 79, 80, 84, 96, 140, 196], 80],
    [[10, 20], 15],
  ];
  for (const [values, want] of cases) it(`[${values.join(', ')}] → ${String(want)}`, () => assert.equal(medianDays(values), want));
});

describe('addDays', () => {
  const cases: Array<[string, number, string]> = [['2026-07-17', 80, '2026-10-05'], ['2026-10-05', 42, '2026-11-16'], ['2024-02-28', 1, '2024-02-29'], ['2026-12-31', 1, '2027-01-01']];
  for (const [date, days, want] of cases) it(`${date} + ${days}`, () => assert.equal(addDays(date, days), want));
});

describe('catalogHorizon', () => {
  const three = [rev('asm-1-28', '2026-02-08'), rev('asm-1-29', '2026-04-28'), rev('asm-1-30', '2026-07-17')];
  // [name, catalog, expected horizon (undefined: none)]
  const cases: Array<[string, Pick<Catalog, 'revisions' | 'sources'>, Partial<CatalogHorizon> | undefined]> = [
    [
      // Gaps 79 and 80 days → median 80: asm-1-31 was due 2026-10-05, vouched until six weeks later.
      'without sources: knows up to its newest release',
      { revisions: three },
      { asOf: '2026-07-17', basis: 'the newest release it records', newest: 'asm-1-30', cadenceDays: 80, nextExpected: '2026-10-05', noticeDays: 42, vouchedUntil: '2026-11-16' },
    ],
    [
      'the oldest source snapshot is the date of its knowledge',
      { revisions: three, sources: [src('MicrosoftDocs/azure-aks-docs', '2026-08-21'), src('Azure/AKS', '2026-08-07')] },
      { asOf: '2026-08-07', basis: 'Azure/AKS 0123456', nextExpected: '2026-10-05', vouchedUntil: '2026-11-16' },
    ],
    [
      // Read when the next minor was already overdue: it may come any day after the snapshot.
      'a snapshot after the expected release: the next minor is due from the snapshot on',
      { revisions: three, sources: [src('Azure/AKS', '2026-12-01')] },
      { asOf: '2026-12-01', nextExpected: '2026-12-01', vouchedUntil: '2027-01-12' },
    ],
    [
      'one revision: no cadence, only the notice after the date of its knowledge',
      { revisions: [rev('asm-1-30', '2026-07-17')] },
      { asOf: '2026-07-17', newest: 'asm-1-30', nextExpected: '2026-07-17', vouchedUntil: '2026-08-28' },
    ],
    [
      'the newest is the highest minor, whatever the order of the file',
      { revisions: [three[2] as RevisionEntry, three[0] as RevisionEntry, three[1] as RevisionEntry] },
      { newest: 'asm-1-30', cadenceDays: 80 },
    ],
    ['no dated revision: no horizon', { revisions: [rev('asm-1-30', ''), rev('asm-1-31', 'someday')] }, undefined],
  ];
  for (const [name, catalog, want] of cases) {
    it(name, () => {
      const got = catalogHorizon(catalog, POLICY);
      if (want === undefined) return assert.equal(got, undefined);
      assert.ok(got);
      assert.deepEqual(Object.fromEntries(Object.keys(want).map((k) => [k, got[k as keyof CatalogHorizon]])), want);
    });
  }

  it('of the shipped catalog: AKS facts up to 2026-08-07, asm-1-31 due 2026-10-05, vouched until 2026-11-16', () => {
    // catalog/revisions.yaml: Azure/AKS 8d1c890 (2026-08-07) and azure-aks-docs fb060ab
    // (2026-08-21); its minors asm-1-20 … asm-1-30 came a median 80 days apart, asm-1-30 on
    // 2026-07-17; catalog/support-policy.yaml: 42 days (the policy's six weeks).
    assert.deepEqual(catalogHorizon(loadCatalog()), {
      asOf: '2026-08-07',
      basis: 'Azure/AKS 8d1c890',
      newest: 'asm-1-30',
      cadenceDays: 80,
      nextExpected: '2026-10-05',
      noticeDays: 42,
      vouchedUntil: '2026-11-16',
    });
  });
});

describe('supportUnvouched', () => {
  const h = catalogHorizon({ revisions: [rev('asm-1-29', '2026-04-28'), rev('asm-1-30', '2026-07-17')] }, { deprecationNoticeDays: 42 });
  // [revision, now, unvouched]; the horizon ends 2026-07-17 + 80 + 42 = 2026-11-16.
  const cases: Array<[RevisionEntry, string, boolean]> = [
    [rev('asm-1-29', '2026-04-28', '2026-09-30', true), '2026-11-16', false],
    [rev('asm-1-29', '2026-04-28', '2026-09-30', true), '2026-11-17', true],
    // The newest revision the catalog knows becomes n-2 only with the second minor after it,
    // expected one gap later: vouched for until 2026-11-16 + 80 = 2027-02-04, even with an
    // expected end of life that has not passed.
    [rev('asm-1-30', '2026-07-17', '2026-12-31', true), '2026-12-03', false],
    [rev('asm-1-30', '2026-07-17', '2026-12-31', true), '2027-02-04', false],
    [rev('asm-1-30', '2026-07-17', '2026-12-31', true), '2027-02-05', true],
    // Older than the newest: one more minor makes it n-2.
    [rev('asm-1-29', '2026-04-28', '2027-03-31', true), '2026-11-17', true],
    // A firm date was announced: the catalog vouches for it on any day.
    [rev('asm-1-27', '2025-09-21', '2027-05-31', false), '2026-12-03', false],
    [rev('asm-1-27', '2025-09-21', '2027-05-31'), '2027-01-01', false],
    // Not released yet on that day: it is not claimed to be supported at all.
    [rev('asm-1-31', '2027-01-10', '2027-06-30', true), '2027-01-01', false],
  ];
  for (const [entry, now, want] of cases) it(`${entry.name} (${entry.endOfLife}${entry.endOfLifeEstimated ? ', expected' : ''}) on ${now}`, () => assert.equal(supportUnvouched(h, entry, now), want));
  it('a catalog without dates is never past its horizon', () => assert.equal(pastHorizon(undefined, '2099-01-01'), false));
});

describe('vouchedUntilFor', () => {
  const h = catalogHorizon({ revisions: [rev('asm-1-29', '2026-04-28'), rev('asm-1-30', '2026-07-17')] }, { deprecationNoticeDays: 42 }) as CatalogHorizon;
  // [revision, last vouched day, what the reason names as due]
  const cases: Array<[string, string, RegExp]> = [
    ['asm-1-30', '2027-02-04', /the second minor after asm-1-30, which makes it n-2, was due by 2026-12-24 .* after 2027-02-04$/],
    ['asm-1-29', '2026-11-16', /a minor newer than asm-1-30 was due by 2026-10-05 .* after 2026-11-16$/],
    ['asm-1-25', '2026-11-16', /a minor newer than asm-1-30 was due by 2026-10-05 .* after 2026-11-16$/],
  ];
  for (const [name, until, reason] of cases) {
    it(`${name}: ${until}`, () => {
      assert.equal(vouchedUntilFor(h, { name }), until);
      assert.match(horizonReason(h, { name }), reason);
    });
  }
  it('without a cadence the newest is vouched for no longer than the rest', () => {
    const single = catalogHorizon({ revisions: [rev('asm-1-30', '2026-07-17')] }, { deprecationNoticeDays: 42 }) as CatalogHorizon;
    assert.equal(vouchedUntilFor(single, { name: 'asm-1-30' }), single.vouchedUntil);
  });
});

describe('the catalog data behind the horizon', () => {
  it('support-policy.yaml gives the six weeks of the support policy, in days', () => {
    // azure-aks-docs articles/aks/istio-support-policy.md (fb060ab), "Supported revisions": n-2
    // stays supported until six weeks after n starts rolling out to all regions.
    assert.equal(loadSupportPolicy().deprecationNoticeDays, 6 * 7);
  });
  it('revisions.yaml names a source snapshot of the release notes and of the support policy, each cited in its header', () => {
    const sources = loadCatalog().sources ?? [];
    assert.deepEqual(sources.map((s) => s.repo).sort(), ['Azure/AKS', 'MicrosoftDocs/azure-aks-docs']);
    const header = readFileSync(packagePath('catalog', 'revisions.yaml'), 'utf8').split('\n').filter((l) => l.startsWith('#')).join('\n');
    for (const s of sources) {
      assert.match(s.commit, /^[0-9a-f]{40}$/, s.repo);
      assert.match(s.date, /^\d{4}-\d{2}-\d{2}$/, s.repo);
      assert.ok(header.includes(s.commit.slice(0, 7)), `the header cites ${s.repo} ${s.commit.slice(0, 7)}`);
      assert.ok(header.includes(s.date), `the header dates ${s.repo} ${s.date}`);
    }
  });
});
