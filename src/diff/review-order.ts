/**
 * The order a reviewer should see changes in when not everything fits: security-relevant types
 * first, then changes to running objects before removals before additions, then by key.
 */
import type { ResourceDiff } from './diff-objects.js';

/**
 * API groups whose every type is security-relevant. Why: security.istio.io decides mTLS and who
 * may call whom; admissionregistration.k8s.io decides which pods get injected and what the API
 * server admits; rbac.authorization.k8s.io decides who may do what.
 */
const SECURITY_GROUPS: readonly string[] = ['security.istio.io', 'admissionregistration.k8s.io', 'rbac.authorization.k8s.io'];

/**
 * Single types that are security-relevant (`group/Kind`, core as `core`). Why each: Secrets hold
 * keys; ServiceAccounts are identities; a Namespace's labels switch injection on or off;
 * NetworkPolicy filters traffic; EnvoyFilter can rewrite any proxy's config; a CRD change can
 * drop the schema (and the validation) of a security API.
 */
const SECURITY_TYPES: readonly string[] = [
  'core/Secret',
  'core/ServiceAccount',
  'core/Namespace',
  'networking.k8s.io/NetworkPolicy',
  'networking.istio.io/EnvoyFilter',
  'apiextensions.k8s.io/CustomResourceDefinition',
];

/** Why this order: changes to objects that already run matter most in review; removals next. */
const CHANGE_RANK: Record<ResourceDiff['change'], number> = { changed: 0, removed: 1, added: 2 };

/** `group/Kind` of a resource key (`group/Kind/namespace/name`). */
export function typeOfKey(key: string): string {
  const [group = '', kind = ''] = key.split('/');
  return `${group}/${kind}`;
}

/** True when a change to this resource is security-relevant (see the lists above). */
export function isSecurityRelevant(key: string): boolean {
  const type = typeOfKey(key);
  return SECURITY_GROUPS.includes(type.split('/')[0] ?? '') || SECURITY_TYPES.includes(type);
}

/** The resources in review order (a new array; the input is not changed). */
export function reviewOrder(resources: readonly ResourceDiff[]): ResourceDiff[] {
  const rank = (r: ResourceDiff): number => (isSecurityRelevant(r.key) ? 0 : 1);
  return [...resources].sort((a, b) => rank(a) - rank(b) || CHANGE_RANK[a.change] - CHANGE_RANK[b.change] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
