/**
 * The shape of a Meshplane server's answer to `POST /v1/render` (application/vnd.meshplane.result+json),
 * checked before the client prints any of it. Why deep: the client prints the report and the
 * notices field by field, so an answer that only looks like one (a proxy's page, another
 * version's shape, a broken server) would crash the printing instead of making the client
 * render in-process, as every other server problem does.
 */
import { ERROR_CODES, type ErrorCode, type ErrorDetail } from '../core/errors.js';
import type { GenerateResult } from '../flows/generate.js';

type Check = (v: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString: Check = (v) => typeof v === 'string';
const isCount: Check = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const listOf = (item: Check): Check => (v) => Array.isArray(v) && v.every(item);
const oneOf = (values: readonly string[]): Check => (v) => typeof v === 'string' && values.includes(v);

/** Required fields (a check each) and optional ones. */
function shaped(required: Record<string, Check>, optional: Record<string, Check> = {}): Check {
  return (v) => isObject(v) && Object.entries(required).every(([k, check]) => check(v[k])) && Object.entries(optional).every(([k, check]) => v[k] === undefined || check(v[k]));
}

const position = shaped({ file: isString, line: isCount, column: isCount });
const violation = shaped({ ruleId: isString, severity: isString, resource: isString, message: isString, remediation: isString }, { where: position });
const report = shaped({
  mesh: isString,
  kubernetesVersion: isString,
  now: isString,
  violations: listOf(violation),
  waived: listOf(shaped({ violation, exception: isCount })),
  exceptions: listOf(shaped({ rule: isString, resource: isString, reason: isString, expires: isString, status: isString, waived: isCount }, { where: position })),
  policy: listOf(shaped({ message: isString }, { where: position })),
  rules: listOf(shaped({ ruleId: isString, severity: isString, description: isString, outcome: isString, violations: isCount, waived: isCount }, { detail: isString })),
  summary: shaped({ outcomes: (v) => isObject(v) && Object.values(v).every(isCount), errors: isCount, warnings: isCount, waived: isCount }),
});
// The values mirror GenerateExitClass (src/flows/generate.ts) and Notice.level (src/core/types.ts).
const notice = shaped({ level: oneOf(['warning', 'info']), message: isString }, { where: position });

/** Why 0–255: an exit code is what the client ends with. */
const exitCode: Check = (v) => isCount(v) && (v as number) <= 255;

/** True when `p` is a whole answer the client can print: a clean one carries its manifests as text. */
export function isGenerateAnswer(p: unknown): p is GenerateResult {
  if (!shaped({ exitClass: oneOf(['clean', 'violations']), exitCode, notices: listOf(notice), report })(p)) return false;
  return (p as { exitClass: string }).exitClass === 'violations' || isString((p as { output?: unknown }).output);
}

/** The objects of a clean answer asked for as JSON (a `kind: List`), or undefined when its output is not one. */
export function listItems(output: string): Record<string, unknown>[] | undefined {
  let list: unknown;
  try {
    list = JSON.parse(output) as unknown;
  } catch {
    return undefined;
  }
  const items = isObject(list) ? list.items : undefined;
  return Array.isArray(items) && items.every(isObject) ? items : undefined;
}

/**
 * Why this form: a server's error code goes into the one-line warning, so only a code that looks
 * like one (not free text, no line breaks); 64 characters is far beyond the longest code either
 * the CLI (ERROR_CODES) or the server's HTTP errors use.
 */
const ERROR_CODE = /^[a-z][a-z0-9-]{0,63}$/;

/** The server's error code from an error answer, when it has the form of one; else ''. */
export function answerErrorCode(p: unknown): string {
  const e = isObject(p) ? p.error : undefined;
  const code = isObject(e) ? e.code : undefined;
  return typeof code === 'string' && ERROR_CODE.test(code) ? code : '';
}

/** Absent on the wire is null (the server writes every field of its error shape, src/server/errors.ts `errorBody`). */
const orNull = (check: Check): Check => (v) => v === null || check(v);
const detail = shaped({ message: isString }, { where: orNull(position), path: orNull(isString), hint: orNull(isString) });

/**
 * The input error a server answered (400/413), when it is one the CLI itself raises, in the CLI's
 * own shape: then the client fails as a local generate would. Anything else (a proxy's error, an
 * internal one, a malformed detail) is undefined: the server is then only "unavailable".
 */
export function answerInputError(p: unknown): { code: ErrorCode; message: string; details: ErrorDetail[]; hint?: string } | undefined {
  const e = isObject(p) ? p.error : undefined;
  if (!isObject(e) || !isString(e.message)) return undefined;
  const code = ERROR_CODES.find((c) => c === e.code && c !== 'internal');
  const details = e.details ?? [];
  if (code === undefined || !listOf(detail)(details) || !orNull(isString)(e.hint ?? null)) return undefined;
  const hint = typeof e.hint === 'string' ? e.hint : undefined;
  return { code, message: e.message as string, details: (details as Array<Record<string, unknown>>).map(fromWire), ...(hint !== undefined ? { hint } : {}) };
}

/** A wire detail without its null fields. */
function fromWire(d: Record<string, unknown>): ErrorDetail {
  const out: ErrorDetail = { message: d.message as string };
  if (isObject(d.where)) out.where = d.where as unknown as NonNullable<ErrorDetail['where']>;
  if (typeof d.path === 'string') out.path = d.path;
  if (typeof d.hint === 'string') out.hint = d.hint;
  return out;
}
