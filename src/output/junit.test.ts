/**
 * `check --output junit` against the Jenkins JUnit XSD as a registry package ships it, run by
 * xmllint (test/schemas/report-contracts.ts), for every sample report including the hostile ones;
 * and the XML escaping of every user-controlled string.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CheckReport } from '../guardrails/check.js';
import { parseXml, type XmlElement } from '../../test/helpers/xml.js';
import { HOSTILE, MUST_SURVIVE } from '../../test/schemas/hostile-report.js';
import { junitXsdPath, xmllintJunit } from '../../test/schemas/report-contracts.js';
import { sampleReports } from '../../test/schemas/sample-reports.js';
import { junitFormatter, xmlEscape } from './junit.js';

const opts = { color: false, version: '0.0.0-test' };
let reports: Record<string, CheckReport> = {};
before(async () => {
  reports = await sampleReports();
});

const all = (el: XmlElement, name: string): XmlElement[] => [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];
const junit = (r: CheckReport): string => junitFormatter.format(r, opts);

describe('junit against the Jenkins JUnit XSD (xmllint)', () => {
  it('the XSD is the Jenkins/dtkit one', () => {
    const xsd = readFileSync(junitXsdPath(), 'utf8');
    assert.match(xsd, /dtkit-junit-model\/src\/main\/resources\/com\/thalesgroup\/dtkit\/junit\/model\/xsd\/junit-4\.xsd/);
    assert.match(xsd, /<xs:element name="testsuites">/);
  });

  it('accepts every report, hostile ones included', () => {
    assert.ok(Object.keys(reports).length >= 6);
    for (const [kind, r] of Object.entries(reports)) {
      const res = xmllintJunit(junit(r));
      assert.ok(res.valid, `${kind}: ${res.errors}`);
    }
  });

  it('rejects what the XSD forbids (so the check above can fail)', () => {
    const good = junit(reports.findings!);
    const cases: Array<[string, string]> = [
      ['an attribute on <skipped>', good.replace(/<testcase name="([^"]+)" classname="meshplane.rules" time="0"\/>/, '<testcase name="$1"><skipped message="m"/></testcase>')],
      ['a testcase without a name', good.replace(/<testcase name="[^"]+"/, '<testcase')],
      ['a testsuite without tests', good.replace(/(<testsuite name="[^"]*") tests="\d+"/, '$1')],
      ['properties after the test cases', good.replace(/ {4}<properties>[\s\S]*?<\/properties>\n/, '').replace('  </testsuite>', '    <properties><property name="a" value="b"/></properties>\n  </testsuite>')],
      ['an unknown element', good.replace('</testsuites>', '<extra/></testsuites>')],
      ['malformed XML', good.replace('</testsuites>', '')],
    ];
    for (const [what, xml] of cases) {
      assert.notEqual(xml, good, `${what}: the spoiler changed something`);
      assert.equal(xmllintJunit(xml).valid, false, what);
    }
  });
});

describe('junit content', () => {
  it('has counts that agree with the test cases, and one test case per rule', () => {
    for (const [kind, r] of Object.entries(reports)) {
      const doc = parseXml(junit(r));
      const suite = doc.children[0]!;
      assert.equal(Number(suite.attributes.tests), r.rules.length, kind);
      assert.equal(all(doc, 'testcase').length, r.rules.length, kind);
      assert.equal(Number(suite.attributes.failures), all(doc, 'failure').length, kind);
      assert.equal(Number(suite.attributes.errors), all(doc, 'error').length, kind);
      assert.equal(Number(suite.attributes.skipped), all(doc, 'skipped').length, kind);
    }
  });

  it('reports a crashed rule as <error> with its message intact', () => {
    const doc = parseXml(junit(reports.crashed!));
    assert.equal(all(doc, 'error')[0]?.attributes.message, 'the rule could not run: boom <&> "quoted"');
  });

  it('keeps hostile text as text: no forged element, every character kept or shown as \\uXXXX', () => {
    const xml = junit(reports['hostile-findings']!);
    const doc = parseXml(xml);
    assert.deepEqual(all(doc, 'testcase').map((t) => t.attributes.name), reports['hostile-findings']!.rules.map((r) => r.ruleId), 'no forged test case');
    const failure = all(doc, 'failure')[0]!;
    for (const s of MUST_SURVIVE) assert.ok(failure.text.includes(s), `${JSON.stringify(s)} kept in the failure text`);
    const shown = 'x\\u0000\\u0001\\u001b[31mred\\u0007\r\n::error file=a::forged\n]]></failure></testcase><testcase name="forged">\'"&amp;\\udfff\\ud800\\ufffe🚀';
    assert.ok(failure.attributes.message!.endsWith(shown), 'the message attribute shows the whole payload, CR and LF included');
    assert.equal(doc.children[0]!.attributes.name, `meshplane.${reports.findings!.mesh}${shown}`);
  });

  it('xmlEscape: markup as entities, CR/LF/tab as references, non-XML characters as \\uXXXX', () => {
    const cases: Array<[string, string]> = [
      ['a&b<c>d"e\'f', 'a&amp;b&lt;c&gt;d&quot;e&apos;f'],
      [']]>', ']]&gt;'],
      ['l1\r\nl2\tx', 'l1&#13;&#10;l2&#9;x'],
      ['\u0000\u001b\u007f', '\\u0000\\u001b\u007f'],
      ['\udfff\ud800', '\\udfff\\ud800'],
      ['\ufffe\uffff\ufffd', '\\ufffe\\uffff\ufffd'],
      ['🚀\ud83d\ude80', '🚀🚀'],
      [HOSTILE.slice(0, 2), 'x\\u0000'],
    ];
    for (const [input, want] of cases) assert.equal(xmlEscape(input), want, JSON.stringify(input));
  });
});
