/** autoscaling-min-below-two: an HPA of a mesh component with minReplicas below 2 (it conflicts with the PDB). */
import type { LocatedObject } from '../core/types.js';
import type { FieldPath } from '../pipeline/load.js';
import { NAMESPACES } from '../pipeline/resolve.js';
import { field, namespaceOf } from './support/objects.js';
import { intentViolation, objectViolation, type Finding } from './support/violation.js';
import type { Rule, RuleContext } from './types.js';

/** The add-on's floor: one replica may be evicted by the PodDisruptionBudget, one keeps serving. */
export const MIN_REPLICAS = 2;
const REMEDIATION = `set minReplicas to ${MIN_REPLICAS} or more (the add-on rejects lower values because the PodDisruptionBudget would block every node drain)`;

/** Every autoscaling block of the intent, with its path. */
function intentAutoscaling(ctx: RuleContext): Array<{ path: FieldPath; min: unknown }> {
  const spec = ctx.render.intent.spec;
  const blocks: Array<[FieldPath, unknown]> = [
    [['spec', 'controlPlane', 'autoscaling'], spec.controlPlane?.autoscaling],
    [['spec', 'gateways', 'external', 'autoscaling'], spec.gateways?.external?.autoscaling],
    [['spec', 'gateways', 'internal', 'autoscaling'], spec.gateways?.internal?.autoscaling],
    ...Object.keys(spec.gateways?.egress ?? {}).sort().map((n): [FieldPath, unknown] => [['spec', 'gateways', 'egress', n, 'autoscaling'], spec.gateways?.egress?.[n]?.autoscaling]),
  ];
  return blocks.map(([path, a]) => ({ path: [...path, 'minReplicas'], min: field(a, ['minReplicas']) }));
}

/** True when a source HPA scales a mesh component (by namespace or by the target's name). */
function targetsMesh(ctx: RuleContext, o: LocatedObject): boolean {
  const egress = (ctx.render.intent.spec.istio?.components?.egressGateways ?? []).map((g) => g);
  const namespaces = new Set<string>([NAMESPACES.system, NAMESPACES.ingress, NAMESPACES.egress, ...egress.map((g) => g.namespace ?? NAMESPACES.egress)]);
  const target = String(field(o.object, ['spec', 'scaleTargetRef', 'name']) ?? '');
  const ns = namespaceOf(o.object);
  return (ns !== undefined && namespaces.has(ns)) || target.startsWith('istiod-') || target.startsWith('aks-istio-ingressgateway-') || egress.some((g) => target.startsWith(`${g.name}-asm-`));
}

/** The autoscaling-min-below-two rule. */
export const autoscalingMinBelowTwoRule: Rule = {
  id: 'autoscaling-min-below-two',
  severity: 'error',
  description: 'the autoscaling of istiod and the gateways (intent, or any HPA in the source that targets a mesh component) keeps minReplicas at 2 or more',
  check(ctx) {
    const out = intentAutoscaling(ctx)
      .filter((a) => typeof a.min === 'number' && a.min < MIN_REPLICAS)
      .map((a) => intentViolation(this, ctx, { path: a.path, message: `minReplicas is ${String(a.min)}`, remediation: REMEDIATION }));
    for (const o of ctx.objects) {
      if (o.origin.kind !== 'source' || o.object.kind !== 'HorizontalPodAutoscaler' || !targetsMesh(ctx, o)) continue;
      const min = field(o.object, ['spec', 'minReplicas']);
      const finding: Finding = { path: ['spec', 'minReplicas'], message: `HorizontalPodAutoscaler of a mesh component has minReplicas ${min === undefined ? 'unset (1)' : String(min)}`, remediation: REMEDIATION };
      if (min === undefined || (typeof min === 'number' && min < MIN_REPLICAS)) out.push(objectViolation(this, ctx, o, finding));
    }
    return out;
  },
};
