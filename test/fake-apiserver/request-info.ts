/**
 * What the API server's authorizer is asked about a request, derived from its method, path and
 * query the way k8s.io/apiserver v0.36.3 pkg/endpoints/request/requestinfo.go
 * (RequestInfoFactory.NewRequestInfo) derives it, so that RBAC (rbac.ts) and the 403 wording see
 * the same verb, group, resource, subresource, namespace and name as on a real cluster:
 * - a path of fewer than three segments, or not under `/api` (no group) or `/apis` (a group), or
 *   under `/apis` with fewer than four segments, is a non-resource request; its verb is the
 *   method in lower case;
 * - `/api/v1/watch/...` and `/api/v1/proxy/...` set the verb from the path (deprecated forms);
 * - otherwise GET and HEAD are `get`, POST `create`, PUT `update`, PATCH `patch`, DELETE `delete`
 *   (any other method: an empty verb);
 * - after `namespaces/<ns>` the next segment starts the resource, unless it is `status` or
 *   `finalize` (a namespace's own subresources): then the resource is `namespaces`, the name
 *   `<ns>`, and the namespace `<ns>` too, which is why a request about a namespace is worded
 *   "in the namespace";
 * - the remaining segments are resource / name / subresource (later ones are not read; no
 *   subresource for the `proxy` path verb);
 * - a `get` without a name is `watch` when the watch parameter is set to anything but `0` or
 *   `false` (k8s.io/apimachinery v0.36.3 pkg/runtime/conversion.go Convert_Slice_string_To_bool),
 *   else `list`; a fieldSelector term `metadata.name=<n>` (or `==`) then gives the name, unless it
 *   is `.`, `..` or holds `/` or `%` (apimachinery pkg/api/validate/content/path.go);
 * - a `delete` without a name is `deletecollection`.
 */
import type { Attributes } from './rbac.js';

/** The path verbs of NewRequestInfo (specialVerbs); `proxy` takes no subresource (specialVerbsNoSubresources). */
const PATH_VERBS = new Set(['proxy', 'watch']);
/** A namespace's own subresources (namespaceSubresources): after `namespaces/<ns>` they are not a resource. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
/** The verb of each method for a resource request; others get the empty verb. */
const METHOD_VERBS: Readonly<Record<string, string>> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** True for the values the API's query decoding reads as true for a boolean parameter. */
function truthy(value: string): boolean {
  return value !== '0' && value.toLowerCase() !== 'false';
}

/** The value a field selector requires `metadata.name` to have (`metadata.name=x` or `==x`), when it does. */
function exactName(selector: string | undefined): string | undefined {
  if (selector === undefined) return undefined;
  for (const term of selector.split(',')) {
    const m = /^\s*metadata\.name\s*(==|=)\s*(.*?)\s*$/.exec(term);
    if (m && m[1] !== undefined) return m[2] as string;
  }
  return undefined;
}

/** A name a request path could carry: not `.` or `..`, no `/` or `%`. */
const pathSegmentName = (name: string): boolean => name !== '.' && name !== '..' && !/[/%]/.test(name);

/**
 * The authorizer attributes of a request (`query` is the first value of each parameter), or
 * undefined where the real server fails to build them (a path verb with nothing after it: it
 * answers 500 before any authorization; the fake answers 404).
 */
export function requestInfo(method: string, pathname: string, query: Readonly<Record<string, string>>): Attributes | undefined {
  const nonResource: Attributes = { kind: 'url', verb: method.toLowerCase(), path: pathname };
  let parts = pathname.replace(/^\/+|\/+$/g, '').split('/');
  if (parts.length < 3 || (parts[0] !== 'api' && parts[0] !== 'apis')) return nonResource;
  const grouped = parts[0] === 'apis';
  parts = parts.slice(1);
  if (grouped && parts.length < 3) return nonResource;
  const apiGroup = grouped ? (parts.shift() as string) : '';
  parts = parts.slice(1); // the version
  let verb = METHOD_VERBS[method.toUpperCase()] ?? '';
  if (PATH_VERBS.has(parts[0] as string)) {
    if (parts.length < 2) return undefined;
    verb = parts.shift() as string;
  }
  let namespace: string | undefined;
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1] as string;
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2] as string)) parts = parts.slice(2);
  }
  const resource = parts[0] as string;
  let name = parts[1];
  const subresource = parts.length >= 3 && verb !== 'proxy' ? parts[2] : undefined;
  if (!name && verb === 'get') {
    verb = query.watch !== undefined && truthy(query.watch) ? 'watch' : 'list';
    const selected = exactName(query.fieldSelector);
    if (selected !== undefined && pathSegmentName(selected)) name = selected;
  }
  if (!name && verb === 'delete') verb = 'deletecollection';
  return { kind: 'resource', verb, apiGroup, resource, ...(subresource ? { subresource } : {}), ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) };
}
