/**
 * The preflight report as text (for people and Job logs) or JSON (for tools). Neither contains
 * timings, so the same cluster and intent give the same bytes.
 */
import { formatPosition } from '../../core/errors.js';
import type { Violation } from '../../rules/types.js';
import type { PreflightReport } from './run.js';

/** Output formats of `meshplane preflight`. */
export const REPORT_FORMATS = ['text', 'json'] as const;

/** One of {@link REPORT_FORMATS}. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

function counts(violations: Violation[]): { errors: number; warnings: number } {
  const errors = violations.filter((v) => v.severity === 'error').length;
  return { errors, warnings: violations.length - errors };
}

/** The report as text: a header, one block per violation, and a verdict line. */
export function formatText(report: PreflightReport): string {
  const revs = report.revisions.length ? report.revisions.join(', ') : 'no revision';
  const lines = [`preflight: mesh "${report.mesh}" (${revs}) against ${report.server} (context ${report.context}), Kubernetes ${report.kubernetesVersion}`];
  if (report.skipped) lines.push(`skipped: ${report.skipped}`);
  for (const v of report.violations) {
    lines.push('', `${v.severity}[${v.ruleId}] ${v.resource}`, `  ${v.message}`);
    if (v.where) lines.push(`  at ${formatPosition(v.where)}`);
    lines.push(`  fix: ${v.remediation}`);
  }
  const { errors, warnings } = counts(report.violations);
  const verdict = errors > 0 ? 'preflight failed' : 'preflight passed';
  lines.push('', `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}: ${verdict}`);
  return `${lines.join('\n')}\n`;
}

/** The report as a JSON document (keys in a fixed order). */
export function formatJson(report: PreflightReport): string {
  const doc = {
    apiVersion: 'meshplane.io/v1alpha1',
    kind: 'PreflightReport',
    cluster: { server: report.server, context: report.context, kubernetesVersion: report.kubernetesVersion },
    mesh: { name: report.mesh, revisions: report.revisions },
    passed: counts(report.violations).errors === 0,
    ...(report.skipped ? { skipped: report.skipped } : {}),
    summary: counts(report.violations),
    violations: report.violations.map((v) => ({ ruleId: v.ruleId, severity: v.severity, resource: v.resource, ...(v.where ? { where: v.where } : {}), message: v.message, remediation: v.remediation })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
