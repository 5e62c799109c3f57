/**
 * Terminal output of `meshplane diff`: a summary, the head's guardrail results, moves between
 * revisions, then each resource with its unified diff. ANSI colour only when asked (a TTY).
 * Every line is passed through `t` ({@link terminalSafe}) before colour is added: side labels,
 * resource keys, label values (a namespace's istio.io/rev, a tag webhook's istio.io/tag) and
 * finding messages come from the user's sources, and printed raw an escape sequence in one would
 * drive the terminal and a newline would forge a line of the report.
 */
import { terminalSafe as t } from '../core/terminal-text.js';
import type { ResourceDiff } from './diff-objects.js';
import { guardrailCounts, lineCounts, moveNote, namespaceMoveLine, patchLines, refusedHeading, residualCount, summaryLine, violationWhere, type DiffReport } from './report.js';

/** ANSI styles; identity functions when colour is off. */
interface Styles {
  bold(t: string): string;
  red(t: string): string;
  green(t: string): string;
  cyan(t: string): string;
  yellow(t: string): string;
}

function styles(colour: boolean): Styles {
  const wrap = (code: string) => (t: string) => (colour ? `\u001b[${code}m${t}\u001b[0m` : t);
  return { bold: wrap('1'), red: wrap('31'), green: wrap('32'), cyan: wrap('36'), yellow: wrap('33') };
}

const MARK: Record<ResourceDiff['change'], string> = { added: '+', removed: '-', changed: '~' };

/** Formats the report for a terminal (or a log). */
export function formatText(report: DiffReport, options: { colour: boolean }): string {
  const s = styles(options.colour);
  const out: string[] = [s.bold(t(`meshplane diff: ${report.base} → ${report.head}`)), summaryLine(report.result), ...patchLines(report).map(t), ''];
  out.push(...refusedSection(report, s), ...guardrailSection(report, s), ...namespaceSection(report, s), ...moveSection(report, s));
  for (const r of report.result.resources) out.push(...resourceSection(r, s));
  out.push(...hiddenSection(report));
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function refusedSection(report: DiffReport, s: Styles): string[] {
  const refused = report.result.refusedUpdates;
  if (refused.length === 0) return [];
  const out = [s.bold(s.red(`${refusedHeading(report)}:`))];
  for (const r of refused) out.push(`  ${s.red('refused')} ${t(`${r.key}: ${r.message}`)}`, `    fix: ${t(r.fix)}`);
  return [...out, ''];
}

function guardrailSection(report: DiffReport, s: Styles): string[] {
  const g = report.guardrails;
  const out = [s.bold(`Guardrails (head): ${guardrailCounts(g)}`)];
  for (const v of g.violations) {
    const colour = v.severity === 'error' ? s.red : s.yellow;
    const where = violationWhere(v);
    out.push(`  ${colour(v.severity)} ${t(`${v.ruleId} ${v.resource}${where ? ` (${where})` : ''}: ${v.message}`)}`, `    fix: ${t(v.remediation)}`);
  }
  return [...out, ''];
}

function namespaceSection(report: DiffReport, s: Styles): string[] {
  const moves = report.result.namespaceMoves;
  if (moves.length === 0) return [];
  return [s.bold(`Namespaces changing revision (${moves.length}):`), ...moves.map((m) => `  ${t(namespaceMoveLine(m))}`), ''];
}

function moveSection(report: DiffReport, s: Styles): string[] {
  if (report.result.moves.length === 0) return [];
  const out = [s.bold('Moved between revisions:')];
  for (const m of report.result.moves) {
    out.push(t(`  ${m.from} → ${m.to}: ${m.renamed.length} renamed, ${m.relabelled.length} relabelled`));
    m.renamed.forEach((pair, i) => {
      const residual = m.residual[i] ?? [];
      const n = residualCount(residual);
      out.push(t(`    renamed ${pair.from} → ${pair.to} (${n === 0 ? 'identical besides the revision' : `${n} other line${n === 1 ? ' differs' : 's differ'}`})`));
      out.push(...residual.map((l) => `      ${colourLine(l, s)}`));
    });
    for (const key of m.relabelled) out.push(t(`    relabelled ${key}`));
  }
  return [...out, ''];
}

function resourceSection(r: ResourceDiff, s: Styles): string[] {
  const colour = r.change === 'added' ? s.green : r.change === 'removed' ? s.red : s.yellow;
  const head = colour(t(`${MARK[r.change]} ${r.change} ${r.key} (${lineCounts(r)})`));
  const note = moveNote(r);
  if (note) return [head, `    ${t(note)}`, ''];
  return [head, ...r.lines.map((l) => `    ${colourLine(l, s)}`), ''];
}

function colourLine(raw: string, s: Styles): string {
  const line = t(raw);
  if (line.startsWith('@@')) return s.cyan(line);
  if (line.startsWith('+')) return s.green(line);
  if (line.startsWith('-')) return s.red(line);
  return line;
}

function hiddenSection(report: DiffReport): string[] {
  if (report.result.hidden.length === 0) return [];
  const out = ['Hidden noise (differs, not shown; run with --show-noise to see it):'];
  for (const h of report.result.hidden) out.push(t(`  ${h.key}: ${h.path}`));
  return [...out, ''];
}
