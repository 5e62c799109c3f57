/**
 * Request paths of the Kubernetes API, parsed the way the API server's request-info resolver
 * does: non-resource URLs (/version, /api, /apis) or resource requests
 * (/api/v1[/namespaces/<ns>]/<plural>[/<name>], /apis/<group>/<version>[/namespaces/<ns>]/<plural>[/<name>]).
 */

/** A parsed request path. */
export type ApiPath =
  | { kind: 'url'; path: string }
  /** A group-version's resource list (/api/v1, /apis/<group>/<version>), which clients read to map a kind to its plural. */
  | { kind: 'group-version'; path: string; group: string; version: string }
  | { kind: 'resource'; group: string; version: string; plural: string; namespace?: string; name?: string };

/** The non-resource URLs the fake answers. */
export const NON_RESOURCE_URLS = ['/version', '/api', '/apis'] as const;

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
  if (rest[0] === 'namespaces' && rest.length >= 3 && rest.length <= 4) {
    return { kind: 'resource', group, version, namespace: rest[1] as string, plural: rest[2] as string, ...(rest[3] ? { name: rest[3] } : {}) };
  }
  if (rest.length > 2) return undefined;
  return { kind: 'resource', group, version, plural: rest[0] as string, ...(rest[1] ? { name: rest[1] } : {}) };
}
