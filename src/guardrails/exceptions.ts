/**
 * Exceptions (spec.policy.exceptions): validated against the rule registry, applied to the
 * violations of a check, and reported — every exception, with its state, in every report.
 */
import { MeshplaneError, type ErrorDetail } from '../core/errors.js';
import type { SourcePosition } from '../core/types.js';
import { formatRef, parseRef, type ResourceRef } from '../core/resource-key.js';
import { exceptionStates, type ExceptionState } from '../pipeline/policy.js';
import { suggest } from '../pipeline/suggest.js';
import type { ServiceMesh } from '../intent/types.js';
import type { Violation } from '../rules/types.js';

/** How an exception stands in a report. */
export type ExceptionStatus = 'active' | 'expired' | 'unused';

/** One exception as reported. */
export interface ExceptionReport {
  rule: string;
  resource: string;
  reason: string;
  expires: string;
  /** `active`: waived at least one violation; `unused`: unexpired but matched nothing; `expired`: waives nothing any more. */
  status: ExceptionStatus;
  /** Violations it waived. */
  waived: number;
  where?: SourcePosition;
}

/** A violation an exception waived. */
export interface WaivedViolation {
  violation: Violation;
  /** Index of the exception in the report's `exceptions`. */
  exception: number;
}

/**
 * Evaluates the intent's exceptions on day `now`; a malformed one (unknown rule, resource not in
 * `group/Kind/namespace/name` form, impossible date) is an input error listing every problem.
 */
export function evaluateExceptions(intent: ServiceMesh, now: Date, ruleIds: readonly string[], locate: (path: Array<string | number>) => SourcePosition): ExceptionState[] {
  const states = exceptionStates(intent, now);
  const details: ErrorDetail[] = [];
  for (const s of states) {
    const at = (field: string): Pick<ErrorDetail, 'where' | 'path'> => ({ where: locate(['spec', 'policy', 'exceptions', s.index, field]), path: `spec.policy.exceptions[${s.index}].${field}` });
    if (!ruleIds.includes(s.exception.rule)) {
      const guess = suggest(s.exception.rule, ruleIds);
      details.push({ ...at('rule'), message: `unknown rule "${s.exception.rule}"${guess ? ` (did you mean "${guess}"?)` : ''}`, hint: `rule ids: ${ruleIds.join(', ')}` });
    }
    if (!s.ref) details.push({ ...at('resource'), message: `"${s.exception.resource}" is not a resource reference`, hint: 'write group/Kind/namespace/name (core group as core, cluster-scoped objects as group/Kind/name; * matches any name), e.g. networking.istio.io/EnvoyFilter/shop/lua-headers' });
    if (!s.endsAt) details.push({ ...at('expires'), message: `"${s.exception.expires}" is not a calendar date`, hint: 'write the last day the exception holds as YYYY-MM-DD' });
  }
  if (details.length > 0) {
    throw new MeshplaneError('intent-invalid', `spec.policy.exceptions has ${details.length} problem${details.length === 1 ? '' : 's'}`, details, 'every exception needs a known rule id, a resource reference and an expiry date');
  }
  return states;
}

/** The result of applying exceptions to violations. */
export interface AppliedExceptions {
  remaining: Violation[];
  waived: WaivedViolation[];
  exceptions: ExceptionReport[];
}

/**
 * Waives each violation matched by an unexpired exception (rule id equal, resource matching).
 * `unwaivable` violations (a rule that crashed) are never waived: the check fails closed.
 */
export function applyExceptions(violations: Violation[], states: ExceptionState[], locate: (index: number) => SourcePosition, unwaivable: (v: Violation) => boolean): AppliedExceptions {
  const counts = states.map(() => 0);
  const remaining: Violation[] = [];
  const waived: WaivedViolation[] = [];
  const first = firstMatching(states);
  for (const v of violations) {
    const i = unwaivable(v) ? -1 : first(v);
    if (i < 0) remaining.push(v);
    else {
      counts[i] = (counts[i] ?? 0) + 1;
      waived.push({ violation: v, exception: i });
    }
  }
  const exceptions = states.map((s, i): ExceptionReport => {
    const { rule, resource, reason, expires } = s.exception;
    const status: ExceptionStatus = s.expired ? 'expired' : (counts[i] ?? 0) > 0 ? 'active' : 'unused';
    return { rule, resource, reason, expires, status, waived: counts[i] ?? 0, where: locate(s.index) };
  });
  return { remaining, waived, exceptions };
}

/**
 * The index of the first unexpired exception that waives a violation (rule id equal, resource
 * matching as pipeline/policy.ts refMatches decides), or -1. The exceptions are indexed once by what they
 * match, exact names and `*` apart, so each violation is two lookups: a check of n violations
 * against n exceptions (one per resource, a common way to waive a migration) compared every pair
 * (4,000 of each: 55 s).
 */
function firstMatching(states: readonly ExceptionState[]): (v: Violation) => number {
  const exact = new Map<string, number>();
  const anyName = new Map<string, number>();
  states.forEach((s, i) => {
    if (s.expired || s.ref === undefined) return;
    const ref = normalRef(s.ref);
    const [map, key] = ref.name === '*' ? [anyName, matchKey(s.exception.rule, ref)] : [exact, matchKey(s.exception.rule, ref, ref.name)];
    if (!map.has(key)) map.set(key, i);
  });
  return (v) => {
    const parsed = parseRef(v.resource);
    if (!parsed) return -1;
    const target = normalRef(parsed);
    const a = exact.get(matchKey(v.ruleId, target, target.name));
    const b = anyName.get(matchKey(v.ruleId, target));
    return a === undefined ? (b ?? -1) : b === undefined ? a : Math.min(a, b);
  };
}

/** A reference as refMatches compares it (written out and read back: the core group as ''). */
function normalRef(r: ResourceRef): ResourceRef {
  return parseRef(formatRef(r)) as ResourceRef;
}

function matchKey(rule: string, ref: ResourceRef, name?: string): string {
  return JSON.stringify(name === undefined ? [rule, ref.group, ref.kind, ref.namespace] : [rule, ref.group, ref.kind, ref.namespace, name]);
}
