/** Which nodes cannot run meshed workloads: Windows nodes and virtual (virtual-kubelet) nodes. */
import type { LiveNode } from './snapshot.js';

/** The well-known OS label every kubelet sets on its node. */
export const OS_LABEL = 'kubernetes.io/os';

/** The label virtual-kubelet nodes (AKS virtual nodes on ACI) carry, and its value. */
export const VIRTUAL_NODE_LABEL = { key: 'type', value: 'virtual-kubelet' } as const;

/** True for a Windows node (by label, or by the OS the kubelet reports). */
export function isWindowsNode(node: LiveNode): boolean {
  return node.labels[OS_LABEL] === 'windows' || node.operatingSystem === 'windows';
}

/** True for a virtual-kubelet node. */
export function isVirtualNode(node: LiveNode): boolean {
  return node.labels[VIRTUAL_NODE_LABEL.key] === VIRTUAL_NODE_LABEL.value;
}

/** Nodes whose pods preflight has to look at. */
export function nodesOfInterest(nodes: readonly LiveNode[]): LiveNode[] {
  return nodes.filter((n) => isWindowsNode(n) || isVirtualNode(n));
}
