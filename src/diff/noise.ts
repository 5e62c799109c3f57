/**
 * Diff noise: fields every diff tool hides by default because they change without anyone
 * changing the intent. They are removed from both sides before diffing and listed as hidden,
 * never dropped silently. `--show-noise` keeps them.
 */
import type { KubeObject } from '../core/types.js';

/** One step of a noise path: an exact key, any key or index (`*`), or map keys with a prefix. */
export type NoiseStep = string | { prefix: string };

/** A noise rule: where it applies (`group/Kind`, or every object) and the field it hides. */
export interface NoiseRule {
  id: string;
  /** `group/Kind` pairs (core group = `core`); absent = every object. */
  kinds?: readonly string[];
  path: readonly NoiseStep[];
}

const WEBHOOK_KINDS = ['admissionregistration.k8s.io/MutatingWebhookConfiguration', 'admissionregistration.k8s.io/ValidatingWebhookConfiguration'];
const POD_TEMPLATE = ['spec', 'template', 'metadata'];

/**
 * The default noise. Why each:
 * - webhook and CRD-conversion `caBundle`: istiod (and cert-manager) write it at runtime;
 * - `checksum/*` annotations (object and pod template): Helm charts roll pods with them, their
 *   value changes with any config byte and carries no meaning of its own;
 * - `helm.sh/chart` and `app.kubernetes.io/version` labels: change on every chart or patch
 *   bump on every object, burying the few lines (images, config) that matter.
 * The same list as argocd-diff-preview's and helm-diff's users ask for (docs/design.md, "Diff noise").
 */
export const NOISE_RULES: readonly NoiseRule[] = [
  { id: 'webhook-ca-bundle', kinds: WEBHOOK_KINDS, path: ['webhooks', '*', 'clientConfig', 'caBundle'] },
  { id: 'crd-conversion-ca-bundle', kinds: ['apiextensions.k8s.io/CustomResourceDefinition'], path: ['spec', 'conversion', 'webhook', 'clientConfig', 'caBundle'] },
  { id: 'checksum-annotation', path: ['metadata', 'annotations', { prefix: 'checksum/' }] },
  { id: 'checksum-annotation', path: [...POD_TEMPLATE, 'annotations', { prefix: 'checksum/' }] },
  { id: 'chart-label', path: ['metadata', 'labels', 'helm.sh/chart'] },
  { id: 'chart-label', path: [...POD_TEMPLATE, 'labels', 'helm.sh/chart'] },
  { id: 'version-label', path: ['metadata', 'labels', 'app.kubernetes.io/version'] },
  { id: 'version-label', path: [...POD_TEMPLATE, 'labels', 'app.kubernetes.io/version'] },
];

/** A field removed as noise: its display path and value (to tell whether it changed). */
export interface NoiseField {
  path: string;
  value: unknown;
}

/** Removes the noise fields from a copy of `obj`; returns the copy and what was removed. */
export function stripNoise(obj: KubeObject, typeKey: string, rules: readonly NoiseRule[] = NOISE_RULES): { object: KubeObject; removed: NoiseField[] } {
  const copy = structuredClone(obj);
  const removed: NoiseField[] = [];
  for (const rule of rules) {
    if (rule.kinds && !rule.kinds.includes(typeKey)) continue;
    removeAt(copy, rule.path, '', removed);
  }
  removed.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { object: copy, removed };
}

function removeAt(node: unknown, path: readonly NoiseStep[], at: string, removed: NoiseField[]): void {
  if (!node || typeof node !== 'object' || path.length === 0) return;
  const [step, ...rest] = path as [NoiseStep, ...NoiseStep[]];
  for (const key of matchingKeys(node, step)) {
    const child = (node as Record<string, unknown>)[key];
    const where = joinPath(at, Array.isArray(node) ? Number(key) : key);
    if (rest.length > 0) removeAt(child, rest, where, removed);
    else if (child !== undefined) {
      removed.push({ path: where, value: child });
      delete (node as Record<string, unknown>)[key];
    }
  }
}

function matchingKeys(node: object, step: NoiseStep): string[] {
  const keys = Object.keys(node);
  if (typeof step === 'object') return Array.isArray(node) ? [] : keys.filter((k) => k.startsWith(step.prefix));
  if (step === '*') return keys;
  return Array.isArray(node) ? [] : keys.filter((k) => k === step);
}

/** `a.b[0]["x/y"]`: dotted for plain keys, bracketed for indexes and keys with dots or slashes. */
export function joinPath(at: string, key: string | number): string {
  if (typeof key === 'number') return `${at}[${key}]`;
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return at ? `${at}.${key}` : key;
  return `${at}[${JSON.stringify(key)}]`;
}
