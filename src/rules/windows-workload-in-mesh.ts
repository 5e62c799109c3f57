/** windows-workload-in-mesh: a meshed workload scheduled to Windows nodes (the add-on has no Windows sidecar). */
import { field } from './support/objects.js';
import { meshedWorkloads, nodeSelections } from './support/scheduling.js';
import { objectViolation } from './support/violation.js';
import type { Rule, Violation } from './types.js';

/** Node labels that name the OS (the beta one is still set by older node images). */
const OS_LABELS = ['kubernetes.io/os', 'beta.kubernetes.io/os'];

/** The windows-workload-in-mesh rule. */
export const windowsWorkloadInMeshRule: Rule = {
  id: 'windows-workload-in-mesh',
  severity: 'error',
  description: 'workloads in meshed namespaces (or with istio.io/rev) are not scheduled to Windows nodes: the add-on does not support Windows Server containers',
  check(ctx) {
    const out: Violation[] = [];
    for (const { o, specPath } of meshedWorkloads(ctx)) {
      const hit = nodeSelections(field(o.object, specPath), specPath).find((s) => OS_LABELS.includes(s.key) && s.value === 'windows');
      if (hit) {
        out.push(objectViolation(this, ctx, o, { path: hit.path, message: `${o.object.kind} ${o.object.metadata?.name ?? ''} is meshed and selects Windows nodes (${hit.key}=windows)`, remediation: 'run meshed workloads on Linux nodes, or take the workload out of the mesh (sidecar.istio.io/inject: "false" on its pod template)' }));
      }
    }
    return out;
  },
};
