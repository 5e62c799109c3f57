import type { KubeObject } from './types.js';

/** The placeholder used for cluster-scoped objects (and namespaced ones without a namespace). */
export const CLUSTER_SCOPE = '_cluster';

/** A resource reference in the `group/Kind/namespace/name` form used by violations and diffs. */
export interface ResourceRef {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → `` (core). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The version part of an apiVersion: `apps/v1` → `v1`. */
export function apiVersionOnly(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}

/** The reference of an object. The group ignores the version, so `v1beta1 → v1` pairs up in a diff. */
export function resourceRef(obj: KubeObject): ResourceRef {
  return {
    group: apiGroup(String(obj.apiVersion ?? '')),
    kind: String(obj.kind ?? ''),
    namespace: obj.metadata?.namespace || CLUSTER_SCOPE,
    name: String(obj.metadata?.name ?? ''),
  };
}

/**
 * The one identity of a resource everywhere in Meshplane: `group/Kind/namespace/name`
 * (core group written as `core`, cluster scope as `_cluster`). Used for violations,
 * exceptions, sorting tie-breaks, diff pairing and output file names.
 */
export function resourceKey(obj: KubeObject): string {
  return formatRef(resourceRef(obj));
}

/** Formats a reference as `group/Kind/namespace/name`. */
export function formatRef(ref: ResourceRef): string {
  return `${ref.group || 'core'}/${ref.kind}/${ref.namespace}/${ref.name}`;
}

/**
 * Parses `group/Kind/namespace/name` (also accepting `group/Kind/name` for cluster-scoped
 * objects). Returns undefined when the text does not have that shape.
 */
export function parseRef(text: string): ResourceRef | undefined {
  const parts = text.split('/');
  if (parts.length === 3) parts.splice(2, 0, CLUSTER_SCOPE);
  if (parts.length !== 4 || parts.some((p) => p === '')) return undefined;
  const [group, kind, namespace, name] = parts as [string, string, string, string];
  return { group: group === 'core' ? '' : group, kind, namespace, name };
}
