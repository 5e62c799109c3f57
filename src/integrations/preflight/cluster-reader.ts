/**
 * The only part of preflight that talks to the cluster: the client library's API classes, one
 * call per entry of READS (access.ts), every list paged, every request under a deadline. The
 * result is a plain {@link ClusterSnapshot}; errors become MeshplaneErrors (api-errors.ts).
 */
import {
  AdmissionregistrationV1Api, ApiextensionsV1Api, ApisApi, AppsV1Api, CoreV1Api, CustomObjectsApi, VersionApi,
  Observable, type ConfigurationOptions, type ObservableMiddleware,
} from '@kubernetes/client-node';
import { READS, type ReadName } from './access.js';
import { toClusterError } from './api-errors.js';
import type { LoadedConfig } from './kube-config.js';
import { nodesOfInterest } from './nodes.js';
import { toCrd, toLive, toNode, toPod, toWebhook, type ListPage } from './live-objects.js';
import type { ClusterSnapshot, LiveNode, LivePod } from './snapshot.js';

/** Reader settings. */
export interface ReadOptions {
  /** Items per list page (`limit`). */
  pageSize?: number;
  /** Deadline of each request, in milliseconds. */
  timeoutMs?: number;
}

/** Label selector of the Deployments preflight looks at: upstream istiod and OSM's controller. */
export const DEPLOYMENT_SELECTOR = 'app in (istiod,osm-controller)';

/**
 * Label selectors of the two pod lists behind {@link ClusterSnapshot.meshPods}. Why these labels
 * (istio/istio 1.27.0 to 1.30.3):
 * - `service.istio.io/canonical-name`: every injection template writes it on the pod it injects,
 *   the sidecar one (manifests/charts/istio-control/istio-discovery/files/injection-template.yaml,
 *   metadata.labels) and the gateway one (files/gateway-injection-template.yaml), as do
 *   Meshplane's templates/injection/sidecar.tmpl and gateway.tmpl. `security.istio.io/tlsMode`
 *   would miss gateways: only the sidecar template writes it, so a gateway the user deploys with
 *   `inject.istio.io/templates: gateway` in a namespace labelled istio.io/rev has neither that label
 *   nor an istio.io/rev pod label, yet runs a proxy of that revision. The injector does *not* label
 *   the pod istio.io/rev: it records the revision in the `sidecar.istio.io/status` annotation
 *   (pkg/kube/inject/webhook.go getInjectionStatus, written for every template) and an istio.io/rev
 *   *annotation*, and an annotation cannot be selected.
 * - `istio.io/rev`: a pod label the workload's template sets to be injected by that revision or
 *   tag when its namespace has no injection label (mutatingwebhook.yaml, rev.object webhook).
 */
export const MESH_POD_SELECTORS = { injectedPods: 'service.istio.io/canonical-name', revisionLabelledPods: 'istio.io/rev' } as const;

/** The IstioOperator API (the operator's and istioctl's install resource). */
const ISTIO_OPERATOR = { group: 'install.istio.io', version: 'v1alpha1', plural: 'istiooperators' } as const;

/** A page fetcher given the continue token and the per-request options. */
type Fetch<T> = (cont: string | undefined, options: ConfigurationOptions) => Promise<ListPage<T>>;

/** Pages beyond this are a runaway server, not a real cluster. */
const MAX_PAGES = 1000;

