/**
 * Request paths of the Kubernetes API, parsed the way the API server's request-info resolver
 * does (k8s.io/apiserver v0.36.3 pkg/endpoints/request/requestinfo.go): non-resource URLs
 * (/version, /api, /apis), a group-version's resource list, or resource requests
 * (/api/v1[/namespaces/<ns>]/<plural>[/<name>[/<subresource>]], the same under
 * /apis/<group>/<version>). A namespace's own `status` and `finalize`
 * (/api/v1/namespaces/<ns>/status) are subresources of the namespace, not resources in it.
 * What the authorizer is asked is request-info.ts; this is which object a request addresses.
 */

/** A parsed request path. */
export type ApiPath =
  | { kind: 'url'; path: string }
  /** A group-version's resource list (/api/v1, /apis/<group>/<version>), which clients read to map a kind to its plural. */
  | { kind: 'group-version'; path: string; group: string; version: string }
  | { kind: 'resource'; group: string; version: string; plural: string; namespace?: string; name?: string; subresource?: string };

/** The non-resource URLs the fake answers. */
export const NON_RESOURCE_URLS = ['/version', '/api', '/apis'] as const;

/** A namespace's own subresources, which the resolver does not take for a resource inside it (namespaceSubresources). */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** Parses a path; undefined for anything that is neither. */
export function parseApiPath(path: string): ApiPath | undefined {
  const clean = path.replace(/\/+$/, '') || '/';
  if ((NON_RESOURCE_URLS as readonly string[]).includes(clean)) return { kind: 'url', path: clean };
  const segs = clean.split('/').filter((s) => s !== '');
  if (segs[0] === 'api' && segs.length === 2) return { kind: 'group-version', path: clean, group: '', version: segs[1] as string };
  if (segs[0] === 'apis' && segs.length === 3) return { kind: 'group-version', path: clean, group: segs[1] as string, version: segs[2] as string };
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 3) [group, version, rest] = ['', segs[1] as string, segs.slice(2)];
  else if (segs[0] === 'apis' && segs.length >= 4) [group, version, rest] = [segs[1] as string, segs[2] as string, segs.slice(3)];
  else return undefined;
  const namespaced = rest[0] === 'namespaces' && rest.length >= 3 && !NAMESPACE_SUBRESOURCES.has(rest[2] as string);
  const namespace = namespaced ? (rest[1] as string) : undefined;
  const parts = namespaced ? rest.slice(2) : rest;
  if (parts.length > 3) return undefined;
  const [plural, name, subresource] = parts as [string, string | undefined, string | undefined];
  return { kind: 'resource', group, version, plural, ...(namespace !== undefined ? { namespace } : {}), ...(name ? { name } : {}), ...(subresource ? { subresource } : {}) };
}
