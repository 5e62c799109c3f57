/**
 * The report-format registry test: every registered format renders every kind of report
 * (clean, findings with waived/expired/unused exceptions and policy lines, a crashed rule)
 * deterministically and mentions every finding and exception. SARIF and JUnit are validated
 * against their published schemas in sarif.test.ts and junit.test.ts.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { REPO_ROOT } from '../../test/helpers/cli.js';
import { checkFixture, RULE_CASES } from '../../test/helpers/rule-fixtures.js';
import { check, type CheckReport } from '../guardrails/check.js';
import { render } from '../pipeline/render.js';
import { readSourceTree } from '../pipeline/load.js';
import type { Rule } from '../rules/types.js';
import { FORMATTERS, formatNames, formatterFor } from './index.js';

const reports: Record<string, CheckReport> = {};
const opts = { color: false, version: '0.0.0-test' };

before(async () => {
  reports.clean = await checkFixture(path.join(RULE_CASES, 'forbidden-kind', 'pass', 'virtual-service'));
  reports.findings = await checkFixture(path.join(REPO_ROOT, 'test', 'cases', 'check', 'exceptions'));
  const files = await readSourceTree(path.join(RULE_CASES, 'forbidden-kind', 'pass', 'virtual-service'));
  const boom: Rule = { id: 'schema-invalid', severity: 'error', description: 'throws <on> purpose & more', check: () => { throw new Error('boom <&> "quoted"'); } };
  reports.crashed = check(await render({ files, env: {} }), { now: new Date('2026-06-15T00:00:00Z'), rules: [boom] });
});

describe('report format registry', () => {
  it('has the five formats, keyed by name', () => {
    assert.deepEqual(formatNames(), ['text', 'json', 'sarif', 'junit', 'markdown']);
    for (const [name, f] of FORMATTERS) assert.equal(f.name, name);
    assert.throws(() => formatterFor('yaml' as never));
  });

  for (const name of formatNames()) {
    describe(name, () => {
      it('renders every report deterministically, ending in a newline', () => {
        const f = formatterFor(name);
        assert.ok(f.description.length > 10);
        for (const r of Object.values(reports)) {
          const out = f.format(r, opts);
          assert.ok(out.endsWith('\n'));
          assert.equal(f.format(structuredClone(r), opts), out);
        }
      });

      it('names every finding (rule and resource), every exception and every policy line', () => {
        const r = reports.findings!;
        const out = formatterFor(name).format(r, opts);
        const plain = out.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\\\|/g, '|');
        assert.ok(r.violations.length > 0 && r.waived.length > 0 && r.policy.length > 0);
        for (const v of [...r.violations, ...r.waived.map((w) => w.violation)]) {
          assert.ok(plain.includes(v.ruleId), `${v.ruleId} in ${name}`);
          assert.ok(plain.includes(v.resource), `${v.resource} in ${name}`);
        }
        for (const e of r.exceptions) assert.ok(plain.includes(e.resource), `exception ${e.resource} in ${name}`);
        assert.ok(/expired/i.test(plain), 'the expired exception is called out');
        for (const p of r.policy) assert.ok(plain.includes(p.message), `policy line in ${name}`);
      });
    });
  }
});

describe('text', () => {
  it('is coloured only when asked, and prints file:line per finding', () => {
    const r = reports.findings!;
    const plain = formatterFor('text').format(r, opts);
    assert.doesNotMatch(plain, /\u001b\[/);
    assert.match(formatterFor('text').format(r, { ...opts, color: true }), /\u001b\[31;1merror\[forbidden-kind\]/);
    assert.match(plain, /^error\[forbidden-kind\] apps\/objects\.yaml:6:1: extensions\.istio\.io\/WasmPlugin\/shop\/waf$/m);
    assert.match(plain, /^warning\[exception-expired\] exception for forbidden-kind extensions\.istio\.io\/WasmPlugin\/shop\/waf expired on 2026-06-14/m);
  });
});

describe('markdown', () => {
  it('has one table row per finding and escapes pipes', () => {
    const r = reports.findings!;
    const out = formatterFor('markdown').format(r, opts);
    const rows = out.split('\n').filter((l) => /^\| (error|warning) \|/.test(l));
    assert.equal(rows.length, r.violations.length);
    assert.match(out, /^## meshplane check: failed$/m);
    assert.match(formatterFor('markdown').format(reports.clean!, opts), /^## meshplane check: passed$/m);
  });
});
