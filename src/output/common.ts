/** Shared pieces of the report formats: sentences every format prints the same way. */
import { formatPosition } from '../core/errors.js';
import type { CheckReport, ExceptionReport } from '../guardrails/check.js';
import type { RuleOutcome } from '../rules/types.js';

/** Options every formatter receives. */
export interface FormatOptions {
  /** ANSI colour (text format only; callers enable it only on a terminal). */
  color: boolean;
  /** Meshplane's version, for formats that name the tool. */
  version: string;
}

/** A formatter: one report format. */
export interface Formatter {
  name: ReportFormat;
  description: string;
  format(report: CheckReport, opts: FormatOptions): string;
}

/** The report formats of `meshplane check --output`. */
export type ReportFormat = 'text' | 'json' | 'sarif' | 'junit' | 'markdown';

/** Outcome names in the order the summary prints them. */
export const OUTCOMES: readonly RuleOutcome[] = ['pass', 'fail', 'warn', 'error', 'skip'];

/** `24 rules: 20 pass, 1 fail, …; 2 errors, 1 warning, 1 waived`. */
export function summaryLine(report: CheckReport): string {
  const o = report.summary.outcomes;
  const s = report.summary;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${report.rules.length} rules: ${OUTCOMES.map((k) => `${o[k]} ${k}`).join(', ')}; ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.waived} waived`;
}

/** One exception as a sentence (state, rule, resource, expiry, reason). */
export function exceptionLine(e: ExceptionReport): string {
  return `${e.rule} ${e.resource} (${exceptionState(e)}): ${e.reason}`;
}

/** An exception's state as words: `until 2027-01-01, waived 2`, `EXPIRED on …`, `… matched nothing`. */
export function exceptionState(e: ExceptionReport): string {
  return e.status === 'expired' ? `EXPIRED on ${e.expires}, no longer waives` : e.status === 'unused' ? `until ${e.expires}, matched nothing` : `until ${e.expires}, waived ${e.waived}`;
}

/** The warning printed for an expired exception. */
export function expiredWarning(e: ExceptionReport): string {
  const at = e.where ? ` (${formatPosition(e.where)})` : '';
  return `exception for ${e.rule} ${e.resource} expired on ${e.expires} and no longer waives anything${at}; renew it with a new date and reason, or fix the finding`;
}
