/**
 * The only part of `upgrade status` that talks to the cluster: one paged list of Namespaces,
 * then one paged list of Pods per wave namespace (namespaced lists, so a Role bound in those
 * namespaces is enough), every request under a deadline, through @kubernetes/client-node.
 * Errors become MeshplaneErrors the way preflight maps them (exit 2).
 */
import { CoreV1Api, type ConfigurationOptions, type V1Namespace, type V1Pod } from '@kubernetes/client-node';
import { deadline } from '../integrations/preflight/cluster-reader.js';
import { toClusterError } from '../integrations/preflight/api-errors.js';
import type { Read } from '../integrations/preflight/access.js';
import type { LoadedConfig } from '../integrations/preflight/kube-config.js';
import type { LivePodInfo } from './rollout.js';
import type { NamespaceInfo } from '../intent/waves.js';

/** The reads of `upgrade status`, with why each is needed (the restart hook's Role grants these). */
export const STATUS_READS = {
  namespaces: { kind: 'resource', apiGroup: '', resource: 'namespaces', verb: 'list', why: 'which namespaces a wave selector picks, and their istio.io/rev labels' },
  pods: { kind: 'resource', apiGroup: '', resource: 'pods', verb: 'list', why: 'the revision, proxy version and readiness of each pod of a wave' },
} as const satisfies Record<string, Read>;

/** Items per page; pages beyond MAX_PAGES are a runaway server. */
export const PAGE_SIZE = 500;
const MAX_PAGES = 1000;

/** One page of a list answer. */
export interface Page<T> {
  items: T[];
  metadata?: { _continue?: string };
}

/** Lists every Namespace of the cluster. */
export async function readNamespaces(loaded: LoadedConfig, timeoutMs: number): Promise<NamespaceInfo[]> {
  const core = loaded.kc.makeApiClient(CoreV1Api);
  const items = await listAll(loaded, 'namespaces', timeoutMs, (c, o) => core.listNamespace({ _continue: c, limit: PAGE_SIZE }, o) as Promise<Page<V1Namespace>>);
  return items.map((n) => ({ name: n.metadata?.name ?? '', labels: { ...(n.metadata?.labels ?? {}) } }));
}

/** Lists the Pods of the given namespaces (those that exist). */
export async function readPods(loaded: LoadedConfig, namespaces: readonly string[], timeoutMs: number): Promise<LivePodInfo[]> {
  const core = loaded.kc.makeApiClient(CoreV1Api);
  const per = await Promise.all(namespaces.map((ns) => listAll(loaded, 'pods', timeoutMs, (c, o) => core.listNamespacedPod({ namespace: ns, _continue: c, limit: PAGE_SIZE }, o) as Promise<Page<V1Pod>>)));
  return per.flat().map(toPodInfo);
}

/** The fields of a V1Pod the status reads. */
export function toPodInfo(p: V1Pod): LivePodInfo {
  const owner = p.metadata?.ownerReferences?.find((o) => o.controller === true);
  const containers = [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])].map((c) => ({ name: c.name, image: c.image ?? '' }));
  return {
    namespace: p.metadata?.namespace ?? '',
    name: p.metadata?.name ?? '',
    labels: { ...(p.metadata?.labels ?? {}) },
    annotations: { ...(p.metadata?.annotations ?? {}) },
    containers,
    phase: p.status?.phase ?? 'Unknown',
    ready: (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    ...(owner ? { owner: `${owner.kind}/${owner.name}` } : {}),
    ...(p.spec?.hostNetwork === true ? { hostNetwork: true } : {}),
  };
}

async function listAll<T>(loaded: LoadedConfig, read: keyof typeof STATUS_READS, timeoutMs: number, fetch: (cont: string | undefined, options: ConfigurationOptions) => Promise<Page<T>>): Promise<T[]> {
  return listPages(loaded, STATUS_READS[read], timeoutMs, fetch);
}

/** Every item of a paged list, each page under the deadline; errors mapped as preflight maps them (exit 2). */
export async function listPages<T>(loaded: LoadedConfig, read: Read, timeoutMs: number, fetch: (cont: string | undefined, options: ConfigurationOptions) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let cont: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let list: Page<T>;
    try {
      list = await fetch(cont, deadline(timeoutMs));
    } catch (err) {
      throw toClusterError(err, { server: loaded.server, user: loaded.user, source: loaded.source, read, timeoutMs });
    }
    out.push(...(list.items ?? []));
    cont = list.metadata?._continue;
    if (!cont) return out;
  }
  throw new Error(`the API server kept returning continue tokens for ${read.kind === 'resource' ? read.resource : read.url} after ${MAX_PAGES} pages`);
}
