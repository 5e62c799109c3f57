/** check(): exceptions (active, expired, unused), policy lines, outcomes, ordering and fail-closed rule errors. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { REPO_ROOT } from '../../test/helpers/cli.js';
import { checkFixture, RULE_CASES } from '../../test/helpers/rule-fixtures.js';
import { render } from '../pipeline/render.js';
import { check, compareViolations, hasErrors } from './check.js';
import { MeshplaneError } from '../core/errors.js';
import { readSourceTree } from '../pipeline/load.js';
import type { Rule } from '../rules/types.js';

const EXCEPTIONS = path.join(REPO_ROOT, 'test', 'cases', 'check', 'exceptions');

async function rendered(dir: string, mutate: (text: string) => string = (t) => t) {
  const files = (await readSourceTree(dir)).map((f) => (f.path === 'mesh.yaml' ? { ...f, text: mutate(f.text) } : f));
  return render({ files, env: { now: new Date('2026-06-15T00:00:00Z') } });
}

describe('check: exceptions', () => {
  it('waives through the expiry day, stops waiving after it, and lists every exception with its state', async () => {
    const report = await checkFixture(EXCEPTIONS);
    assert.deepEqual(report.exceptions.map((e) => [e.rule, e.resource, e.status, e.waived]), [
      ['forbidden-kind', 'networking.istio.io/EnvoyFilter/shop/*', 'active', 1],
      ['forbidden-kind', 'extensions.istio.io/WasmPlugin/shop/waf', 'expired', 0],
      ['injection-label-unsupported', 'core/Namespace/nothing-matches', 'unused', 0],
    ]);
    assert.deepEqual(report.waived.map((w) => w.violation.resource), ['networking.istio.io/EnvoyFilter/shop/lua-headers']);
    const forbidden = report.violations.filter((v) => v.ruleId === 'forbidden-kind').map((v) => v.resource);
    assert.deepEqual(forbidden, ['extensions.istio.io/WasmPlugin/shop/waf', 'networking.istio.io/Sidecar/shop/default'], 'the expired exception no longer waives; the added kind is enforced');
    assert.equal(report.exceptions[0]?.where?.file, 'mesh.yaml');
    assert.equal(report.exceptions[0]?.where?.line, 23);
    assert.equal(hasErrors(report), true);
  });

  it('reports every change to the forbidden-kind list as a policy line', async () => {
    const report = await checkFixture(EXCEPTIONS);
    assert.deepEqual(report.policy.map((p) => p.message), [
      'forbidden kind networking.istio.io/Sidecar is added to the default list by spec.policy.forbiddenKinds',
      'forbidden kind telemetry.istio.io/Telemetry is NOT enforced: spec.policy.forbiddenKinds drops it from the default list',
    ]);
    assert.equal(report.policy[0]?.where?.line, 14);
  });

  it('rejects a malformed exception (unknown rule, bad resource, impossible date) with every problem and its line', async () => {
    const result = await rendered(EXCEPTIONS, (t) => t.replace('rule: injection-label-unsupported', 'rule: injection-label-unsuported').replace('core/Namespace/nothing-matches', 'Namespace').replace('"2027-01-01"', '"2027-02-30"'));
    assert.throws(() => check(result, { now: new Date('2026-06-15T00:00:00Z') }), (err: unknown) => {
      assert.ok(err instanceof MeshplaneError);
      assert.equal(err.code, 'intent-invalid');
      assert.equal(err.details.length, 3);
      assert.match(err.details[0]?.message ?? '', /did you mean "injection-label-unsupported"/);
      assert.deepEqual(err.details.map((d) => d.where?.line), [31, 32, 34]);
      return true;
    });
  });
});

describe('check: outcomes and order', () => {
  it('counts one outcome per rule and sorts findings errors-first, by position', async () => {
    const report = await checkFixture(EXCEPTIONS);
    const total = Object.values(report.summary.outcomes).reduce((a, b) => a + b, 0);
    assert.equal(total, report.rules.length);
    assert.equal(report.rules.find((r) => r.ruleId === 'api-unavailable')?.outcome, 'skip');
    assert.equal(report.rules.find((r) => r.ruleId === 'forbidden-kind')?.outcome, 'fail');
    const sorted = [...report.violations].sort(compareViolations);
    assert.deepEqual(report.violations, sorted);
    assert.deepEqual(report.rules.map((r) => r.ruleId), [...report.rules.map((r) => r.ruleId)].sort());
  });

  it('gives the same report whatever order the rules run in', async () => {
    const result = await rendered(EXCEPTIONS);
    const now = new Date('2026-06-15T00:00:00Z');
    const a = check(result, { now });
    const { allRules } = await import('../rules/index.js');
    const b = check(result, { now, rules: [...allRules()].reverse() });
    assert.deepEqual(b, a);
  });

  it('fails closed when a rule throws: outcome error, an unwaivable error finding', async () => {
    const result = await rendered(path.join(RULE_CASES, 'forbidden-kind', 'pass', 'virtual-service'), (t) =>
      t + '  policy:\n    exceptions:\n      - {rule: schema-invalid, resource: meshplane.io/ServiceMesh/fixture, reason: r, expires: "2030-01-01"}\n');
    const boom: Rule = { id: 'schema-invalid', severity: 'warning', description: 'a rule that throws', check: () => { throw new Error('boom'); } };
    const report = check(result, { now: new Date('2026-06-15T00:00:00Z'), rules: [boom] });
    assert.equal(report.rules[0]?.outcome, 'error');
    assert.equal(report.rules[0]?.detail, 'boom');
    assert.equal(report.summary.outcomes.error, 1);
    assert.equal(report.violations[0]?.severity, 'error');
    assert.match(report.violations[0]?.message ?? '', /could not run: boom/);
    assert.equal(report.waived.length, 0, 'an exception for the rule does not waive a crash');
    assert.equal(hasErrors(report), true);
  });
});
