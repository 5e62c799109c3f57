/**
 * `check --output sarif` against the SARIF 2.1.0 JSON schema as Microsoft's SARIF SDK ships it
 * (test/schemas/report-contracts.ts says which file, which version, and how it differs from the
 * OASIS errata01 file), for every sample report including the hostile ones. Microsoft's validator
 * itself runs in sarif.multitool.test.ts.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckReport } from '../guardrails/check.js';
import { HOSTILE, MUST_SURVIVE } from '../../test/schemas/hostile-report.js';
import { CONTRACT_SOURCES, sarifErrataProblems, sarifSchema, sarifValidator } from '../../test/schemas/report-contracts.js';
import { sampleReports } from '../../test/schemas/sample-reports.js';
import { sarifFormatter, wellFormed } from './sarif.js';

const opts = { color: false, version: '0.0.0-test' };
let reports: Record<string, CheckReport> = {};
before(async () => {
  reports = await sampleReports();
});

type Log = { runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; invocations: Array<{ executionSuccessful: boolean }>; results: Array<Record<string, unknown> & { ruleId: string; ruleIndex: number; suppressions?: Array<{ justification: string }>; locations: Array<{ physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
const sarif = (r: CheckReport): Log => JSON.parse(sarifFormatter.format(r, opts)) as Log;

describe('sarif against the published schema', () => {
  const validate = sarifValidator();

  it('loads the schema the package ships, in the dialect it declares', () => {
    const schema = sarifSchema();
    assert.equal(CONTRACT_SOURCES.sarif.file, 'sarif-2.1.0.json');
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.match(String(schema.title), /SARIF\) Version 2\.1\.0 JSON Schema$/);
  });

  it('accepts every report, hostile ones included, and every region names its start line (errata01)', () => {
    assert.ok(Object.keys(reports).length >= 6);
    for (const [kind, r] of Object.entries(reports)) {
      const log = sarif(r);
      assert.ok(validate(log), `${kind}: ${JSON.stringify(validate.errors, null, 1)}`);
      assert.deepEqual(sarifErrataProblems(log), [], kind);
    }
  });

  it('rejects what the schema forbids (so the check above can fail)', () => {
    const log = sarif(reports.findings!);
    const cases: Array<[string, (l: Log) => void]> = [
      ['an unknown level', (l) => { l.runs[0]!.results[0]!.level = 'fatal'; }],
      ['an unknown result property', (l) => { l.runs[0]!.results[0]!.severity = 'error'; }],
      ['a message without text', (l) => { l.runs[0]!.results[0]!.message = {}; }],
      ['a suppression of an unknown kind', (l) => { l.runs[0]!.results[0]!.suppressions = [{ kind: 'inline-ish', justification: 'x' } as never]; }],
      ['a rule index below -1', (l) => { l.runs[0]!.results[0]!.ruleIndex = -2; }],
    ];
    for (const [what, spoil] of cases) {
      const bad = structuredClone(log);
      spoil(bad);
      assert.equal(validate(bad), false, what);
    }
    const noStart = structuredClone(log);
    delete (noStart.runs[0]!.results[0]!.locations[0]!.physicalLocation!.region as Partial<{ startLine: number }>).startLine;
    assert.deepEqual(sarifErrataProblems(noStart), ['$.runs[0].results[0].locations[0].physicalLocation.region']);
  });
});

describe('sarif content', () => {
  it('has one result per finding, waived ones suppressed with the exception reason, rule indexes that point at their rule', () => {
    const r = reports.findings!;
    const run = sarif(r).runs[0]!;
    assert.equal(run.results.length, r.violations.length + r.waived.length);
    for (const res of run.results) assert.equal(run.tool.driver.rules[res.ruleIndex]?.id, res.ruleId);
    const suppressed = run.results.filter((x) => x.suppressions);
    assert.equal(suppressed.length, r.waived.length);
    assert.equal(suppressed[0]?.suppressions?.[0]?.justification, r.exceptions[r.waived[0]!.exception]!.reason);
    const first = run.results[0]!.locations[0]!.physicalLocation!;
    assert.equal(first.artifactLocation.uri, r.violations[0]?.where?.file);
    assert.equal(first.region.startLine, r.violations[0]?.where?.line);
  });

  it('a crashed rule makes the invocation unsuccessful', () => {
    assert.equal(sarif(reports.crashed!).runs[0]!.invocations[0]!.executionSuccessful, false);
    assert.equal(sarif(reports.clean!).runs[0]!.invocations[0]!.executionSuccessful, true);
  });

  it('keeps hostile text as text: well-formed Unicode, escaped by JSON, file names percent-encoded', () => {
    const out = sarifFormatter.format(reports['hostile-findings']!, opts);
    assert.doesNotMatch(out, /[\u0000-\u0009\u000b-\u001f]/, 'no raw control character (JSON escapes them)');
    assert.doesNotMatch(out, /\\ud[89a-f][0-9a-f]{2}/i, 'no surrogate escape: lone surrogates became U+FFFD');
    const run = (JSON.parse(out) as Log).runs[0]!;
    const text = JSON.stringify(run.results.map((x) => x.message));
    for (const s of MUST_SURVIVE) assert.ok(JSON.parse(text).some((m: { text: string }) => m.text.includes(s)), `${JSON.stringify(s)} kept`);
    const uri = run.results[0]!.locations[0]!.physicalLocation!.artifactLocation.uri;
    assert.match(uri, /^[A-Za-z0-9\-._~!'()*%/]+$/, 'a URI reference made of unreserved characters and escapes');
    assert.ok(decodeURIComponent(uri).endsWith(wellFormed(HOSTILE)));
  });

  it('wellFormed replaces only lone surrogates', () => {
    const cases: Array<[string, string]> = [['a\ud800b', 'a\ufffdb'], ['\udfffa', '\ufffda'], ['🚀', '🚀'], ['\ud83d\ude80\ud800', '🚀\ufffd'], ['plain', 'plain']];
    for (const [input, want] of cases) assert.equal(wellFormed(input), want, JSON.stringify(input));
  });
});