/** Reads everything the checks need from the cluster. */
export async function readCluster(loaded: LoadedConfig, opts: ReadOptions = {}): Promise<ClusterSnapshot> {
  const client = new Client(loaded, opts.timeoutMs ?? 30_000, opts.pageSize ?? 500);
  const { kc } = loaded;
  const version = await client.call('version', (o) => kc.makeApiClient(VersionApi).getCode({}, o));
  const core = kc.makeApiClient(CoreV1Api);
  const [groupVersions, nodes, namespaces, deployments, webhooks, crds] = await Promise.all([
    client.call('discovery', (o) => kc.makeApiClient(ApisApi).getAPIVersions({}, o)).then((l) => l.groups.flatMap((g) => g.versions.map((v) => v.groupVersion)).sort()),
    client.list('nodes', (c, o) => core.listNode({ _continue: c, limit: client.pageSize }, o), toNode),
    client.list('namespaces', (c, o) => core.listNamespace({ _continue: c, limit: client.pageSize }, o), (x) => toLive('v1', 'Namespace', x)),
    client.list('deployments', (c, o) => kc.makeApiClient(AppsV1Api).listDeploymentForAllNamespaces({ labelSelector: DEPLOYMENT_SELECTOR, _continue: c, limit: client.pageSize }, o), (x) => toLive('apps/v1', 'Deployment', x)),
    client.list('webhooks', (c, o) => kc.makeApiClient(AdmissionregistrationV1Api).listMutatingWebhookConfiguration({ _continue: c, limit: client.pageSize }, o), toWebhook),
    client.list('crds', (c, o) => kc.makeApiClient(ApiextensionsV1Api).listCustomResourceDefinition({ _continue: c, limit: client.pageSize }, o), toCrd),
  ]);
  const iopServed = groupVersions.includes(`${ISTIO_OPERATOR.group}/${ISTIO_OPERATOR.version}`);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const [istioOperators, pods, injected, revisionLabelled] = await Promise.all([
    iopServed ? client.list('istioOperators', (c, o) => custom.listCustomObjectForAllNamespaces({ ...ISTIO_OPERATOR, _continue: c, limit: client.pageSize }, o) as Promise<ListPage<unknown>>, (x) => toLive(`${ISTIO_OPERATOR.group}/${ISTIO_OPERATOR.version}`, 'IstioOperator', x)) : [],
    podsOn(client, core, nodesOfInterest(nodes)),
    podsSelected(client, core, 'injectedPods'),
    podsSelected(client, core, 'revisionLabelledPods'),
  ]);
  const meshPods = uniquePods([...injected, ...revisionLabelled]);
  return { server: loaded.server, version: { gitVersion: version.gitVersion, major: version.major, minor: version.minor }, groupVersions, nodes, namespaces, pods, meshPods, deployments, webhooks, crds, istioOperators, requests: client.requests };
}

/** Pods once each (a pod in both lists), in namespace/name order. */
function uniquePods(pods: LivePod[]): LivePod[] {
  const byKey = new Map(pods.map((p) => [`${p.namespace ?? ''}/${p.name}`, p]));
  return [...byKey.keys()].sort().map((k) => byKey.get(k) as LivePod);
}

/** Pods scheduled on the given nodes, one field-selected list per node. */
async function podsOn(client: Client, core: CoreV1Api, nodes: LiveNode[]): Promise<LivePod[]> {
  const perNode = await Promise.all(nodes.map((n) => client.list('pods', (c, o) => core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${n.name}`, _continue: c, limit: client.pageSize }, o), toPod)));
  return perNode.flat();
}

/** Pods of every namespace with the label of {@link MESH_POD_SELECTORS}[read]. */
function podsSelected(client: Client, core: CoreV1Api, read: keyof typeof MESH_POD_SELECTORS): Promise<LivePod[]> {
  return client.list(read, (c, o) => core.listPodForAllNamespaces({ labelSelector: MESH_POD_SELECTORS[read], _continue: c, limit: client.pageSize }, o), toPod);
}

/** Counts requests, applies the deadline, follows `continue` tokens and maps errors. */
class Client {
  requests = 0;

  constructor(private readonly loaded: LoadedConfig, private readonly timeoutMs: number, readonly pageSize: number) {}

  /** Runs one request for `read` with a fresh deadline. */
  async call<T>(read: ReadName, fn: (options: ConfigurationOptions) => Promise<T>): Promise<T> {
    this.requests++;
    try {
      return await fn(deadline(this.timeoutMs));
    } catch (err) {
      throw toClusterError(err, { server: this.loaded.server, user: this.loaded.user, source: this.loaded.source, read: READS[read], timeoutMs: this.timeoutMs });
    }
  }

  /** Lists every page of a collection and converts each item. */
  async list<T, R>(read: ReadName, fetch: Fetch<T>, convert: (item: T) => R): Promise<R[]> {
    const out: R[] = [];
    let cont: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const list = await this.call(read, (o) => fetch(cont, o));
      out.push(...(list.items ?? []).map(convert));
      cont = list.metadata?._continue ?? list.metadata?.continue;
      if (!cont) return out;
    }
    throw new Error(`the API server kept returning continue tokens for ${read} after ${MAX_PAGES} pages`);
  }
}

/** Per-request options that abort the request after `ms` (the HTTP layer reads the signal at send time). */
export function deadline(ms: number): ConfigurationOptions {
  const middleware: ObservableMiddleware = {
    pre: (ctx) => {
      ctx.setSignal(AbortSignal.timeout(ms));
      return new Observable(Promise.resolve(ctx));
    },
    post: (res) => new Observable(Promise.resolve(res)),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
}
