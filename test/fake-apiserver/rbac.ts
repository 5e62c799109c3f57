/**
 * RBAC authorization as the API server's RBAC authorizer decides it for ClusterRole rules
 * (kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/rbac.go RuleAllows and
 * pkg/apis/rbac/v1/evaluation_helpers.go, read at commit 01aa0f3 / 03bf11a): a resource request
 * matches on verb, API group, resource (for a subresource the pair, `pods/log`, which a rule
 * matches by naming it, by `*`, or by a star followed by `/log`) and resource name (a rule
 * without resourceNames matches any); a non-resource request on verb and path (a trailing `*` is a
 * prefix match). Lets a test run preflight with exactly the rules the hook's ClusterRole grants.
 */

/** A ClusterRole rule. */
export interface Rule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

/** What a request asks for (request-info.ts derives it from the request). */
export type Attributes =
  | { kind: 'resource'; verb: string; apiGroup: string; resource: string; subresource?: string; namespace?: string; name?: string }
  | { kind: 'url'; verb: string; path: string };

const has = (list: string[] | undefined, value: string): boolean => !!list && (list.includes('*') || list.includes(value));

function urlMatches(patterns: string[] | undefined, path: string): boolean {
  return !!patterns && patterns.some((p) => p === '*' || p === path || (p.endsWith('*') && path.startsWith(p.replace(/\*+$/, ''))));
}

/** ResourceMatches: `*`, the combined `resource/subresource` exactly, or `*\/<subresource>` for a subresource request. */
function resourceMatches(resources: string[] | undefined, resource: string, subresource: string | undefined): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return !!resources && resources.some((r) => r === '*' || r === combined || (subresource !== undefined && r === `*/${subresource}`));
}

/** True when some rule allows the request. */
export function allows(rules: readonly Rule[], a: Attributes): boolean {
  return rules.some((r) => {
    if (!has(r.verbs, a.verb)) return false;
    if (a.kind === 'url') return urlMatches(r.nonResourceURLs, a.path);
    const names = r.resourceNames ?? [];
    return has(r.apiGroups, a.apiGroup) && resourceMatches(r.resources, a.resource, a.subresource) && (names.length === 0 || names.includes(a.name ?? ''));
  });
}

/** Go's escapes by name in a quoted string (strconv.Quote). */
const GO_NAMED: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\u0007': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

/**
 * Go's `%q` of a string (strconv.Quote): quotes and backslashes escaped, printable characters
 * (letters, marks, numbers, punctuation, symbols and the ASCII space: unicode.IsPrint) kept, the
 * rest as `\xNN` below U+0080, `\uNNNN` or `\UNNNNNNNN` above.
 */
export function goQuote(s: string): string {
  const escape = (c: string): string => {
    const named = GO_NAMED[c];
    if (named) return named;
    if (c === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(c)) return c;
    const cp = c.codePointAt(0) as number;
    if (cp < 0x80) return `\\x${cp.toString(16).padStart(2, '0')}`;
    return cp < 0x10000 ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
  };
  return `"${[...s].map(escape).join('')}"`;
}

/** The server's HTML escaping of the authorizer's part of the message (errors.go `sanitizer`: `&`, `<`, `>`). */
const sanitize = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The message the real server gives when RBAC denies a request, built as k8s.io/apiserver v0.36.3
 * pkg/endpoints/handlers/responsewriters/errors.go does (ForbiddenStatusError, forbiddenMessage)
 * and k8s.io/apimachinery v0.36.3 pkg/api/errors/errors.go NewForbidden wraps it:
 * - the prefix names the group-resource WITHOUT the subresource (`pods`, `deployments.apps`),
 *   then the name Go-quoted when the request has one; `forbidden:` alone for a non-resource URL;
 * - the reason names the user, the verb, the resource WITH the subresource (`"pods/log"`), the
 *   API group, and "in the namespace <ns>" or "at the cluster scope" (a request about a namespace
 *   object itself counts as in that namespace, request-info.ts); user, resource, group, namespace
 *   and path are Go-quoted, and that part is HTML-escaped;
 * - RBAC adds no reason of its own when its bindings resolve (rbac.go Authorize), so none follows.
 */
export function forbiddenMessage(user: string, a: Attributes): string {
  if (a.kind === 'url') return `forbidden: ${sanitize(`User ${goQuote(user)} cannot ${a.verb} path ${goQuote(a.path)}`)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace ${goQuote(a.namespace)}` : 'at the cluster scope';
  const reason = sanitize(`User ${goQuote(user)} cannot ${a.verb} resource ${goQuote(resource)} in API group ${goQuote(a.apiGroup)} ${scope}`);
  const groupResource = `${a.resource}${a.apiGroup ? `.${a.apiGroup}` : ''}`;
  if (groupResource === '') return `forbidden: ${reason}`;
  return `${groupResource}${a.name ? ` ${goQuote(a.name)}` : ''} is forbidden: ${reason}`;
}
