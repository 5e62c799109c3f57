/**
 * The Markdown report: for pull-request comments and CI summaries. Every string from the source
 * (resources, file names, messages, exception reasons) is escaped for where it lands: {@link cell}
 * for text (no raw HTML, no emphasis or links, no pipes that split a table, no @mentions that
 * notify people, no line breaks) and {@link code} for code spans (a backtick inside cannot close
 * the span early).
 */
import { formatPosition } from '../core/errors.js';
import type { CheckReport } from '../guardrails/check.js';
import type { ExceptionReport } from '../guardrails/check.js';
import { exceptionState, expiredWarning, OUTCOMES, summaryLine, type Formatter } from './common.js';

/**
 * Markdown punctuation escaped inside text. Why these: the characters that open CommonMark
 * inline constructs anywhere in a line (backslash escapes, code spans, emphasis, links and
 * images via `[`), GFM's strikethrough `~` and table pipe `|`. Block markers (`#`, `-`, `1.`)
 * only act at the start of a line, and {@link cell} never starts one.
 */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]|~]/g;

/** Line breaks and other control characters: a cell is one line, and controls have no place in a comment. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** Escapes text for Markdown (a table cell or a paragraph): renders literally, as one line. */
export function cell(text: string): string {
  return text
    .replace(CONTROLS, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`)
    .replace(/@(?=[A-Za-z0-9])/g, '@\u200b');
}

/**
 * A code span holding `text` literally: the fence is one backtick longer than the longest run
 * inside (CommonMark code spans), padded when the text starts or ends with a backtick; pipes are
 * escaped because GFM splits table rows on them even inside code spans.
 */
export function code(text: string): string {
  const flat = text.replace(CONTROLS, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...Array.from(flat.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function exceptionItem(e: ExceptionReport): string {
  return `${code(e.rule)} ${code(e.resource)} (${cell(exceptionState(e))}): ${cell(e.reason)}`;
}

function findingsTable(report: CheckReport): string[] {
  if (report.violations.length === 0) return ['No findings.'];
  const rows = report.violations.map((v) => `| ${v.severity} | ${code(v.ruleId)} | ${code(v.resource)} | ${v.where ? code(formatPosition(v.where)) : '-'} | ${cell(v.message)} | ${cell(v.remediation)} |`);
  return ['| severity | rule | resource | where | message | fix |', '| --- | --- | --- | --- | --- | --- |', ...rows];
}

/** The markdown formatter. */
export const markdownFormatter: Formatter = {
  name: 'markdown',
  description: 'a Markdown summary with findings and exceptions tables, for pull-request comments',
  format(report) {
    const o = report.summary.outcomes;
    const lines = [`## meshplane check: ${report.summary.errors > 0 ? 'failed' : 'passed'}`, '', `Mesh ${code(report.mesh)}, Kubernetes ${cell(report.kubernetesVersion)}, checked on ${cell(report.now)}. ${summaryLine(report)}.`, ''];
    lines.push(`| ${OUTCOMES.join(' | ')} |`, `| ${OUTCOMES.map(() => '---').join(' | ')} |`, `| ${OUTCOMES.map((k) => o[k]).join(' | ')} |`, '');
    for (const p of report.policy) lines.push(`> **policy:** ${cell(p.message)}${p.where ? ` (${code(formatPosition(p.where))})` : ''}`, '');
    lines.push('### Findings', '', ...findingsTable(report), '');
    if (report.waived.length > 0) {
      lines.push('### Waived', '', ...report.waived.map((w) => `- ${code(w.violation.ruleId)} ${code(w.violation.resource)} (exception ${w.exception + 1})`), '');
    }
    if (report.exceptions.length > 0) {
      lines.push('### Exceptions', '', ...report.exceptions.map((e, i) => `${i + 1}. ${exceptionItem(e)}`), '');
      for (const e of report.exceptions.filter((x) => x.status === 'expired')) lines.push(`> **warning:** ${cell(expiredWarning(e))}`, '');
    }
    const broken = report.rules.filter((r) => r.outcome === 'error');
    if (broken.length > 0) lines.push('### Rules that could not run', '', ...broken.map((r) => `- ${code(r.ruleId)}: ${cell(r.detail ?? '')}`), '');
    return `${lines.join('\n').trimEnd()}\n`;
  },
};
