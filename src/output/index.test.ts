/**
 * The report-format registry test: every registered format renders every kind of report
 * (clean, findings with waived/expired/unused exceptions and policy lines, a crashed rule)
 * deterministically and mentions every finding and exception. SARIF is validated against
 * test/schemas/sarif-2.1.0-subset.schema.json (ajv) and JUnit against the junit-10.xsd structure
 * in test/schemas/junit-10.structure.json (test/helpers/xml.ts).
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { REPO_ROOT } from '../../test/helpers/cli.js';
import { checkFixture, RULE_CASES } from '../../test/helpers/rule-fixtures.js';
import { parseXml, structureProblems, type XmlElement, type XmlStructure } from '../../test/helpers/xml.js';
import { check, type CheckReport } from '../core/check.js';
import { render } from '../core/render.js';
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

const schemaPath = (name: string): string => path.join(REPO_ROOT, 'test', 'schemas', name);

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

describe('sarif', () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(schemaPath('sarif-2.1.0-subset.schema.json'), 'utf8')) as object);

  it('validates against the SARIF 2.1.0 schema subset, for every report', () => {
    for (const [kind, r] of Object.entries(reports)) {
      const log = JSON.parse(formatterFor('sarif').format(r, opts)) as unknown;
      assert.ok(validate(log), `${kind}: ${JSON.stringify(validate.errors, null, 1)}`);
    }
  });

  it('the schema rejects what SARIF rejects (so the check above can fail)', () => {
    const log = JSON.parse(formatterFor('sarif').format(reports.findings!, opts)) as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    const bad = structuredClone(log);
    bad.runs[0]!.results[0]!.level = 'fatal';
    assert.equal(validate(bad), false);
    const extra = structuredClone(log);
    extra.runs[0]!.results[0]!.severity = 'error';
    assert.equal(validate(extra), false);
  });

  it('has one result per finding, waived ones suppressed with the exception reason, rule indexes that point at their rule', () => {
    const r = reports.findings!;
    const log = JSON.parse(formatterFor('sarif').format(r, opts)) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; ruleIndex: number; suppressions?: Array<{ justification: string }>; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
    const run = log.runs[0]!;
    assert.equal(run.results.length, r.violations.length + r.waived.length);
    for (const res of run.results) assert.equal(run.tool.driver.rules[res.ruleIndex]?.id, res.ruleId);
    const suppressed = run.results.filter((x) => x.suppressions);
    assert.equal(suppressed.length, r.waived.length);
    assert.equal(suppressed[0]?.suppressions?.[0]?.justification, 'Lua header filter until the app sets the headers itself');
    const first = run.results[0]!.locations[0]!.physicalLocation;
    assert.equal(first.artifactLocation.uri, r.violations[0]?.where?.file);
    assert.equal(first.region.startLine, r.violations[0]?.where?.line);
  });
});

describe('junit', () => {
  const structure = JSON.parse(readFileSync(schemaPath('junit-10.structure.json'), 'utf8')) as XmlStructure;
  const all = (el: XmlElement, name: string): XmlElement[] => [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];

  it('matches the junit-10.xsd structure, with counts that agree with the test cases', () => {
    for (const [kind, r] of Object.entries(reports)) {
      const doc = parseXml(formatterFor('junit').format(r, opts));
      assert.deepEqual(structureProblems(doc, structure), [], kind);
      const suite = doc.children[0]!;
      assert.equal(Number(suite.attributes.tests), all(doc, 'testcase').length);
      assert.equal(Number(suite.attributes.failures), all(doc, 'failure').length);
      assert.equal(Number(suite.attributes.errors), all(doc, 'error').length);
      assert.equal(Number(suite.attributes.skipped), all(doc, 'skipped').length);
    }
  });

  it('the structure check rejects a broken document (so the check above can fail)', () => {
    const doc = parseXml('<testsuites><testsuite name="x" tests="one"><testcase/><properties/></testsuite></testsuites>');
    assert.deepEqual(structureProblems(doc, structure), ['testsuites/testsuite: tests="one" is not a count', 'testsuites/testsuite/testcase: missing attribute name', 'testsuites/testsuite: <properties> is out of order']);
    assert.throws(() => parseXml('<a><b></a>'));
  });

  it('reports a crashed rule as <error> with escaped text', () => {
    const doc = parseXml(formatterFor('junit').format(reports.crashed!, opts));
    const error = all(doc, 'error')[0];
    assert.equal(error?.attributes.message, 'the rule could not run: boom <&> "quoted"');
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
