/**
 * Secret masking for diffs: a Secret's payload never reaches the output. What is kept is an
 * allowlist (identity, metadata, `type`, `immutable`); every other field is masked whatever its
 * shape — a `data` map masks per key, a scalar, list or oddly nested `stringData` masks whole.
 * Equal values show one mask; a changed, added or removed value shows distinct before/after
 * masks, so the change stays visible (kubectl diff's convention).
 */
import { sameData } from '../core/same-data.js';
import type { KubeObject } from '../core/types.js';

/** The mask of a value that is the same on both sides. */
export const MASK = '***';
/** The mask of a value on the base side when it differs from the head. */
export const MASK_BEFORE = '*** (before)';
/** The mask of a value on the head side when it differs from the base. */
export const MASK_AFTER = '*** (after)';

/**
 * Top-level Secret fields shown as they are. Why an allowlist: the payload fields (`data`,
 * `stringData`) are masked, and so is any field the API does not define (a typo such as `dat:`
 * still carries secret text). The fields are those of core/v1 Secret (kubernetes
 * staging/src/k8s.io/api/core/v1/types.go, v0.34): TypeMeta, ObjectMeta, immutable, type.
 */
const SHOWN_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'type', 'immutable']);

/**
 * Annotations of a Secret that copy its values. Why: `kubectl apply` stores the whole object,
 * data included, in last-applied-configuration.
 */
const COPYING_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

/**
 * True for core-group Secrets: an apiVersion without a group (`v1`), or none at all, so that a
 * Secret missing its apiVersion is still masked (fail closed).
 */
export function isSecret(obj: KubeObject | undefined): boolean {
  return obj !== undefined && obj.kind === 'Secret' && !String(obj.apiVersion).includes('/');
}

/** Masks the Secret values of a base/head pair (either may be absent); others pass through. */
export function maskSecretPair(base: KubeObject | undefined, head: KubeObject | undefined): [KubeObject | undefined, KubeObject | undefined] {
  if (!isSecret(base) && !isSecret(head)) return [base, head];
  const b = base && structuredClone(base);
  const h = head && structuredClone(head);
  const payload = new Set([...Object.keys(b ?? {}), ...Object.keys(h ?? {})].filter((f) => !SHOWN_FIELDS.has(f)));
  for (const field of payload) maskField(b as Record<string, unknown> | undefined, h as Record<string, unknown> | undefined, field);
  maskMaps(asMap(b?.metadata?.annotations), asMap(h?.metadata?.annotations), COPYING_ANNOTATIONS);
  return [b, h];
}

/** Masks one payload field: per key when it is a map on every side that has it, else whole. */
function maskField(b: Record<string, unknown> | undefined, h: Record<string, unknown> | undefined, field: string): void {
  const bv = b && field in b ? b[field] : undefined;
  const hv = h && field in h ? h[field] : undefined;
  const mapsOnly = (bv === undefined || asMap(bv) !== undefined) && (hv === undefined || asMap(hv) !== undefined);
  if (mapsOnly) return maskMaps(asMap(bv), asMap(hv));
  maskMaps(b, h, [field]);
}

/** Replaces each value of the maps (only the `only` keys when given) with its mask. */
function maskMaps(b: Record<string, unknown> | undefined, h: Record<string, unknown> | undefined, only?: readonly string[]): void {
  const keys = new Set([...Object.keys(b ?? {}), ...Object.keys(h ?? {})]);
  for (const key of keys) {
    if (only && !only.includes(key)) continue;
    const same = b !== undefined && h !== undefined && key in b && key in h && sameData(b[key], h[key]);
    const oneSided = b === undefined || h === undefined;
    if (b && key in b) b[key] = same || oneSided ? MASK : MASK_BEFORE;
    if (h && key in h) h[key] = same || oneSided ? MASK : MASK_AFTER;
  }
}

function asMap(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
