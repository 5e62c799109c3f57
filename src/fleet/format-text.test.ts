/** The catalog-horizon phrases the fleet formats share: per revision, and for the whole report. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fleetReport, type RevisionWindow } from './report.js';
import { formatFleetText, staleCatalogText, unverifiedText } from './format-text.js';
import { formatFleetMarkdown } from './format-markdown.js';
import { formatFleetHtml } from './format-html.js';

const win = (vouched: boolean, vouchedUntil: string | null): RevisionWindow => ({ revision: 'asm-1-29', istio: '1.29.1', released: '2026-04-28', endOfLife: '2026-09-30', endOfLifeEstimated: true, status: 'supported', support: 'kept', vouched, vouchedUntil, tags: [] });
const CATALOG = { asOf: '2026-08-07', basis: 'Azure/AKS 8d1c890', nextExpected: '2026-10-01', vouchedUntil: '2026-11-16' };

describe('unverifiedText', () => {
  const cases: Array<[boolean, string | null, string]> = [
    [true, '2026-11-16', ''],
    [true, null, ''],
    [false, '2026-11-16', ' (support unverified after 2026-11-16)'],
  ];
  for (const [vouched, until, want] of cases) it(`vouched ${vouched}, until ${until} → ${JSON.stringify(want)}`, () => assert.equal(unverifiedText(win(vouched, until)), want));
});

describe('the catalog note in every format', () => {
  const line = { cluster: 'c1', folder: 'c1', status: 'ok' as const, mesh: 'm', kubernetes: { version: '1.33', from: 'spec' }, revisions: [win(false, '2026-11-16')], danglingTags: [], upgrade: null, guardrails: null, error: null };
  const cases: Array<[string, boolean | null, boolean]> = [
    ['a stale catalog is noted', true, true],
    ['a catalog within its horizon is not', false, false],
    ['no dated catalog: no note', null, false],
  ];
  for (const [name, stale, noted] of cases) {
    it(name, () => {
      const report = fleetReport('2026-12-02', false, [line], [], stale === null ? null : { ...CATALOG, stale });
      assert.equal(staleCatalogText(report) !== undefined, noted);
      const note = /knows AKS up to 2026-08-07 \(Azure\/AKS 8d1c890\) and vouches .* only until 2026-11-16/;
      for (const out of [formatFleetText(report), formatFleetMarkdown(report), formatFleetHtml(report)]) {
        assert.equal(note.test(out), noted);
        assert.match(out, /support unverified after 2026-11-16/);
      }
    });
  }
});
