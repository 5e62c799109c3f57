/** `check --output json`: the whole report, losslessly, as valid UTF-8 JSON even for hostile strings. */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckReport } from '../guardrails/check.js';
import { sampleReports } from '../../test/schemas/sample-reports.js';
import { JSON_REPORT_VERSION, jsonFormatter } from './json.js';

const opts = { color: false, version: '0.0.0-test' };
let reports: Record<string, CheckReport> = {};
before(async () => {
  reports = await sampleReports();
});

describe('json report', () => {
  it('round-trips every report exactly, hostile strings included, with no raw control character', () => {
    for (const [kind, r] of Object.entries(reports)) {
      const out = jsonFormatter.format(r, opts);
      assert.doesNotMatch(out, /[\u0000-\u0009\u000b-\u001f]/, kind);
      assert.equal(Buffer.from(out, 'utf8').toString('utf8'), out, `${kind}: encodes to UTF-8 without loss`);
      const { reportVersion, tool, ...rest } = JSON.parse(out) as Record<string, unknown>;
      assert.equal(reportVersion, JSON_REPORT_VERSION);
      assert.deepEqual(tool, { name: 'meshplane', version: '0.0.0-test' });
      assert.deepEqual(rest, JSON.parse(JSON.stringify(r)), kind);
    }
  });
});
