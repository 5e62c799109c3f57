/**
 * `meshplane check --output sarif` judged by Microsoft's SARIF validator, `Sarif.Multitool
 * validate` from @microsoft/sarif-multitool-linux@5.7.0 (microsoft/sarif-sdk; see
 * test/schemas/report-contracts.ts), and by ajv against the schema that package ships. The logs
 * come from the real CLI on rule fixtures (findings with file:line, a clean run, waived findings
 * as suppressions with exception notifications) and from the formatter on the crashed-rule and
 * hostile sample reports. One validator run covers every log, the two deliberately broken ones included.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT, runCli } from '../../test/helpers/cli.js';
import { multitoolValidate, sarifErrataProblems, sarifValidator, type MultitoolFinding } from '../../test/schemas/report-contracts.js';
import { sampleReports } from '../../test/schemas/sample-reports.js';
import { sarifFormatter } from './sarif.js';

/** The CLI runs whose SARIF is validated: file name, source folder, the exit code check gives. */
const CLI_CASES: Array<[string, string, number]> = [
  ['findings.sarif', 'test/cases/rules/forbidden-kind/fail/wasmplugin-in-json', 1],
  ['clean.sarif', 'test/cases/rules/forbidden-kind/pass/virtual-service', 0],
  ['exceptions.sarif', 'test/cases/check/exceptions', 1],
];
/** Formatter output for the reports the CLI cannot be made to produce (a crashing rule, hostile text). */
const SAMPLE_CASES = ['crashed', 'hostile-findings', 'hostile-crashed'];

type Log = { runs: Array<{ results: Array<Record<string, unknown>> }> };
/**
 * Logs spoiled on purpose, each with the validator rule that must catch it. Why these: the
 * multitool silently reports nothing for a log it cannot deserialize (an unknown `level`, a
 * result without `message`: no finding, and the other logs of that run go missing too), so the
 * spoils are ones it reads and then rejects: by its schema check and by one of its SARIF rules.
 */
const BROKEN: Array<[string, string[], (l: Log) => void]> = [
  ['broken-extra-property.sarif', ['JSON1005'], (l) => { l.runs[0]!.results[0]!.severity = 'high'; }],
  ['broken-rule-index.sarif', ['JSON1008', 'SARIF1009'], (l) => { l.runs[0]!.results[0]!.ruleIndex = -2; }],
];
/**
 * Warnings the validator gives on every Meshplane log, and why they stay: SARIF2005 asks for
 * `tool.driver.informationUri`, a web page about the tool, and Meshplane has no published home
 * page to name (an invented URL would be worse than none).
 */
const ACCEPTED_WARNINGS = new Set(['SARIF2005']);

let dir = '';
const logs = new Map<string, string>();
let findings: MultitoolFinding[] = [];
before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'meshplane-sarif-'));
  for (const [file, source, code] of CLI_CASES) {
    const r = await runCli(['check', path.join(REPO_ROOT, source), '--output', 'sarif', '--now', '2026-06-15'], { timeoutMs: 120_000 });
    assert.equal(r.code, code, `${source}: ${r.stderr}`);
    logs.set(file, r.stdout);
  }
  const reports = await sampleReports();
  for (const name of SAMPLE_CASES) logs.set(`${name}.sarif`, sarifFormatter.format(reports[name]!, { color: false, version: '0.0.0-test' }));
  for (const [file, , spoil] of BROKEN) {
    const log = JSON.parse(logs.get('findings.sarif')!) as Log;
    spoil(log);
    logs.set(file, JSON.stringify(log, null, 2));
  }
  for (const [file, text] of logs) writeFileSync(path.join(dir, file), text);
  findings = multitoolValidate(dir, [...logs.keys()]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const of = (file: string, level?: MultitoolFinding['level']) => findings.filter((f) => f.file === file && (!level || f.level === level));

describe('sarif against Sarif.Multitool validate', () => {
  it('read every log (each has at least one finding, if only a note)', () => {
    for (const file of logs.keys()) assert.ok(of(file).length > 0, `${file}: no finding at all, so the validator did not read it`);
  });

  it('finds no error in any log Meshplane writes, and no warning but the accepted ones', () => {
    for (const file of logs.keys()) {
      if (file.startsWith('broken-')) continue;
      assert.deepEqual(of(file, 'error'), [], file);
      assert.deepEqual(of(file, 'warning').filter((f) => !ACCEPTED_WARNINGS.has(f.ruleId)), [], file);
    }
  });

  it('rejects the broken logs with the rules expected (so the checks above can fail)', () => {
    for (const [file, rules] of BROKEN) {
      const errors = of(file, 'error').map((f) => f.ruleId).sort();
      assert.deepEqual(errors, rules, `${file}: ${JSON.stringify(of(file, 'error'))}`);
    }
  });
});

describe('sarif against the sarif-sdk schema (ajv, JSON Schema 2020-12)', () => {
  const validate = sarifValidator();

  it('accepts every log Meshplane writes, and every region names its start (OASIS errata01)', () => {
    for (const [file, text] of logs) {
      if (file.startsWith('broken-')) continue;
      const log = JSON.parse(text) as unknown;
      assert.ok(validate(log), `${file}: ${JSON.stringify(validate.errors, null, 1)}`);
      assert.deepEqual(sarifErrataProblems(log), [], file);
    }
  });

  it('rejects the broken logs, and the ones the multitool cannot read', () => {
    for (const [file] of BROKEN) assert.equal(validate(JSON.parse(logs.get(file)!)), false, file);
    const unreadable: Array<[string, (l: Log) => void]> = [
      ['an unknown level', (l) => { l.runs[0]!.results[0]!.level = 'fatal'; }],
      ['a result without message', (l) => { delete l.runs[0]!.results[0]!.message; }],
    ];
    for (const [what, spoil] of unreadable) {
      const log = JSON.parse(logs.get('findings.sarif')!) as Log;
      spoil(log);
      assert.equal(validate(log), false, what);
    }
  });
});
