/**
 * What `check` and `generate` share: the clock flag, KUBE_API_VERSIONS, and the text report on
 * stderr. Kept here so both commands decide them the same way.
 */
import { readFileSync } from 'node:fs';
import { MeshplaneError } from '../core/errors.js';
import type { CheckReport } from '../core/check.js';
import { packagePath } from '../core/paths.js';
import { endOfDay } from '../pipeline/policy.js';
import { textFormatter } from '../output/text.js';
import type { Io } from './io.js';

/**
 * The clock from `--now YYYY-MM-DD` (midnight UTC of that day), else the current time.
 * A value that is not a calendar date is a usage error.
 */
export function clockFrom(command: string, value: unknown, current: () => Date = () => new Date()): Date {
  if (value === undefined) return current();
  const end = typeof value === 'string' ? endOfDay(value) : undefined;
  if (!end) throw new MeshplaneError('usage', `meshplane ${command}: --now must be a date written YYYY-MM-DD (got "${String(value)}")`, [], `e.g. --now 2027-01-31; it decides which exceptions have expired and which revisions are past end of life`);
  return new Date(end.getTime() - 24 * 60 * 60 * 1000);
}

/** KUBE_API_VERSIONS (comma-separated, as Argo CD sets it), or undefined when unset or empty. */
export function kubeApiVersions(env: Record<string, string | undefined>): string[] | undefined {
  const list = (env.KUBE_API_VERSIONS ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  return list.length > 0 ? list : undefined;
}

/** Meshplane's version (package.json), for the report formats that name the tool. */
export function meshplaneVersion(): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
}

/** True when a report has something a person should read even though it passed. */
export function worthShowing(report: CheckReport): boolean {
  return report.violations.length > 0 || report.exceptions.length > 0 || report.policy.length > 0 || report.summary.outcomes.error > 0;
}

/** Writes the text report on stderr (coloured on a terminal unless NO_COLOR is set). */
export function reportOnStderr(io: Io, report: CheckReport): void {
  const color = io.isTTY && !io.env.NO_COLOR;
  io.stderr(textFormatter.format(report, { color, version: meshplaneVersion() }));
}
