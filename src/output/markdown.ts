/** The Markdown report: for pull-request comments and CI summaries. */
import { formatPosition } from '../core/errors.js';
import type { CheckReport } from '../core/check.js';
import { exceptionLine, expiredWarning, OUTCOMES, summaryLine, type Formatter } from './common.js';

/** Escapes text for a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function findingsTable(report: CheckReport): string[] {
  if (report.violations.length === 0) return ['No findings.'];
  const rows = report.violations.map((v) => `| ${v.severity} | \`${v.ruleId}\` | \`${cell(v.resource)}\` | ${v.where ? `\`${cell(formatPosition(v.where))}\`` : '-'} | ${cell(v.message)} | ${cell(v.remediation)} |`);
  return ['| severity | rule | resource | where | message | fix |', '| --- | --- | --- | --- | --- | --- |', ...rows];
}

/** The markdown formatter. */
export const markdownFormatter: Formatter = {
  name: 'markdown',
  description: 'a Markdown summary with findings and exceptions tables, for pull-request comments',
  format(report) {
    const o = report.summary.outcomes;
    const lines = [`## meshplane check: ${report.summary.errors > 0 ? 'failed' : 'passed'}`, '', `Mesh \`${report.mesh}\`, Kubernetes ${report.kubernetesVersion}, checked on ${report.now}. ${summaryLine(report)}.`, ''];
    lines.push(`| ${OUTCOMES.join(' | ')} |`, `| ${OUTCOMES.map(() => '---').join(' | ')} |`, `| ${OUTCOMES.map((k) => o[k]).join(' | ')} |`, '');
    for (const p of report.policy) lines.push(`> **policy:** ${cell(p.message)}${p.where ? ` (\`${formatPosition(p.where)}\`)` : ''}`, '');
    lines.push('### Findings', '', ...findingsTable(report), '');
    if (report.waived.length > 0) {
      lines.push('### Waived', '', ...report.waived.map((w) => `- \`${w.violation.ruleId}\` \`${cell(w.violation.resource)}\` (exception ${w.exception + 1})`), '');
    }
    if (report.exceptions.length > 0) {
      lines.push('### Exceptions', '', ...report.exceptions.map((e, i) => `${i + 1}. ${cell(exceptionLine(e))}`), '');
      for (const e of report.exceptions.filter((x) => x.status === 'expired')) lines.push(`> **warning:** ${cell(expiredWarning(e))}`, '');
    }
    const broken = report.rules.filter((r) => r.outcome === 'error');
    if (broken.length > 0) lines.push('### Rules that could not run', '', ...broken.map((r) => `- \`${r.ruleId}\`: ${cell(r.detail ?? '')}`), '');
    return `${lines.join('\n').trimEnd()}\n`;
  },
};
