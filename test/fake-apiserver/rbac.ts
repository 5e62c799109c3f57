/**
 * RBAC authorization as the API server's authorizer decides it for ClusterRole rules: a resource
 * request (verb, API group, resource) or a non-resource URL (verb on a path; a trailing `*` is a
 * prefix match). Lets a test run preflight with exactly the rules the hook's ClusterRole grants.
 */

/** A ClusterRole rule. */
export interface Rule {
  apiGroups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

/** What a request asks for. */
export type Attributes =
  | { kind: 'resource'; verb: string; apiGroup: string; resource: string; namespace?: string; name?: string }
  | { kind: 'url'; verb: string; path: string };

const has = (list: string[] | undefined, value: string): boolean => !!list && (list.includes('*') || list.includes(value));

function urlMatches(patterns: string[] | undefined, path: string): boolean {
  return !!patterns && patterns.some((p) => p === '*' || p === path || (p.endsWith('*') && path.startsWith(p.slice(0, -1))));
}

/** True when some rule allows the request. */
export function allows(rules: readonly Rule[], a: Attributes): boolean {
  return rules.some((r) => has(r.verbs, a.verb) && (a.kind === 'url' ? urlMatches(r.nonResourceURLs, a.path) : has(r.apiGroups, a.apiGroup) && has(r.resources, a.resource)));
}

/**
 * The message the real server gives when RBAC denies a request (k8s.io/apiserver v0.36.3
 * pkg/endpoints/handlers/responsewriters/errors.go builds the reason, k8s.io/apimachinery's
 * NewForbidden prefixes it with the resource, and its name for a named request).
 */
export function forbiddenMessage(user: string, a: Attributes): string {
  if (a.kind === 'url') return `forbidden: User "${user}" cannot ${a.verb} path "${a.path}"`;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const what = `${a.resource}${a.apiGroup ? `.${a.apiGroup}` : ''}${a.name ? ` "${a.name}"` : ''}`;
  return `${what} is forbidden: User "${user}" cannot ${a.verb} resource "${a.resource}" in API group "${a.apiGroup}" ${scope}`;
}
