/**
 * The diff report every output format prints: the two sides, the comparison, and the head's
 * guardrail results. Shared wording lives here so text, markdown and JSON never disagree.
 */
import type { DiffResult, ResourceDiff } from './diff-objects.js';
import type { NamespaceMove } from './namespace-moves.js';
import type { Violation } from '../rules/types.js';

/** Guardrail results of the head side. */
export interface HeadGuardrails {
  /** False when the rule engine could not run (the note says why). */
  ran: boolean;
  violations: Violation[];
  note?: string;
}

/** What the formatters print. */
export interface DiffReport {
  /** How each side was named on the command line, e.g. `origin/main:examples/canary`. */
  base: string;
  head: string;
  result: DiffResult;
  guardrails: HeadGuardrails;
  /** True when noise was shown (`--show-noise`), so nothing was hidden. */
  noiseShown: boolean;
  /** Revisions whose Istio patch (hence image tags) differs between the sides; absent when none does. */
  patches?: PatchChange[];
}

/** A revision rendered with a different Istio patch on each side (null: not rendered on that side). */
export interface PatchChange {
  revision: string;
  base: string | null;
  head: string | null;
}

/** The Istio patch changes between two renders' revisions, sorted by revision name. */
export function patchChanges(base: ReadonlyArray<{ name: string; istioVersion: string }>, head: ReadonlyArray<{ name: string; istioVersion: string }>): PatchChange[] {
  const b = new Map(base.map((r) => [r.name, r.istioVersion]));
  const h = new Map(head.map((r) => [r.name, r.istioVersion]));
  const names = [...new Set([...b.keys(), ...h.keys()])].sort();
  return names.filter((n) => b.has(n) && h.has(n) && b.get(n) !== h.get(n)).map((n) => ({ revision: n, base: b.get(n) ?? null, head: h.get(n) ?? null }));
}

/** `Istio patch: asm-1-30 1.30.2-2 → 1.30.3-1` lines (empty without changes). */
export function patchLines(report: DiffReport): string[] {
  return (report.patches ?? []).map((p) => `Istio patch: ${p.revision} ${p.base ?? '(none)'} → ${p.head ?? '(none)'} (images ${p.base ?? '(none)'}-distroless → ${p.head ?? '(none)'}-distroless)`);
}

/** `2 added, 0 removed, 3 changed, 40 unchanged` (+ hidden noise when any). */
export function summaryLine(result: DiffResult): string {
  const s = result.summary;
  const hidden = s.hidden > 0 ? `; ${s.hidden} noise field${s.hidden === 1 ? '' : 's'} hidden` : '';
  return `${s.added} added, ${s.removed} removed, ${s.changed} changed, ${s.unchanged} unchanged${hidden}`;
}

/** `+12 -3` style line counts of one resource. */
export function lineCounts(r: ResourceDiff): string {
  const parts: string[] = [];
  if (r.additions > 0) parts.push(`+${r.additions}`);
  if (r.deletions > 0) parts.push(`-${r.deletions}`);
  return parts.join(' ');
}

/** The note shown instead of a body for one side of a move between revisions. */
export function moveNote(r: ResourceDiff): string | undefined {
  if (r.movedFrom) return `replaces ${r.movedFrom} (see "Moved between revisions")`;
  if (r.movedTo) return `replaced by ${r.movedTo} (see "Moved between revisions")`;
  return undefined;
}

/** `1 error, 2 warnings`, or `no violations`. */
export function guardrailCounts(g: HeadGuardrails): string {
  if (!g.ran) return `not run${g.note ? ` (${g.note})` : ''}`;
  const errors = g.violations.filter((v) => v.severity === 'error').length;
  const warnings = g.violations.length - errors;
  const note = g.note ? ` (${g.note})` : '';
  if (g.violations.length === 0) return `no violations${note}`;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${note}`;
}

/** Where a violation points, as `file:line:col` (empty when unknown). */
export function violationWhere(v: Violation): string {
  return v.where ? `${v.where.file}:${v.where.line}:${v.where.column}` : '';
}

/** How many lines of residual diff a renamed pair has (0 = identical besides the revision). */
export function residualCount(lines: string[]): number {
  return lines.filter((l) => l.startsWith('+') || l.startsWith('-')).length;
}

/** `shop: asm-1-29 → asm-1-30 (istio.io/rev: wave-1)` for one namespace that changes revision. */
export function namespaceMoveLine(m: NamespaceMove): string {
  const via = m.labelFrom === m.labelTo ? `istio.io/rev: ${m.labelTo}` : `istio.io/rev: ${m.labelFrom} → ${m.labelTo}`;
  return `${m.namespace}: ${m.from} → ${m.to} (${via})`;
}

/** The heading of the refused-updates warning, shared by text and markdown. */
export function refusedHeading(report: DiffReport): string {
  const n = report.result.refusedUpdates.length;
  return `Will be refused by the API server (${n} change${n === 1 ? '' : 's'} to an immutable field)`;
}
