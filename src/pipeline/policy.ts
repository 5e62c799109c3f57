/**
 * The mesh's guardrail policy (spec.policy), decided once and used by both the static check and
 * the in-cluster ValidatingAdmissionPolicy: the forbidden kinds in force, how they differ from
 * the catalog default, and the exceptions with their state on a given day.
 */
import { CLUSTER_SCOPE, formatRef, parseRef, type ResourceRef } from '../core/resource-key.js';
import { forbiddenKindId, type ForbiddenKind } from '../catalog/guardrails.js';
import type { PolicyException, ServiceMesh } from '../intent/types.js';

/** One difference between the mesh's forbidden kinds and the catalog default. */
export interface ForbiddenKindChange {
  change: 'added' | 'removed';
  kind: string;
}

/** The forbidden kinds in force plus the differences from the default (empty when unchanged). */
export interface ForbiddenPolicy {
  kinds: ForbiddenKind[];
  changes: ForbiddenKindChange[];
}

/**
 * The forbidden kinds in force: spec.policy.forbiddenKinds replaces the default when present.
 * Every kind dropped from or added to the default is returned as a change, so reports can
 * print it (a weakened policy must never be silent).
 */
export function forbiddenPolicy(intent: ServiceMesh, defaults: readonly ForbiddenKind[]): ForbiddenPolicy {
  const listed = intent.spec.policy?.forbiddenKinds;
  if (listed === undefined) return { kinds: [...defaults], changes: [] };
  const defaultIds = defaults.map(forbiddenKindId);
  const kinds = listed.map((id) => defaults.find((d) => forbiddenKindId(d) === id) ?? splitKind(id));
  const changes: ForbiddenKindChange[] = [
    ...defaultIds.filter((id) => !listed.includes(id)).map((kind) => ({ change: 'removed' as const, kind })),
    ...listed.filter((id) => !defaultIds.includes(id)).map((kind) => ({ change: 'added' as const, kind })),
  ];
  changes.sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.change < b.change ? -1 : 1));
  return { kinds, changes };
}

function splitKind(id: string): ForbiddenKind {
  const slash = id.lastIndexOf('/');
  return { group: id.slice(0, slash), kind: id.slice(slash + 1) };
}

/** An exception of spec.policy.exceptions as evaluated on a given day. */
export interface ExceptionState {
  /** Index in spec.policy.exceptions (for positions). */
  index: number;
  exception: PolicyException;
  /** The parsed resource pattern, or undefined when `resource` is malformed. */
  ref: ResourceRef | undefined;
  /** True once the expiry date has passed (an exception waives through the end of its day, UTC). */
  expired: boolean;
  /** The first instant at which the exception no longer waives; undefined for a malformed date. */
  endsAt: Date | undefined;
}

/** The end (exclusive, UTC) of a YYYY-MM-DD day, or undefined when it is not a real date. */
export function endOfDay(date: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const start = new Date(Date.UTC(y, mo - 1, d));
  if (start.getUTCFullYear() !== y || start.getUTCMonth() !== mo - 1 || start.getUTCDate() !== d) return undefined;
  return new Date(start.getTime() + 24 * 60 * 60 * 1000);
}

/** Evaluates every exception of the intent on day `now`. */
export function exceptionStates(intent: ServiceMesh, now: Date): ExceptionState[] {
  return (intent.spec.policy?.exceptions ?? []).map((exception, index) => {
    const endsAt = endOfDay(exception.expires);
    return { index, exception, ref: parseRef(exception.resource), endsAt, expired: endsAt === undefined || now.getTime() >= endsAt.getTime() };
  });
}

/**
 * True when an exception's resource pattern matches a resource key. Each segment must be equal
 * (the core group may be written `core` or left empty); the name may be `*`, matching any name.
 */
export function refMatches(pattern: ResourceRef, resource: string): boolean {
  const target = parseRef(resource);
  if (!target) return false;
  const norm = (r: ResourceRef): ResourceRef => parseRef(formatRef(r)) as ResourceRef;
  const p = norm(pattern);
  const t = norm(target);
  return p.group === t.group && p.kind === t.kind && p.namespace === t.namespace && (p.name === '*' || p.name === t.name);
}

/** An exception in the shape the admission-policy template needs. */
export interface AdmissionException {
  rule: string;
  group: string;
  kind: string;
  /** Empty for cluster-scoped objects. */
  namespace: string;
  /** `*` matches every name. */
  name: string;
}

/** Characters a Kubernetes group, kind, namespace or name can hold (so CEL literals stay literal). */
const SAFE_SEGMENT = /^[A-Za-z0-9._*-]*$/;

/** The unexpired, well-formed exceptions of `rules`, for the in-cluster policy. */
export function admissionExceptions(states: ExceptionState[], rules: readonly string[]): AdmissionException[] {
  const out: AdmissionException[] = [];
  for (const s of states) {
    if (s.expired || !s.ref || !rules.includes(s.exception.rule)) continue;
    const { group, kind, namespace, name } = s.ref;
    if (![group, kind, namespace, name].every((part) => SAFE_SEGMENT.test(part))) continue;
    out.push({ rule: s.exception.rule, group, kind, namespace: namespace === CLUSTER_SCOPE ? '' : namespace, name });
  }
  return out;
}
