/**
 * The shape of a Meshplane server's answer to `POST /v1/render` (application/vnd.meshplane.result+json),
 * checked before the client prints any of it. Why deep: the client prints the report and the
 * notices field by field, so an answer that only looks like one (a proxy's page, another
 * version's shape, a broken server) would crash the printing instead of making the client
 * render in-process, as every other server problem does.
 */
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

/** Why this form: a server's error code goes into the one-line warning, so only a code that looks like one (not free text, no line breaks). */
const ERROR_CODE = /^[a-z][a-z0-9-]{0,63}$/;

/** The server's error code from an error answer, when it has the form of one; else ''. */
export function answerErrorCode(p: unknown): string {
  const e = isObject(p) ? p.error : undefined;
  const code = isObject(e) ? e.code : undefined;
  return typeof code === 'string' && ERROR_CODE.test(code) ? code : '';
}
