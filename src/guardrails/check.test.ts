/** check(): exceptions (active, expired, unused), policy lines, outcomes, ordering and fail-closed rule errors. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { REPO_ROOT } from '../../test/helpers/cli.js';
import { checkFixture, RULE_CASES } from '../../test/helpers/rule-fixtures.js';
import { render } from '../pipeline/render.js';
import { check, compareViolations, documentFinder, hasErrors } from './check.js';
import type { ParsedDocument } from '../pipeline/load.js';
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

describe('documentFinder', () => {
  const doc = (file: string, line: number): ParsedDocument => ({ file, line }) as unknown as ParsedDocument;
  const docs = [doc('a.yaml', 1), doc('a.yaml', 5), doc('a.yaml', 9), doc('b.yaml', 3)];
  const cases: Array<{ file: string; line: number; want: number | undefined }> = [
    { file: 'a.yaml', line: 1, want: 0 },
    { file: 'a.yaml', line: 4, want: 0 },
    { file: 'a.yaml', line: 5, want: 1 },
    { file: 'a.yaml', line: 8, want: 1 },
    { file: 'a.yaml', line: 900, want: 2 },
    { file: 'b.yaml', line: 2, want: undefined },
    { file: 'b.yaml', line: 3, want: 3 },
    { file: 'c.yaml', line: 3, want: undefined },
  ];
  for (const c of cases) {
    it(`${c.file}:${c.line} is in ${c.want === undefined ? 'no document' : `document ${c.want}`}`, () => {
      assert.equal(documentFinder(docs)(c.file, c.line), c.want === undefined ? undefined : docs[c.want]);
    });
  }

  it('looks a line up with a binary search, not a pass over the file (one finding per object of a large file)', () => {
    const n = 4096;
    let reads = 0;
    const counted = Array.from({ length: n }, (_, i) => new Proxy(doc('big.yaml', 1 + 4 * i), { get: (t, k) => ((k === 'line' && reads++), Reflect.get(t, k)) }));
    const find = documentFinder(counted);
    for (let i = 0; i < n; i++) assert.equal(find('big.yaml', 2 + 4 * i), counted[i]);
    // log2(4096) = 12 reads a lookup; a scan of the file would read n = 4096.
    assert.ok(reads <= n * 14, `${reads} reads of document lines for ${n} lookups among ${n} documents`);
  });
});
