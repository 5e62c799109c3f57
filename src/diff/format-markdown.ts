/**
 * Markdown output of `meshplane diff` for a pull-request comment: a summary table, the head's
 * guardrail results, moves between revisions, a table of resources and one `<details>` block
 * per resource. Capped at {@link MARKDOWN_LIMIT} characters: when the whole comment does not
 * fit, it switches to a compact layout (./markdown-cut.ts) that still lists every changed
 * resource, security-relevant ones first, and says what was left out and where the full diff is.
 */
import type { ResourceDiff } from './diff-objects.js';
import { cutToFit } from './markdown-cut.js';
import { reviewOrder } from './review-order.js';
import { terminalSafe } from '../core/terminal-text.js';
import { guardrailCounts, lineCounts, moveNote, namespaceMoveLine, patchLines, refusedHeading, residualCount, summaryLine, violationWhere, type DiffReport } from './report.js';

/** GitHub's limit for an issue or pull-request comment body, in characters. */
export const MARKDOWN_LIMIT = 65_536;

/** The marker the CI example uses to find and update its own comment. */
export const COMMENT_MARKER = '<!-- meshplane-diff -->';

/** Formats the report as markdown of at most `limit` characters. */
export function formatMarkdown(report: DiffReport, limit = MARKDOWN_LIMIT): string {
  const ordered = reviewOrder(report.result.resources);
  const full = [header(report), ...guardrails(report), ...moves(report), ...resourceTable(report.result.resources), ...ordered.map(details), ...hidden(report)].join('');
  if (full.length <= limit) return full;
  return cutToFit({
    limit,
    fullLength: full.length,
    header: header(report),
    guardrailLine: guardrailLine(report),
    violationTable: violationTable(report),
    violations: report.guardrails.violations.length,
    resources: ordered,
    moves: moves(report).join(''),
    details: ordered.map(details),
    hidden: hidden(report).join(''),
    escape: escapeText,
  });
}

/** The summary, then the refused updates: both are always kept, also in the compact layout. */
function header(report: DiffReport): string {
  const s = report.result.summary;
  return `${[
    COMMENT_MARKER,
    '### Meshplane diff',
    '',
    `${code(clip(report.base))} → ${code(clip(report.head))}: ${summaryLine(report.result)}`,
    '',
    '| added | removed | changed | unchanged | hidden noise |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${s.added} | ${s.removed} | ${s.changed} | ${s.unchanged} | ${report.noiseShown ? 'shown' : s.hidden} |`,
    '',
    ...patchLines(report).flatMap((l) => [`**${l}**`, '']),
    '',
  ].join('\n')}${refused(report)}`;
}

function refused(report: DiffReport): string {
  const list = report.result.refusedUpdates;
  if (list.length === 0) return '';
  const rows = list.map((r) => `- ${code(r.key)}: ${escapeText(r.message)}. Fix: ${escapeText(r.fix)}.\n`);
  return [`**${escapeText(refusedHeading(report))}**\n\n`, ...rows, '\n'].join('');
}

function guardrails(report: DiffReport): string[] {
  const table = violationTable(report);
  return table ? [guardrailLine(report), table] : [guardrailLine(report)];
}

function guardrailLine(report: DiffReport): string {
  return `**Guardrails (head):** ${escapeText(guardrailCounts(report.guardrails))}\n\n`;
}

function violationTable(report: DiffReport): string {
  const g = report.guardrails;
  if (g.violations.length === 0) return '';
  const rows = g.violations.map((v) => `| ${v.severity} | ${code(v.ruleId)} | ${code(v.resource)} | ${violationWhere(v) ? code(violationWhere(v)) : ''} | ${escapeText(v.message)} — fix: ${escapeText(v.remediation)} |\n`);
  return ['| severity | rule | resource | where | message |\n| --- | --- | --- | --- | --- |\n', ...rows, '\n'].join('');
}

function moves(report: DiffReport): string[] {
  return [...namespaceMoves(report), ...revisionMoves(report)];
}

function namespaceMoves(report: DiffReport): string[] {
  const moves = report.result.namespaceMoves;
  if (moves.length === 0) return [];
  return [`#### Namespaces changing revision (${moves.length})\n\n`, ...moves.map((m) => `- ${escapeText(namespaceMoveLine(m))}\n`), '\n'];
}

