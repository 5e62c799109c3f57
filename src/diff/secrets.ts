/**
 * Secret masking for diffs: values of a Secret's `data` and `stringData` never reach the
 * output. Equal values show one mask; a changed, added or removed value shows distinct
 * before/after masks, so the change stays visible (kubectl diff's convention).
 */
import type { KubeObject } from '../core/types.js';

/** The mask of a value that is the same on both sides. */
export const MASK = '***';
/** The mask of a value on the base side when it differs from the head. */
export const MASK_BEFORE = '*** (before)';
/** The mask of a value on the head side when it differs from the base. */
export const MASK_AFTER = '*** (after)';

/** Secret fields whose values are masked. Why: both hold the secret material (base64 or plain). */
const VALUE_FIELDS = ['data', 'stringData'] as const;

/**
 * Annotations of a Secret that copy its values. Why: `kubectl apply` stores the whole object,
 * data included, in last-applied-configuration.
 */
const COPYING_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

/** True for core-group Secrets. */
export function isSecret(obj: KubeObject | undefined): boolean {
  return obj !== undefined && obj.kind === 'Secret' && (obj.apiVersion === 'v1' || !String(obj.apiVersion).includes('/'));
}

/** Masks the Secret values of a base/head pair (either may be absent); others pass through. */
export function maskSecretPair(base: KubeObject | undefined, head: KubeObject | undefined): [KubeObject | undefined, KubeObject | undefined] {
  if (!isSecret(base) && !isSecret(head)) return [base, head];
  const b = base && structuredClone(base);
  const h = head && structuredClone(head);
  for (const field of VALUE_FIELDS) maskMaps(b?.[field], h?.[field]);
  maskMaps(b?.metadata?.annotations, h?.metadata?.annotations, COPYING_ANNOTATIONS);
  return [b, h];
}

function maskMaps(base: unknown, head: unknown, only?: readonly string[]): void {
  const b = asMap(base);
  const h = asMap(head);
  const keys = new Set([...Object.keys(b ?? {}), ...Object.keys(h ?? {})]);
  for (const key of keys) {
    if (only && !only.includes(key)) continue;
    const same = b !== undefined && h !== undefined && key in b && key in h && b[key] === h[key];
    const oneSided = b === undefined || h === undefined;
    if (b && key in b) b[key] = same || oneSided ? MASK : MASK_BEFORE;
    if (h && key in h) h[key] = same || oneSided ? MASK : MASK_AFTER;
  }
}

function asMap(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
