/**
 * Converters from the client library's typed objects (V1Node, V1Pod, …, or plain JSON for custom
 * resources) to the snapshot's plain shapes. List items from the API server carry no apiVersion
 * or kind, so each converter states them.
 */
import { injectedRevision, STATUS_ANNOTATION } from '../../upgrade/rollout.js';
import type { LiveCrd, LiveNode, LiveObject, LivePod, LiveWebhookConfiguration, PodController } from './snapshot.js';

/** The parts of a list response the reader uses (typed lists say `_continue`, raw JSON `continue`). */
export interface ListPage<T> {
  items?: T[];
  metadata?: { _continue?: string; continue?: string };
}

interface HasMetadata {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
}

/** Identity and labels of any object. */
export function toLive(apiVersion: string, kind: string, item: unknown): LiveObject {
  const md = (item as HasMetadata | null)?.metadata ?? {};
  const out: LiveObject = { apiVersion, kind, name: md.name ?? '', labels: { ...(md.labels ?? {}) } };
  if (md.namespace) out.namespace = md.namespace;
  return out;
}

/** A node with the operating system its kubelet reports. */
export function toNode(item: unknown): LiveNode {
  const os = (item as { status?: { nodeInfo?: { operatingSystem?: string } } }).status?.nodeInfo?.operatingSystem;
  return { ...toLive('v1', 'Node', item), ...(os ? { operatingSystem: os } : {}) };
}

/** An ownerReference as the client library (and raw JSON) carries it. */
interface OwnerReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  controller?: boolean;
}

/** The ownerReference marked `controller: true`, when there is one with a kind and a name. */
export function controllerOf(refs: OwnerReference[] | undefined): PodController | undefined {
  const ref = (refs ?? []).find((r) => r.controller === true && r.kind && r.name);
  return ref ? { apiVersion: ref.apiVersion ?? '', kind: ref.kind as string, name: ref.name as string } : undefined;
}

/** A pod with the node it is scheduled on, the revision that injected its sidecar, its phase and its controller. */
export function toPod(item: unknown): LivePod {
  const pod = item as { spec?: { nodeName?: string }; metadata?: { annotations?: Record<string, string>; ownerReferences?: OwnerReference[] }; status?: { phase?: string } };
  const nodeName = pod.spec?.nodeName;
  const sidecarRevision = injectedRevision(pod.metadata?.annotations?.[STATUS_ANNOTATION]);
  const phase = pod.status?.phase;
  const controller = controllerOf(pod.metadata?.ownerReferences);
  return { ...toLive('v1', 'Pod', item), ...(nodeName ? { nodeName } : {}), ...(sidecarRevision ? { sidecarRevision } : {}), ...(phase ? { phase } : {}), ...(controller ? { controller } : {}) };
}

/** A label selector as the client library (and raw JSON) carries it. */
interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key?: string; operator?: string; values?: string[] }>;
}

/**
 * The label Istio's injector webhooks select a revision or tag by: the revision's namespace webhook
 * requires it `In [value]` of the namespace, its object webhook of the pod (istio/istio
 * manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml at 1.28.0).
 */
const REV_SELECTOR_LABEL = 'istio.io/rev';

/** The values of {@link REV_SELECTOR_LABEL} a selector requires (matchLabels, or an `In` expression). */
export function revValuesOf(selector: LabelSelector | undefined): string[] {
  const out: string[] = [];
  const label = selector?.matchLabels?.[REV_SELECTOR_LABEL];
  if (label !== undefined) out.push(label);
  for (const e of selector?.matchExpressions ?? []) if (e.key === REV_SELECTOR_LABEL && e.operator === 'In') out.push(...(e.values ?? []));
  return out;
}

/** A MutatingWebhookConfiguration with its webhook names and the istio.io/rev values its webhooks select. */
export function toWebhook(item: unknown): LiveWebhookConfiguration {
  const hooks = (item as { webhooks?: Array<{ name?: string; namespaceSelector?: LabelSelector; objectSelector?: LabelSelector }> }).webhooks ?? [];
  const namespace = [...new Set(hooks.flatMap((h) => revValuesOf(h.namespaceSelector)))];
  const object = [...new Set(hooks.flatMap((h) => revValuesOf(h.objectSelector)))];
  return {
    ...toLive('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', item),
    webhookNames: hooks.map((h) => h.name ?? ''),
    ...(namespace.length || object.length ? { revSelected: { namespace, object } } : {}),
  };
}

/** A CRD with the group it defines. */
export function toCrd(item: unknown): LiveCrd {
  const group = (item as { spec?: { group?: string } }).spec?.group ?? '';
  return { ...toLive('apiextensions.k8s.io/v1', 'CustomResourceDefinition', item), group };
}
