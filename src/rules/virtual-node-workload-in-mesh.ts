/** virtual-node-workload-in-mesh: a meshed workload scheduled to virtual nodes (virtual-kubelet / ACI). */
import { field } from './support/objects.js';
import { meshedWorkloads, nodeSelections, type NodeSelection } from './support/scheduling.js';
import { objectViolation } from './support/violation.js';
import type { Rule, Violation } from './types.js';

/** AKS virtual nodes carry `type: virtual-kubelet` and are named virtual-node-aci-<os>. */
function isVirtual(s: NodeSelection): boolean {
  return (s.key === 'type' && s.value === 'virtual-kubelet') || (s.key === 'nodeName' && s.value.startsWith('virtual-node'));
}

/** The virtual-node-workload-in-mesh rule. */
export const virtualNodeWorkloadInMeshRule: Rule = {
  id: 'virtual-node-workload-in-mesh',
  severity: 'error',
  description: 'workloads in meshed namespaces (or with istio.io/rev) are not scheduled to virtual nodes: pods on virtual nodes cannot join the mesh',
  check(ctx) {
    const out: Violation[] = [];
    for (const { o, specPath } of meshedWorkloads(ctx)) {
      const hit = nodeSelections(field(o.object, specPath), specPath).find(isVirtual);
      if (hit) {
        out.push(objectViolation(this, ctx, o, { path: hit.path, message: `${o.object.kind} ${o.object.metadata?.name ?? ''} is meshed and selects virtual nodes (${hit.key}=${hit.value})`, remediation: 'schedule meshed workloads on regular node pools, or take the workload out of the mesh (sidecar.istio.io/inject: "false" on its pod template)' }));
      }
    }
    return out;
  },
};
