/**
 * The JUnit XML report: for CI test tabs. One testsuite per check, one testcase per rule:
 * `fail` → <failure>, `error` → <error>, `skip` → <skipped>, `warn` → a passing case whose
 * warnings (and waived findings) are in <system-out>. Exceptions and policy lines are suite properties. No timestamps
 * or durations, so the file is byte-identical across runs.
 */
import { formatPosition } from '../core/errors.js';
import type { CheckReport, RuleResult } from '../guardrails/check.js';
import type { Violation } from '../rules/types.js';
import { exceptionLine, type Formatter } from './common.js';

/**
 * Characters XML 1.0 cannot carry at all, not even as character references: C0 controls other
 * than tab/LF/CR, lone surrogates and U+FFFE/U+FFFF (XML 1.0 section 2.2, production `Char`).
 */
const NOT_XML_CHAR = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** `\u001b` for one character XML cannot carry: shown, never silently dropped. */
function visibleEscape(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Escapes user-controlled text for XML character data and double-quoted attribute values:
 * markup characters as entities (so `]]>`, `</testcase>` and quotes stay text), CR/LF/tab as
 * character references (attribute-value normalisation would otherwise turn them into spaces and
 * CR into LF), and characters XML cannot carry as a visible `\uXXXX`.
 */
export function xmlEscape(text: string): string {
  return text
    .replace(NOT_XML_CHAR, visibleEscape)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

function findingText(v: Violation): string {
  return `${v.severity}: ${v.where ? `${formatPosition(v.where)}: ` : ''}${v.resource}: ${v.message} (fix: ${v.remediation})`;
}

function testcase(r: RuleResult, report: CheckReport): string[] {
  const open = `    <testcase name="${xmlEscape(r.ruleId)}" classname="meshplane.rules" time="0">`;
  const mine = report.violations.filter((v) => v.ruleId === r.ruleId);
  const waived = report.waived.filter((w) => w.violation.ruleId === r.ruleId).map((w) => `waived by exception ${w.exception + 1}: ${findingText(w.violation)}`);
  const body = xmlEscape([...mine.map(findingText), ...waived].join('\n'));
  switch (r.outcome) {
    case 'fail':
      return [open, `      <failure message="${xmlEscape(`${mine.length} finding(s): ${mine[0]?.message ?? ''}`)}" type="${r.severity}">${body}</failure>`, '    </testcase>'];
    case 'error':
      return [open, `      <error message="${xmlEscape(`the rule could not run: ${r.detail ?? ''}`)}" type="rule-error">${body}</error>`, '    </testcase>'];
    case 'skip':
      // Why text, not a message attribute: the Jenkins JUnit XSD declares <skipped> as xs:string.
      return [open, `      <skipped>${xmlEscape(r.detail ?? '')}</skipped>`, '    </testcase>'];
    case 'warn':
      return [open, `      <system-out>${body}</system-out>`, '    </testcase>'];
    case 'pass':
      return waived.length === 0 ? [`    <testcase name="${xmlEscape(r.ruleId)}" classname="meshplane.rules" time="0"/>`] : [open, `      <system-out>${body}</system-out>`, '    </testcase>'];
  }
}

function properties(report: CheckReport): string[] {
  const props: Array<[string, string]> = [['mesh', report.mesh], ['kubernetesVersion', report.kubernetesVersion], ['now', report.now]];
  report.policy.forEach((p, i) => props.push([`policy.${i + 1}`, p.message]));
  report.exceptions.forEach((e, i) => props.push([`exception.${i + 1}`, exceptionLine(e)]));
  return ['    <properties>', ...props.map(([n, v]) => `      <property name="${xmlEscape(n)}" value="${xmlEscape(v)}"/>`), '    </properties>'];
}

/** The junit formatter. */
export const junitFormatter: Formatter = {
  name: 'junit',
  description: 'JUnit XML for CI test reports: one testcase per rule (failure, error or skipped)',
  format(report) {
    const o = report.summary.outcomes;
    const counts = `tests="${report.rules.length}" failures="${o.fail}" errors="${o.error}" skipped="${o.skip}"`;
    const lines = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuites name="meshplane check" tests="${report.rules.length}" failures="${o.fail}" errors="${o.error}" time="0">`,
      `  <testsuite name="meshplane.${xmlEscape(report.mesh)}" ${counts} time="0">`,
      ...properties(report),
      ...report.rules.flatMap((r) => testcase(r, report)),
      '  </testsuite>',
      '</testsuites>',
    ];
    return `${lines.join('\n')}\n`;
  },
};
