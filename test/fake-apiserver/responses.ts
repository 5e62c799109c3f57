/**
 * Response bodies in the API's shapes: discovery documents, /version, and <Kind>List objects
 * (items without apiVersion/kind for built-in types, as the real server sends them) with label
 * and field selectors, `limit` and `continue` applied (`remainingItemCount` only without a selector).
 */
import type { FakeCluster, KubeObj, ResourceType } from './cluster.js';
import type { ApiPath } from './routes.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';

/** Field-selector paths every type supports. */
const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];

/** The body of /version for a gitVersion such as v1.32.3. */
export function versionInfo(gitVersion: string): Record<string, string> {
  const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m?.[1] ?? '', minor: m?.[2] ?? '', gitVersion, gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean',
    buildDate: '2026-10-01T00:00:00Z', goVersion: 'go1.24.9', compiler: 'gc', platform: 'linux/amd64',
  };
}

/** The body of a discovery URL (/version, /api, /apis). */
export function discovery(cluster: FakeCluster, path: string, serverAddress: string): unknown {
  if (path === '/version') return versionInfo(cluster.spec.gitVersion);
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
  const groups = new Map<string, string[]>();
  for (const t of cluster.types) if (t.group) groups.set(t.group, [...new Set([...(groups.get(t.group) ?? []), ...t.versions])]);
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => ({
      name,
      versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  };
}

/**
 * The APIResourceList of a group-version (what /api/v1 and /apis/<group>/<version> return), as
 * @kubernetes/client-node's KubernetesObjectApi reads it to find a kind's plural and scope.
 * Undefined when the cluster serves nothing in that group-version.
 */
export function resourceList(cluster: FakeCluster, group: string, version: string): unknown {
  const types = cluster.types.filter((t) => t.group === group && t.versions.includes(version));
  if (types.length === 0) return undefined;
  const verbs = ['create', 'delete', 'get', 'list'];
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: types.map((t) => ({ name: t.plural, singularName: t.kind.toLowerCase(), namespaced: t.namespaced, kind: t.kind, verbs })),
  };
}

interface Cursor {
  offset: number;
}

function decodeContinue(token: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Cursor;
    if (Number.isInteger(c.offset) && c.offset >= 0) return c;
  } catch {
    // fall through
  }
  throw new Error('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

/** A <Kind>List for a collection request. Throws (→ 400) on a malformed selector or continue token. */
export function listResponse(cluster: FakeCluster, type: ResourceType, p: Extract<ApiPath, { kind: 'resource' }>, query: Record<string, string>): unknown {
  const labels = query.labelSelector ? parseLabelSelector(query.labelSelector) : [];
  const fields = query.fieldSelector ? parseFieldSelector(query.fieldSelector, [...COMMON_FIELDS, ...type.fields]) : [];
  const all = cluster.list(type).filter((o) => (!p.namespace || o.metadata.namespace === p.namespace) && matchesLabels(labels, o.metadata.labels ?? {}) && matchesFields(fields, o));
  const start = query.continue ? decodeContinue(query.continue).offset : 0;
  const limit = query.limit ? Number(query.limit) : 0;
  const end = limit > 0 ? Math.min(all.length, start + limit) : all.length;
  const metadata: Record<string, unknown> = { resourceVersion: cluster.resourceVersion };
  if (end < all.length) {
    metadata.continue = Buffer.from(JSON.stringify({ offset: end })).toString('base64url');
    // ListMeta (k8s.io/apimachinery v0.36.3 pkg/apis/meta/v1/types.go; client-node 1.4.0's
    // V1ListMeta): with a label or field selector the count is unknown, and the field is left out.
    if (!query.labelSelector && !query.fieldSelector) metadata.remainingItemCount = all.length - end;
  }
  return {
    kind: `${type.kind}List`,
    apiVersion: type.group ? `${type.group}/${p.version}` : p.version,
    metadata,
    items: all.slice(start, end).map((o) => (type.custom ? o : stripTypeMeta(o))),
  };
}

function stripTypeMeta(o: KubeObj): Omit<KubeObj, 'apiVersion' | 'kind'> {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}
