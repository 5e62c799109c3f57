import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { catalogReadDates, headerDate, newestDate } from './read-dates.js';

describe('catalog read dates', () => {
  const cases: { name: string; text: string; want: string | undefined }[] = [
    { name: 'one date in the header', text: '# Sources (read 2026-11-25)\nrevisions: []\n', want: '2026-11-25' },
    { name: 'the newest of several', text: '# read 2026-01-02\n# Read 2026-08-21\nx: 1\n', want: '2026-08-21' },
    { name: 'a date in the data is not the header', text: '# no date here\nnote: read 2027-01-01\n', want: undefined },
    { name: 'no header', text: 'x: 1\n', want: undefined },
  ];
  for (const c of cases) it(c.name, () => assert.equal(headerDate(c.text), c.want));

  it('every shipped catalog file names the date it was read', () => {
    const dates = catalogReadDates();
    assert.ok(Object.keys(dates).length >= 5);
    for (const [file, date] of Object.entries(dates)) assert.match(date, /^\d{4}-\d{2}-\d{2}$/, `${file} names no read date in its header`);
    assert.equal(newestDate(dates), Object.values(dates).sort().at(-1));
  });

  it('newestDate ignores unknown and says unknown when nothing is known', () => {
    assert.equal(newestDate({ a: 'unknown', b: '2026-01-01' }), '2026-01-01');
    assert.equal(newestDate({ a: 'unknown' }), 'unknown');
  });
});
