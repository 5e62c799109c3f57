/** forbidden-kind: kinds the managed add-on refuses, anywhere in the source (catalog/forbidden-kinds.yaml). */
import { forbiddenKindId } from '../catalog/guardrails.js';
import { groupKind } from './support/objects.js';
import { objectViolation } from './support/violation.js';
import type { Rule } from './types.js';

/** The forbidden-kind rule. */
export const forbiddenKindRule: Rule = {
  id: 'forbidden-kind',
  severity: 'error',
  description: 'EnvoyFilter, ProxyConfig, WorkloadEntry, WorkloadGroup, Telemetry, IstioOperator and WasmPlugin (or the list in spec.policy.forbiddenKinds) must not appear anywhere in the source',
  check(ctx) {
    const forbidden = new Set(ctx.forbiddenKinds.map(forbiddenKindId));
    return ctx.objects
      .filter((o) => forbidden.has(groupKind(o.object)))
      .map((o) =>
        objectViolation(this, ctx, o, {
          message: `${groupKind(o.object)} is a kind the managed Istio add-on does not allow`,
          remediation: 'remove the object; if the mesh must keep it for a while, add a spec.policy.exceptions entry naming this rule and resource, with a reason and an expiry date',
        }),
      );
  },
};
