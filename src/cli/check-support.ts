/**
 * What the commands that report guardrails share: the text report on stderr. The inputs of a
 * check (clock, KUBE_API_VERSIONS, version) live in src/flows/check-inputs.ts.
 */
import type { CheckReport } from '../guardrails/check.js';
import { meshplaneVersion } from '../flows/check-inputs.js';
import { textFormatter } from '../output/text.js';
import type { Io } from './io.js';

/** True when a report has something a person should read even though it passed. */
export function worthShowing(report: CheckReport): boolean {
  return report.violations.length > 0 || report.exceptions.length > 0 || report.policy.length > 0 || report.summary.outcomes.error > 0;
}

/** Writes the text report on stderr, coloured when `color` (the stderr decision of src/cli/color.ts). */
export function reportOnStderr(io: Io, report: CheckReport, color: boolean): void {
  io.stderr(textFormatter.format(report, { color, version: meshplaneVersion() }));
}
