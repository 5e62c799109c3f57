/**
 * Every read preflight makes against the API server, as data. The reader in cluster-reader.ts
 * issues exactly these requests (each call names its entry here), the PreSync hook's ClusterRole
 * in templates/preflight.libsonnet grants exactly these, and a test compares the three: the
 * rendered ClusterRole, this table, and the requests a fake API server saw.
 */

/** One read: a resource list (RBAC verb `list`) or a non-resource URL (verb `get`). */
export type Read =
  | { kind: 'resource'; apiGroup: string; resource: string; verb: 'list'; why: string }
  | { kind: 'url'; url: string; verb: 'get'; why: string };

/**
 * The reads, by name. Why each one:
 * - version: the server version decides which revisions' Kubernetes ranges apply;
 * - discovery: whether install.istio.io is served before listing IstioOperators (a list of an
 *   unserved group is a 404, not an empty list);
 * - nodes: which nodes run Windows or are virtual (virtual-kubelet);
 * - namespaces: OSM's monitored-by markers and which namespaces are meshed (istio.io/rev);
 * - pods: the workloads scheduled on Windows or virtual nodes (listed per node, by field selector);
 * - injectedPods, revisionLabelledPods: pods that run an Istio sidecar, and pods that pick an
 *   injector by their own istio.io/rev label (two label-selected lists: a selector cannot say
 *   "this label or that one"), to find workloads a dropped revision leaves behind;
 * - deployments: istiod and osm-controller (listed by label selector);
 * - mutatingwebhookconfigurations: sidecar injectors of another control plane;
 * - customresourcedefinitions: leftover openservicemesh.io CRDs;
 * - istiooperators: an operator- or istioctl-managed Istio install.
 */
export const READS = {
  version: { kind: 'url', url: '/version', verb: 'get', why: 'server version vs the revisions\' Kubernetes ranges' },
  discovery: { kind: 'url', url: '/apis', verb: 'get', why: 'whether install.istio.io is served' },
  nodes: { kind: 'resource', apiGroup: '', resource: 'nodes', verb: 'list', why: 'Windows and virtual nodes' },
  namespaces: { kind: 'resource', apiGroup: '', resource: 'namespaces', verb: 'list', why: 'OSM markers and meshed namespaces' },
  pods: { kind: 'resource', apiGroup: '', resource: 'pods', verb: 'list', why: 'workloads on Windows or virtual nodes' },
  injectedPods: { kind: 'resource', apiGroup: '', resource: 'pods', verb: 'list', why: 'pods with an Istio sidecar and the revision that injected it' },
  revisionLabelledPods: { kind: 'resource', apiGroup: '', resource: 'pods', verb: 'list', why: 'pods that pick an injector by their own istio.io/rev label' },
  deployments: { kind: 'resource', apiGroup: 'apps', resource: 'deployments', verb: 'list', why: 'istiod and osm-controller' },
  webhooks: { kind: 'resource', apiGroup: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations', verb: 'list', why: 'other sidecar injectors' },
  crds: { kind: 'resource', apiGroup: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', verb: 'list', why: 'Open Service Mesh CRDs' },
  istioOperators: { kind: 'resource', apiGroup: 'install.istio.io', resource: 'istiooperators', verb: 'list', why: 'IstioOperator installs' },
} as const satisfies Record<string, Read>;

/** The name of one read. */
export type ReadName = keyof typeof READS;

/** A ClusterRole rule, in the shape rbac.authorization.k8s.io/v1 uses. */
export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

/**
 * The least-privilege rules that allow every read and nothing else: one rule per API group
 * (resources sorted), then one rule for the non-resource URLs. Sorted, so two derivations compare
 * equal whatever the table order.
 */
export function requiredRules(reads: readonly Read[] = Object.values(READS)): PolicyRule[] {
  const byGroup = new Map<string, Set<string>>();
  const urls = new Set<string>();
  for (const r of reads) {
    if (r.kind === 'url') urls.add(r.url);
    else byGroup.set(r.apiGroup, (byGroup.get(r.apiGroup) ?? new Set()).add(r.resource));
  }
  const rules: PolicyRule[] = [...byGroup.keys()].sort().map((g) => ({ apiGroups: [g], resources: [...(byGroup.get(g) ?? [])].sort(), verbs: ['list'] }));
  if (urls.size > 0) rules.push({ nonResourceURLs: [...urls].sort(), verbs: ['get'] });
  return rules;
}