function revisionMoves(report: DiffReport): string[] {
  if (report.result.moves.length === 0) return [];
  const out = ['#### Moved between revisions\n\n'];
  for (const m of report.result.moves) {
    const lines = [`<details><summary>${code(m.from)} → ${code(m.to)}: ${m.renamed.length} renamed, ${m.relabelled.length} relabelled</summary>`, ''];
    m.renamed.forEach((pair, i) => {
      const residual = m.residual[i] ?? [];
      const n = residualCount(residual);
      lines.push(`- renamed ${code(pair.from)} → ${code(pair.to)}: ${n === 0 ? 'identical besides the revision' : `${n} other line${n === 1 ? ' differs' : 's differ'}`}`);
      if (n > 0) lines.push('', fenced(residual, '  '));
    });
    for (const key of m.relabelled) lines.push(`- relabelled ${code(key)}`);
    out.push(`${lines.join('\n')}\n\n</details>\n\n`);
  }
  return out;
}

const TABLE_HEAD = '#### Resources\n\n| change | resource | lines |\n| --- | --- | ---: |\n';

function tableRow(r: ResourceDiff): string {
  return `| ${r.change} | ${code(r.key)} | ${lineCounts(r)} |\n`;
}

function resourceTable(resources: ResourceDiff[]): string[] {
  if (resources.length === 0) return ['No resource changes.\n\n'];
  return [TABLE_HEAD, ...resources.map(tableRow), '\n'];
}

/**
 * Lines shown of a whole added or removed object. Why: one large object (the injector ConfigMap
 * has ~900 lines) would otherwise use the comment's budget that a dozen smaller resources need;
 * a new object is reviewed from its source, and `--output text` prints it whole.
 */
export const WHOLE_OBJECT_LINES = 150;

function details(r: ResourceDiff): string {
  const note = moveNote(r);
  const cut = r.change !== 'changed' && r.lines.length > WHOLE_OBJECT_LINES + 1;
  const lines = cut ? r.lines.slice(0, WHOLE_OBJECT_LINES + 1) : r.lines;
  const left = r.lines.length - lines.length;
  const more = cut ? `\n\n…and ${left} more line${left === 1 ? '' : 's'} (\`--output text\` prints the whole object).` : '';
  const body = note ? escapeText(note) : `${fenced(lines, '')}${more}`;
  return `<details><summary>${r.change} ${code(r.key)} (${lineCounts(r)})</summary>\n\n${body}\n\n</details>\n\n`;
}

function hidden(report: DiffReport): string[] {
  if (report.result.hidden.length === 0) return [];
  const items = report.result.hidden.map((h) => `- ${code(h.key)}: ${code(h.path)}`).join('\n');
  return [`<details><summary>Hidden noise: ${report.result.hidden.length} field${report.result.hidden.length === 1 ? '' : 's'} (run with <code>--show-noise</code> to see them)</summary>\n\n${items}\n\n</details>\n`];
}

/** Characters of a side's label shown. Why: a label is user input (a path, a revision, a server option) and must not crowd out the diff. */
const LABEL_MAX = 200;

function clip(label: string): string {
  return label.length > LABEL_MAX ? `${label.slice(0, LABEL_MAX)}…` : label;
}

/** A ```diff block whose fence is longer than any backtick run inside it. */
function fenced(lines: string[], indent: string): string {
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((m) => m.length))));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}diff`, ...lines, fence].map((l) => indent + l).join('\n');
}

/** Inline code that survives any content: HTML-escaped, inside <code> so backticks and pipes are harmless. */
function code(text: string): string {
  return `<code>${escapeText(text)}</code>`;
}

/**
 * Text of the user's sources for Markdown: control characters written as visible escapes first
 * ({@link terminalSafe}: a newline in a label value would end a list item or a table row and start
 * a forged line of the report), then HTML-escaped.
 */
function escapeText(text: string): string {
  return terminalSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '&#124;');
}
