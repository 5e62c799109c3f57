/** isGenerateAnswer against real results (a clean render and a failing one) and each field taken away or spoilt. */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planGenerate, runGenerate } from '../flows/generate.js';
import { sourceFilesFromTexts } from '../pipeline/load.js';
import { ENVOY_FILTER, meshFiles } from '../../test/helpers/server.js';
import { answerErrorCode, answerInputError, isGenerateAnswer, listItems } from './server-answer.js';
import path from 'node:path';
import { readSourceTree } from '../pipeline/load.js';
import { REPO_ROOT } from '../../test/helpers/cli.js';

/** A result as it crosses the wire (what the server's JSON answer holds). */
const wire = (v: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;

describe('isGenerateAnswer', () => {
  let clean: Record<string, unknown>;
  let failing: Record<string, unknown>;
  let excepted: Record<string, unknown>;
  before(async () => {
    const plan = planGenerate({}, { format: 'yaml', now: '2026-12-02' });
    clean = wire(await runGenerate(sourceFilesFromTexts(Object.entries(meshFiles())), {}, plan, { outputs: null }));
    failing = wire(await runGenerate(sourceFilesFromTexts(Object.entries(meshFiles({ 'filter.yaml': ENVOY_FILTER }))), {}, plan, { outputs: null }));
    // Exceptions in every state (one waiving), a policy line for a changed forbidden-kind list, skipped rules with their detail.
    const fixture = await readSourceTree(path.join(REPO_ROOT, 'test', 'cases', 'check', 'exceptions'));
    excepted = wire(await runGenerate(fixture, {}, planGenerate({}, { format: 'yaml', now: '2026-06-15' }), { outputs: null }));
  });

  it('takes a real clean answer and a real failing one (with its violations)', () => {
    assert.equal(isGenerateAnswer(clean), true);
    assert.equal(failing.exitClass, 'violations');
    assert.ok(((failing.report as { violations: unknown[] }).violations).length > 0);
    assert.equal(isGenerateAnswer(failing), true);
  });

  it('takes a real answer with waived findings, exceptions, policy lines and skipped rules', () => {
    const report = excepted.report as { waived: unknown[]; exceptions: unknown[]; policy: unknown[]; rules: Array<{ detail?: string }> };
    assert.ok(report.waived.length > 0 && report.exceptions.length === 3 && report.policy.length > 0, JSON.stringify(report).slice(0, 300));
    assert.ok(report.rules.some((r) => typeof r.detail === 'string'), 'a rule with a detail');
    assert.equal(isGenerateAnswer(excepted), true);
  });

  const spoilt: Array<[string, (a: Record<string, unknown>) => unknown]> = [
    ['no exit class', (a) => ({ ...a, exitClass: undefined })],
    ['an unknown exit class', (a) => ({ ...a, exitClass: 'fine' })],
    ['an exit code over 255', (a) => ({ ...a, exitCode: 256 })],
    ['a clean answer without its manifests', (a) => ({ ...a, output: undefined })],
    ['a notice that is a number', (a) => ({ ...a, notices: [1] })],
    ['a notice of an unknown level', (a) => ({ ...a, notices: [{ level: 'debug', message: 'x' }] })],
    ['no report', (a) => ({ ...a, report: undefined })],
    ['a report without rules', (a) => ({ ...a, report: { ...(a.report as object), rules: undefined } })],
    ['a violation without its message', (a) => ({ ...a, report: { ...(a.report as object), violations: [{ ruleId: 'x', severity: 'error', resource: 'r', remediation: 'y' }] } })],
    ['a position that is not one', (a) => ({ ...a, notices: [{ level: 'warning', message: 'x', where: { file: 'a' } }] })],
    ['a summary with a text count', (a) => ({ ...a, report: { ...(a.report as object), summary: { ...((a.report as { summary: object }).summary), errors: '0' } } })],
    ['a list', () => []],
    ['null', () => null],
  ];
  for (const [what, spoil] of spoilt) it(`refuses ${what}`, () => assert.equal(isGenerateAnswer(spoil(clean)), false));
});

describe('listItems', () => {
  const cases: Array<[string, string, number | undefined]> = [
    ['a List of objects', '{"apiVersion":"v1","kind":"List","items":[{"kind":"A"},{"kind":"B"}]}', 2],
    ['an empty List', '{"kind":"List","items":[]}', 0],
    ['not JSON', 'kind: List', undefined],
    ['items that are not objects', '{"items":[1]}', undefined],
    ['no items', '{"kind":"List"}', undefined],
  ];
  for (const [what, text, count] of cases) it(`${what} → ${String(count)}`, () => assert.equal(listItems(text)?.length, count));
});

describe('answerErrorCode', () => {
  const cases: Array<[string, unknown, string]> = [
    ['a code', { error: { code: 'intent-invalid' } }, 'intent-invalid'],
    ['free text', { error: { code: 'Bad Request' } }, ''],
    ['a line break', { error: { code: 'busy\nwarning: x' } }, ''],
    ['no error', { message: 'x' }, ''],
    ['not an object', 'x', ''],
  ];
  for (const [what, payload, code] of cases) it(`${what} → "${code}"`, () => assert.equal(answerErrorCode(payload), code));
});

describe('answerInputError', () => {
  const error = (e: Record<string, unknown>) => ({ error: { code: 'intent-invalid', message: 'bad intent', ...e } });
  const cases: Array<[string, unknown, boolean]> = [
    ['a CLI input error with details and a hint', error({ details: [{ where: { file: 'mesh.yaml', line: 3, column: 1 }, message: 'x', hint: 'y' }], hint: 'fix it' }), true],
    ['one without details', error({}), true],
    ['the server\'s wire form (absent fields are null)', error({ hint: null, details: [{ where: null, path: null, message: 'x', hint: null }] }), true],
    ['a code the CLI does not raise (a proxy)', error({ code: 'bad-request' }), false],
    ['the internal code', error({ code: 'internal' }), false],
    ['a detail that is null', error({ details: [null] }), false],
    ['a detail without its message', error({ details: [{ hint: 'y' }] }), false],
    ['a message that is a number', error({ message: 5 }), false],
    ['a hint that is a number', error({ hint: 5 }), false],
    ['no error at all', { message: 'x' }, false],
  ];
  for (const [what, payload, rebuilt] of cases) it(`${what} → ${rebuilt ? 'rebuilt' : 'not an input error'}`, () => assert.equal(answerInputError(payload) !== undefined, rebuilt));
  it('drops the wire\'s nulls', () => {
    assert.deepEqual(answerInputError(error({ hint: null, details: [{ where: null, path: 'spec.x', message: 'm', hint: null }] })), { code: 'intent-invalid', message: 'bad intent', details: [{ message: 'm', path: 'spec.x' }] });
  });
});
