/**
 * What preflight knows about the live cluster, as plain data. The reader fills it from the API
 * server; the checks are pure functions of it, so they are unit-tested with inline snapshots.
 */

/** The identity and labels of a live object: enough to name it in a violation. */
export interface LiveObject {
  apiVersion: string;
  kind: string;
  name: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string;
  labels: Record<string, string>;
}

/** A node and what it runs on. */
export interface LiveNode extends LiveObject {
  /** status.nodeInfo.operatingSystem (e.g. `linux`, `windows`), when reported. */
  operatingSystem?: string;
}

/** A pod, where it is scheduled, and which revision injected its sidecar. */
export interface LivePod extends LiveObject {
  nodeName?: string;
  /**
   * The revision that injected the pod's sidecar, as istiod records it in the
   * `sidecar.istio.io/status` annotation (its `revision` field); absent when the pod has none.
   */
  sidecarRevision?: string;
  /** `status.phase` (Pending, Running, Succeeded, Failed, Unknown); absent when the API server sent none. */
  phase?: string;
  /**
   * The pod's managing controller: its `metadata.ownerReferences` entry with `controller: true`
   * (at most one may say so: kubernetes/apimachinery pkg/apis/meta/v1/types.go at v0.36.3,
   * ObjectMeta.OwnerReferences and OwnerReference.Controller). Absent for a pod no controller manages. Read from the pod lists already made,
   * so naming a pod's workload costs no request and no permission.
   */
  controller?: PodController;
}

/** The controller of a pod as its ownerReference names it. */
export interface PodController {
  apiVersion: string;
  kind: string;
  name: string;
}

/** A MutatingWebhookConfiguration with the names of its webhooks. */
export interface LiveWebhookConfiguration extends LiveObject {
  webhookNames: string[];
  /**
   * The `istio.io/rev` values its webhooks require, by selector: of the namespace
   * (namespaceSelector) and of the pod (objectSelector), from `matchLabels` and `In` expressions.
   * Absent when no webhook selects by that label.
   */
  revSelected?: { namespace: string[]; object: string[] };
}

/** A CustomResourceDefinition with the group it defines. */
export interface LiveCrd extends LiveObject {
  group: string;
}

/** The server version as /version reports it. */
export interface ServerVersion {
  gitVersion: string;
  major: string;
  minor: string;
}

/** Everything preflight read from the cluster. */
export interface ClusterSnapshot {
  /** The API server URL the data came from. */
  server: string;
  version: ServerVersion;
  /** group/version strings served by the cluster (from /apis discovery). */
  groupVersions: string[];
  nodes: LiveNode[];
  namespaces: LiveObject[];
  /** Pods on the nodes that matter (Windows or virtual); other pods are never listed. */
  pods: LivePod[];
  /**
   * Pods that carry an Istio sidecar or pick an injector by their own `istio.io/rev` label,
   * wherever they run (see cluster-reader.ts, MESH_POD_SELECTORS).
   */
  meshPods: LivePod[];
  /** Deployments labelled app=istiod or app=osm-controller. */
  deployments: LiveObject[];
  webhooks: LiveWebhookConfiguration[];
  crds: LiveCrd[];
  istioOperators: LiveObject[];
  /** Number of HTTP requests made to read all this. */
  requests: number;
}
