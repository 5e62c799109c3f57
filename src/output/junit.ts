/**
 * The JUnit XML report: for CI test tabs. One testsuite per check, one testcase per rule:
 * `fail` → <failure>, `error` → <error>, `skip` → <skipped>, `warn` → a passing case whose
 * warnings (and waived findings) are in <system-out>. Exceptions and policy lines are suite properties. No timestamps
 * or durations, so the file is byte-identical across runs.
 */
import { formatPosition } from '../core/errors.js';
import type { CheckReport, RuleResult } from '../core/check.js';
import type { Violation } from '../rules/types.js';
import { exceptionLine, type Formatter } from './common.js';

/** Escapes text for XML attributes and character data (and drops characters XML 1.0 forbids). */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
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
      return [open, `      <skipped message="${xmlEscape(r.detail ?? '')}"/>`, '    </testcase>'];
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
