/**
 * JSON output of `meshplane diff`: one `DiffReport` document for scripts. Secret values are
 * already masked in the diff lines; raw objects are never included.
 */
import type { DiffReport } from './report.js';

/** The report as pretty JSON with a trailing newline; keys in a fixed order. */
export function formatJson(report: DiffReport): string {
  const r = report.result;
  const doc = {
    apiVersion: 'meshplane.io/v1alpha1',
    kind: 'DiffReport',
    base: report.base,
    head: report.head,
    summary: { ...r.summary, noiseShown: report.noiseShown },
    ...(report.patches?.length ? { patches: report.patches } : {}),
    // Only when there is one, so a report without them keeps its shape.
    ...(r.refusedUpdates.length ? { refusedUpdates: r.refusedUpdates } : {}),
    guardrails: {
      ran: report.guardrails.ran,
      ...(report.guardrails.note ? { note: report.guardrails.note } : {}),
      violations: report.guardrails.violations.map((v) => ({
        ruleId: v.ruleId,
        severity: v.severity,
        resource: v.resource,
        ...(v.where ? { where: v.where } : {}),
        message: v.message,
        remediation: v.remediation,
      })),
    },
    namespaceMoves: r.namespaceMoves,
    moves: r.moves.map((m) => ({
      from: m.from,
      to: m.to,
      renamed: m.renamed.map((p, i) => ({ from: p.from, to: p.to, residualDiff: m.residual[i] ?? [] })),
      relabelled: m.relabelled,
    })),
    resources: r.resources.map((x) => ({
      key: x.key,
      change: x.change,
      additions: x.additions,
      deletions: x.deletions,
      ...(x.movedFrom ? { movedFrom: x.movedFrom } : {}),
      ...(x.movedTo ? { movedTo: x.movedTo } : {}),
      diff: x.lines,
    })),
    hidden: r.hidden,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
