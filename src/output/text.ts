/**
 * The text report: for people at a terminal (coloured only when the caller says so). Every
 * string that comes from the source (file names, resources, messages, exception reasons) goes
 * through `t` ({@link terminalSafe}) before colour is added, so it prints as one visible line.
 */
import { formatPosition as rawPosition } from '../core/errors.js';
import { terminalSafe as t } from '../core/terminal-text.js';
import type { CheckReport } from '../guardrails/check.js';
import type { Violation } from '../rules/types.js';
import { exceptionLine, expiredWarning, summaryLine, type Formatter } from './common.js';

type Paint = (code: string, text: string) => string;

function formatPosition(p: Parameters<typeof rawPosition>[0]): string {
  return t(rawPosition(p));
}

function painter(color: boolean): Paint {
  return (code, text) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
}

function finding(v: Violation, paint: Paint): string[] {
  const head = v.severity === 'error' ? paint('31;1', `error[${v.ruleId}]`) : paint('33;1', `warning[${v.ruleId}]`);
  const at = v.where ? `${formatPosition(v.where)}: ` : '';
  return [`${head} ${at}${t(v.resource)}`, `  ${t(v.message)}`, `  fix: ${t(v.remediation)}`];
}

/** The lines of a text report (without the trailing newline). */
export function textLines(report: CheckReport, color: boolean): string[] {
  const paint = painter(color);
  const lines = [`meshplane check: mesh ${t(report.mesh)}, Kubernetes ${report.kubernetesVersion}, now ${report.now}`];
  for (const p of report.policy) lines.push(`${paint('35', 'policy')}: ${t(p.message)}${p.where ? ` (${formatPosition(p.where)})` : ''}`);
  for (const v of report.violations) lines.push(...finding(v, paint));
  for (const e of report.exceptions.filter((x) => x.status === 'expired')) lines.push(`${paint('33;1', 'warning[exception-expired]')} ${t(expiredWarning(e))}`);
  for (const w of report.waived) {
    const at = w.violation.where ? `${formatPosition(w.violation.where)}: ` : '';
    lines.push(paint('2', `waived[${w.violation.ruleId}] ${at}${t(w.violation.resource)} (exception ${w.exception + 1})`));
  }
  if (report.exceptions.length > 0) {
    lines.push('exceptions:');
    report.exceptions.forEach((e, i) => lines.push(`  ${i + 1}. ${t(exceptionLine(e))}${e.where ? ` [${formatPosition(e.where)}]` : ''}`));
  }
  for (const r of report.rules.filter((x) => x.outcome === 'error')) lines.push(`${paint('31;1', 'rule-error')} ${r.ruleId}: ${t(r.detail ?? '')}`);
  const summary = summaryLine(report);
  lines.push(report.summary.errors > 0 ? paint('31;1', summary) : report.summary.warnings > 0 ? paint('33', summary) : paint('32', summary));
  return lines;
}

/** The text formatter. */
export const textFormatter: Formatter = {
  name: 'text',
  description: 'human-readable findings with file:line, fixes, exceptions and a summary (ANSI colour on a terminal)',
  format: (report, opts) => `${textLines(report, opts.color).join('\n')}\n`,
};
