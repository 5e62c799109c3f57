/**
 * preflight-windows-workload and preflight-virtual-node-workload: pods that the mesh injects
 * (in a namespace labelled istio.io/rev=<revision or tag>, or labelled so themselves) scheduled
 * on Windows nodes (Istio's sidecar has no Windows build) or on virtual nodes (which cannot run
 * the sidecar's init container or join the mesh).
 */
import type { LiveNode, LivePod } from '../snapshot.js';
import { isVirtualNode, isWindowsNode } from '../nodes.js';
import { keyOf, managedIstiods, REV_LABEL, violation, type PreflightContext, type PreflightRule } from './context.js';

/** The label that opts a pod out of injection (the injector webhooks' objectSelector). */
const OPT_OUT = 'sidecar.istio.io/inject';

/** istio.io/rev values that select an injector: intent revisions and tags, and live managed revisions. */
export function injectingValues(ctx: PreflightContext): Set<string> {
  const revisions = ctx.intent.spec.mode === 'Istio' ? (ctx.intent.spec.istio?.revisions ?? []) : [];
  return new Set([...revisions, ...Object.keys(ctx.intent.spec.tags ?? {}), ...managedIstiods(ctx).map((m) => m.revision)]);
}

/** Meshed pods on nodes matching `pick`, with the node and the istio.io/rev value that meshes them. */
export function meshedPodsOn(ctx: PreflightContext, pick: (n: LiveNode) => boolean): Array<{ pod: LivePod; node: LiveNode; rev: string }> {
  const values = injectingValues(ctx);
  const nsRev = new Map(ctx.cluster.namespaces.map((n) => [n.name, n.labels[REV_LABEL]]));
  const nodes = new Map(ctx.cluster.nodes.filter(pick).map((n) => [n.name, n]));
  const out = [];
  for (const pod of ctx.cluster.pods) {
    const node = pod.nodeName ? nodes.get(pod.nodeName) : undefined;
    const rev = nsRev.get(pod.namespace ?? '') ?? pod.labels[REV_LABEL];
    if (!node || !rev || !values.has(rev) || pod.labels[OPT_OUT] === 'false') continue;
    out.push({ pod, node, rev });
  }
  return out;
}

/** The preflight-windows-workload rule. */
export const windowsWorkloadRule: PreflightRule = {
  id: 'preflight-windows-workload',
  severity: 'error',
  description: 'no meshed pod runs on a Windows node (Istio sidecars are Linux-only)',
  check(ctx) {
    return meshedPodsOn(ctx, isWindowsNode).map(({ pod, node, rev }) =>
      violation(this, keyOf(pod), `pod ${pod.namespace}/${pod.name} is meshed (istio.io/rev=${rev}) but runs on Windows node ${node.name}; Istio sidecars do not support Windows`, `schedule it on Linux nodes (nodeSelector kubernetes.io/os: linux), or take it out of the mesh with the pod label ${OPT_OUT}: "false"`));
  },
};

/** The preflight-virtual-node-workload rule. */
export const virtualNodeWorkloadRule: PreflightRule = {
  id: 'preflight-virtual-node-workload',
  severity: 'error',
  description: 'no meshed pod runs on a virtual node (pods on virtual nodes cannot join the mesh)',
  check(ctx) {
    return meshedPodsOn(ctx, isVirtualNode).map(({ pod, node, rev }) =>
      violation(this, keyOf(pod), `pod ${pod.namespace}/${pod.name} is meshed (istio.io/rev=${rev}) but runs on virtual node ${node.name}; pods on virtual nodes cannot join the mesh`, `keep it off virtual nodes (drop the virtual-kubelet toleration and nodeSelector), or take it out of the mesh with the pod label ${OPT_OUT}: "false"`));
  },
};
