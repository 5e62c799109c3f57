/**
 * Markdown output of `meshplane diff` for a pull-request comment: a summary table, the head's
 * guardrail results, moves between revisions, a table of resources and one `<details>` block
 * per resource. Capped at {@link MARKDOWN_LIMIT} characters with a truncation notice.
 */
import type { ResourceDiff } from '../core/diff.js';
import { guardrailCounts, lineCounts, moveNote, residualCount, summaryLine, violationWhere, type DiffReport } from './report.js';

/** GitHub's limit for an issue or pull-request comment body, in characters. */
export const MARKDOWN_LIMIT = 65_536;

/** The marker the CI example uses to find and update its own comment. */
export const COMMENT_MARKER = '<!-- meshplane-diff -->';

/** Formats the report as markdown of at most `limit` characters. */
export function formatMarkdown(report: DiffReport, limit = MARKDOWN_LIMIT): string {
  const fixed = [header(report), ...guardrails(report), ...moves(report), ...resourceTable(report)];
  const optional = [...byPriority(report.result.resources).map(details), ...hidden(report)];
  return fit(fixed, optional, limit);
}

/** Why this order: changes to objects that already run matter most in review; new objects next. */
const PRIORITY: Record<ResourceDiff['change'], number> = { changed: 0, removed: 1, added: 2 };

function byPriority(resources: ResourceDiff[]): ResourceDiff[] {
  return resources.map((r, i) => ({ r, i })).sort((a, b) => PRIORITY[a.r.change] - PRIORITY[b.r.change] || a.i - b.i).map((x) => x.r);
}

/**
 * Keeps the fixed blocks (summary, guardrails, moves, resource table) in order until one does
 * not fit, then adds each optional block (a resource's diff) that still fits, and ends with a
 * notice when anything was left out. Never cuts a block in half.
 */
function fit(fixed: string[], optional: string[], limit: number): string {
  const all = [...fixed, ...optional].join('');
  if (all.length <= limit) return all;
  const reserve = truncationNotice(fixed.length + optional.length, limit).length;
  let out = '';
  let omitted = 0;
  let full = false;
  for (const block of fixed) {
    full ||= out.length + block.length + reserve > limit;
    if (full) omitted++;
    else out += block;
  }
  for (const block of optional) {
    if (!full && out.length + block.length + reserve <= limit) out += block;
    else omitted++;
  }
  return out + truncationNotice(omitted, limit);
}

function truncationNotice(left: number, limit: number): string {
  return `\n> **Truncated:** ${left} section${left === 1 ? '' : 's'} did not fit in the ${limit.toLocaleString('en-US')}-character limit of a comment (the resource table lists every change). Run \`meshplane diff\` locally, or read the job log, for the full diff.\n`;
}

function header(report: DiffReport): string {
  const s = report.result.summary;
  return [
    COMMENT_MARKER,
    '### Meshplane diff',
    '',
    `${code(report.base)} → ${code(report.head)}: ${summaryLine(report.result)}`,
    '',
    '| added | removed | changed | unchanged | hidden noise |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${s.added} | ${s.removed} | ${s.changed} | ${s.unchanged} | ${report.noiseShown ? 'shown' : s.hidden} |`,
    '',
    '',
  ].join('\n');
}

function guardrails(report: DiffReport): string[] {
  const g = report.guardrails;
  const out = [`**Guardrails (head):** ${escapeText(guardrailCounts(g))}\n\n`];
  if (g.violations.length === 0) return out;
  out.push('| severity | rule | resource | where | message |\n| --- | --- | --- | --- | --- |\n');
  for (const v of g.violations) out.push(`| ${v.severity} | ${code(v.ruleId)} | ${code(v.resource)} | ${violationWhere(v) ? code(violationWhere(v)) : ''} | ${escapeText(v.message)} — fix: ${escapeText(v.remediation)} |\n`);
  return [...out, '\n'];
}

function moves(report: DiffReport): string[] {
  if (report.result.moves.length === 0) return [];
  const out = ['#### Moved between revisions\n\n'];
  for (const m of report.result.moves) {
    const lines = [`<details><summary>${code(m.from)} → ${code(m.to)}: ${m.renamed.length} renamed, ${m.relabelled.length} relabelled</summary>`, ''];
    m.renamed.forEach((pair, i) => {
      const residual = m.residual[i] ?? [];
      const n = residualCount(residual);
      lines.push(`- renamed ${code(pair.from)} → ${code(pair.to)}: ${n === 0 ? 'identical besides the revision' : `${n} other line${n === 1 ? '' : 's'} differ`}`);
      if (n > 0) lines.push('', fenced(residual, '  '));
    });
    for (const key of m.relabelled) lines.push(`- relabelled ${code(key)}`);
    out.push(`${lines.join('\n')}\n\n</details>\n\n`);
  }
  return out;
}

function resourceTable(report: DiffReport): string[] {
  if (report.result.resources.length === 0) return ['No resource changes.\n\n'];
  const rows = report.result.resources.map((r) => `| ${r.change} | ${code(r.key)} | ${lineCounts(r)} |\n`);
  return ['#### Resources\n\n| change | resource | lines |\n| --- | --- | ---: |\n', ...rows, '\n'];
}

/**
 * Lines shown of a whole added or removed object. Why: one large object (the injector ConfigMap
 * has ~900 lines) would otherwise use the comment's budget that a dozen smaller resources need;
 * a new object is reviewed from its source, and the job log keeps it whole.
 */
export const WHOLE_OBJECT_LINES = 150;

function details(r: ResourceDiff): string {
  const note = moveNote(r);
  const cut = r.change !== 'changed' && r.lines.length > WHOLE_OBJECT_LINES + 1;
  const lines = cut ? r.lines.slice(0, WHOLE_OBJECT_LINES + 1) : r.lines;
  const more = cut ? `\n\n…and ${r.lines.length - lines.length} more lines (the job log and \`--output text\` have the whole object).` : '';
  const body = note ? escapeText(note) : `${fenced(lines, '')}${more}`;
  return `<details><summary>${r.change} ${code(r.key)} (${lineCounts(r)})</summary>\n\n${body}\n\n</details>\n\n`;
}

function hidden(report: DiffReport): string[] {
  if (report.result.hidden.length === 0) return [];
  const items = report.result.hidden.map((h) => `- ${code(h.key)}: ${code(h.path)}`).join('\n');
  return [`<details><summary>Hidden noise: ${report.result.hidden.length} field${report.result.hidden.length === 1 ? '' : 's'} (run with <code>--show-noise</code> to see them)</summary>\n\n${items}\n\n</details>\n`];
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

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '&#124;');
}
