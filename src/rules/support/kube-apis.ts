/** Helpers of the api-* rules: the catalog lookup and the served-API set of KUBE_API_VERSIONS. */
import { kubeMinor } from '../../catalog/catalog.js';
import type { KubeApiEntry } from '../../catalog/guardrails.js';
import type { KubeObject, LocatedObject } from '../../core/types.js';
import { field } from './objects.js';

/** The catalog entry for an object's apiVersion and kind, if that API is listed. */
export function apiEntry(entries: KubeApiEntry[], obj: KubeObject): KubeApiEntry | undefined {
  return entries.find((e) => e.apiVersion === obj.apiVersion && e.kinds.includes(obj.kind));
}

/** True when Kubernetes 1.`minor` no longer serves the entry. */
export function isRemoved(e: KubeApiEntry, minor: number): boolean {
  return minor >= kubeMinor(e.removedIn);
}

/** True when Kubernetes 1.`minor` still serves the entry but has deprecated it. */
export function isDeprecated(e: KubeApiEntry, minor: number): boolean {
  return minor >= kubeMinor(e.deprecatedIn) && !isRemoved(e, minor);
}

/** The note of a `none (…)` replacement (what took the API's place), without the `none (` and `)`. */
export function noReplacementNote(replacement: string): string | undefined {
  return /^none\b/.test(replacement) ? replacement.replace(/^none\s*\(?|\)$/g, '') : undefined;
}

/**
 * Where the object should go: the replacement, with the minor that first serves it. When the
 * target minor does not serve the replacement yet (e.g. networking.k8s.io/v1alpha1 IPAddress is
 * deprecated from 1.30 but networking.k8s.io/v1 arrives in 1.33), the advice says so instead of
 * sending the user to an API their cluster would refuse.
 */
export function replacementAdvice(e: KubeApiEntry, minor: number): string {
  if (!e.replacementSince) return `move the object to ${e.replacement}`;
  if (kubeMinor(e.replacementSince) > minor) {
    return `move the object to ${e.replacement} once the cluster reaches ${e.replacementSince} (1.${minor} does not serve it yet)`;
  }
  return `move the object to ${e.replacement} (served since ${e.replacementSince})`;
}

/** What the cluster serves: group/versions, and for some of them the exact kinds. */
export interface ServedApis {
  groupVersions: Set<string>;
  /** group/version → kinds, for group/versions the list names kind by kind. */
  kinds: Map<string, Set<string>>;
}

/**
 * Parses KUBE_API_VERSIONS as Argo CD passes it: comma-separated `group/version` entries
 * (`v1` for core), possibly with `group/version/Kind` entries (a last segment starting with an
 * upper-case letter is a kind).
 */
export function parseServedApis(list: readonly string[]): ServedApis {
  const served: ServedApis = { groupVersions: new Set(), kinds: new Map() };
  for (const raw of list) {
    const parts = raw.trim().split('/').filter((p) => p !== '');
    if (parts.length === 0) continue;
    const last = parts[parts.length - 1] as string;
    const isKind = parts.length > 1 && /^[A-Z]/.test(last);
    const gv = (isKind ? parts.slice(0, -1) : parts).join('/');
    served.groupVersions.add(gv);
    if (isKind) served.kinds.set(gv, (served.kinds.get(gv) ?? new Set()).add(last));
  }
  return served;
}

/** `group/version/Kind` served by the CustomResourceDefinitions among the objects (rendered or source). */
export function crdDefinedApis(objects: LocatedObject[]): Set<string> {
  const out = new Set<string>();
  for (const o of objects) {
    if (o.object.kind !== 'CustomResourceDefinition' || !o.object.apiVersion.startsWith('apiextensions.k8s.io/')) continue;
    const group = field(o.object, ['spec', 'group']);
    const kind = field(o.object, ['spec', 'names', 'kind']);
    const versions = field(o.object, ['spec', 'versions']);
    if (typeof group !== 'string' || typeof kind !== 'string' || !Array.isArray(versions)) continue;
    for (const v of versions) {
      const name = field(v, ['name']);
      if (typeof name === 'string' && field(v, ['served']) !== false) out.add(`${group}/${name}/${kind}`);
    }
  }
  return out;
}

/** True when the cluster (or a CRD of the render) serves the object's apiVersion and kind. */
export function isServed(served: ServedApis, crds: Set<string>, obj: KubeObject): boolean {
  if (crds.has(`${obj.apiVersion}/${obj.kind}`)) return true;
  if (!served.groupVersions.has(obj.apiVersion)) return false;
  const kinds = served.kinds.get(obj.apiVersion);
  return kinds === undefined || kinds.has(obj.kind);
}
