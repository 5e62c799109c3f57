/** The head's guardrail results for the diff preview: the rule engine (src/guardrails/check.ts) over the rendered head. */
import { check } from '../guardrails/check.js';
import type { RenderResult } from '../pipeline/render.js';
import type { HeadGuardrails } from './report.js';

/** Inputs of the head check besides the render. */
export interface HeadCheckOptions {
  now: Date;
  /** KUBE_API_VERSIONS split at commas, when known. */
  kubeApiVersions?: string[] | undefined;
}

/** Runs the guardrails on the rendered head (nothing to check when the head is empty). */
export function headGuardrails(head: RenderResult | undefined, options: HeadCheckOptions): HeadGuardrails {
  if (!head) return { ran: true, violations: [] };
  const report = check(head, options.kubeApiVersions ? { now: options.now, kubeApiVersions: options.kubeApiVersions } : { now: options.now });
  const waived = report.summary.waived;
  return { ran: true, violations: report.violations, ...(waived > 0 ? { note: `${waived} finding${waived === 1 ? '' : 's'} waived by spec.policy.exceptions` } : {}) };
}
