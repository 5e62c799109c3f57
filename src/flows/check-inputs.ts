/**
 * The inputs of a guardrail check that come from flags and the environment, decided the same
 * way by every shell (CLI commands and server routes): the clock, KUBE_API_VERSIONS, and the
 * Meshplane version the reports name.
 */
import { readFileSync } from 'node:fs';
import { MeshplaneError } from '../core/errors.js';
import { packagePath } from '../core/paths.js';
import { endOfDay } from '../pipeline/policy.js';

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

