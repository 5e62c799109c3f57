import { terminalSafe } from './terminal-text.js';
import type { SourcePosition } from './types.js';

/**
 * Stable codes for the errors Meshplane raises; each maps to exit code 2 (invalid input). A list as
 * well as a type: a client checks a code a server sent against it (src/cli/server-answer.ts).
 */
export const ERROR_CODES = [
  'usage',
  'source-unreadable',
  'yaml-invalid',
  'intent-missing',
  'intent-ambiguous',
  'intent-invalid',
  'parameter-invalid',
  'kube-version-missing',
  'kube-version-invalid',
  'template-failed',
  'input-too-large',
  'input-timeout',
  'input-not-a-file',
  'input-encoding',
  'input-path-invalid',
  'input-number-invalid',
  'output-unwritable',
  'upgrade-refused',
  'lock-invalid',
  'lock-unusable',
  'import-invalid',
  'kubeconfig-invalid',
  'cluster-unreachable',
  'cluster-auth-failed',
  'cluster-forbidden',
  'internal',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem inside an error: where it is, what is wrong, and how to fix it. */
export interface ErrorDetail {
  where?: SourcePosition;
  /** Field path, e.g. `spec.istio.revisions[2]`. */
  path?: string;
  message: string;
  hint?: string;
  /**
   * Other fields (dotted paths) a check compared `path` against, when the finding follows from
   * them too: an override (an Argo CD parameter) of one of them is blamed for it, at `where`
   * (src/pipeline/overrides.ts). Not printed.
   */
  causes?: readonly string[];
}

/**
 * An error a user can act on: a code, a summary, and details that each carry `file:line`
 * where known and a fix. Shells print it with {@link formatError} and exit 2.
 */
export class MeshplaneError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, details: ErrorDetail[] = [], hint?: string) {
    super(message);
    this.name = 'MeshplaneError';
    this.code = code;
    this.details = details;
    this.hint = hint;
  }
}

/**
 * The most characters of a user-supplied value quoted in a message. Why a bound: a message quotes
 * the value it is about, and a value can be as long as its file (16 MiB) or an environment
 * variable (~128 KiB); quoted whole, one error line would be that long. Why 256: the longest
 * values a correct intent holds are Azure resource ids, and a Key Vault id runs to ~220 characters
 * (a 36-character subscription id, a resource group name of up to 90, a vault name of up to 24),
 * whose end (the vault's name, the provider's spelling) is what is most often wrong, so the bound
 * must show one whole; the line says how long a longer value really was.
 */
export const SHOWN_VALUE_CHARS = 256;

/**
 * `value` for a message: whole when within {@link SHOWN_VALUE_CHARS}, else its start, `…` and its
 * length; `quote` writes the part shown (JSON.stringify for a quoted value).
 */
export function shownValue(value: string, quote: (shown: string) => string = (v) => v): string {
  return value.length <= SHOWN_VALUE_CHARS ? quote(value) : `${quote(value.slice(0, SHOWN_VALUE_CHARS))}… (${value.length} characters)`;
}

/**
 * The most details of one error that are printed (and answered by the server). Why a bound: an
 * error lists every problem at once, and a source can hold as many as its size allows (20,000
 * malformed tag names in a 400 KB mesh.yaml made 20,002 details, 5 MB of stderr); the first 100
 * show what is wrong and where, and the line after them says how many more there are.
 */
export const MAX_SHOWN_DETAILS = 100;

/**
 * The details of an error as they are listed: all of them, or the first {@link MAX_SHOWN_DETAILS}
 * and one line that says how many more there are.
 */
export function listedDetails(details: readonly ErrorDetail[]): readonly ErrorDetail[] {
  if (details.length <= MAX_SHOWN_DETAILS) return details;
  const omitted = details.length - MAX_SHOWN_DETAILS;
  return [...details.slice(0, MAX_SHOWN_DETAILS), { message: `… and ${omitted} more problem${omitted === 1 ? '' : 's'} not listed`, hint: 'fix the ones above and run again to see the rest' }];
}

/** `file:line:column` for a position, followed by ` (template)` when it has one. */
export function formatPosition(p: SourcePosition): string {
  return `${p.file}:${p.line}:${p.column}${p.template !== undefined ? ` (${p.template})` : ''}`;
}

/**
 * Renders an error as the multi-line text shown on stderr. Each part is one line: user-supplied
 * text inside it (file names, values, reasons) is escaped with {@link terminalSafe}.
 */
export function formatError(err: MeshplaneError): string {
  const t = terminalSafe;
  const lines = [`error[${err.code}]: ${t(err.message)}`];
  for (const d of listedDetails(err.details)) {
    const at = d.where ? `${formatPosition(d.where)}: ` : '';
    const path = d.path ? `${d.path}: ` : '';
    lines.push(`  ${t(at + path + d.message)}`);
    if (d.hint) lines.push(`    fix: ${t(d.hint)}`);
  }
  if (err.hint) lines.push(`  fix: ${t(err.hint)}`);
  return lines.join('\n');
}
