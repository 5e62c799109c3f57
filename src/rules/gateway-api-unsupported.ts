/** gateway-api-unsupported: Gateway API objects that Istio would program (GatewayClass, Gateway, GAMMA routes). */
import type { LocatedObject } from '../core/types.js';
import { field, ofKind } from './support/objects.js';
import { objectViolation } from './support/violation.js';
import type { Rule, RuleContext } from './types.js';

const GROUP = 'gateway.networking.k8s.io';
/** Istio's Gateway API controller name (what an Istio-programmed GatewayClass names). */
export const ISTIO_CONTROLLER = 'istio.io/gateway-controller';
/** Route kinds that become GAMMA (mesh) routes when a parentRef is a Service or ServiceEntry (see MESH_PARENTS). */
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute'];

/** Names of GatewayClasses served by Istio: `istio` (installed by Istio) plus the source's own. */
function istioClasses(ctx: RuleContext): Set<string> {
  const names = new Set(['istio']);
  for (const o of ofKind(ctx.objects, GROUP, 'GatewayClass')) {
    if (field(o.object, ['spec', 'controllerName']) === ISTIO_CONTROLLER && o.object.metadata?.name) names.add(o.object.metadata.name);
  }
  return names;
}

/**
 * The parents that make a route a mesh route, as group/Kind. Why these, from Istio 1.30.3
 * (pilot/pkg/config/kube/gateway/conversion.go `allowedParentReferences` and
 * `toInternalParentReference`, gatewaycommon/references.go `NormalizeReference`): a parentRef's
 * group and kind are normalised with Gateway API's defaults (an omitted group is
 * gateway.networking.k8s.io, an omitted kind Gateway) and then looked up among Istio's known
 * types; a core Service (group "") and an Istio ServiceEntry are the mesh parents. A `Service`
 * with the group omitted, or with a group "core", matches no known type and Istio refuses the
 * parent ("unsupported parent"), so such a route is not programmed at all.
 */
const MESH_PARENTS = ['/Service', 'networking.istio.io/ServiceEntry'];

/** The first parentRef of `o` that is a mesh parent: its index and kind. */
function meshParent(o: LocatedObject): { index: number; kind: string } | undefined {
  const refs = field(o.object, ['spec', 'parentRefs']);
  if (!Array.isArray(refs)) return undefined;
  for (const [index, r] of refs.entries()) {
    // An omitted group or kind takes Gateway API's default (gateway.networking.k8s.io, Gateway),
    // which is never a mesh parent: only a ref that names both can be one.
    const group = field(r, ['group']);
    const kind = field(r, ['kind']);
    if (typeof group === 'string' && typeof kind === 'string' && MESH_PARENTS.includes(`${group}/${kind}`)) return { index, kind };
  }
  return undefined;
}

/** The gateway-api-unsupported rule. */
export const gatewayApiUnsupportedRule: Rule = {
  id: 'gateway-api-unsupported',
  severity: 'error',
  description: 'Gateway API objects that Istio would program (a GatewayClass of istio.io/gateway-controller, Gateways of an Istio class, GAMMA routes whose parentRef is a core Service or an Istio ServiceEntry) are not supported on the managed add-on',
  check(ctx) {
    const classes = istioClasses(ctx);
    const remediation = 'use the managed ingress gateways (spec.istio.components.ingressGateways) with Istio Gateway/VirtualService objects, or waive this resource with a spec.policy.exceptions entry if the cluster runs the add-on\'s Gateway API support';
    const out = ofKind(ctx.objects, GROUP, 'GatewayClass')
      .filter((o) => field(o.object, ['spec', 'controllerName']) === ISTIO_CONTROLLER)
      .map((o) => objectViolation(this, ctx, o, { path: ['spec', 'controllerName'], message: `GatewayClass is programmed by Istio (${ISTIO_CONTROLLER})`, remediation }));
    for (const o of ofKind(ctx.objects, GROUP, 'Gateway')) {
      const cls = field(o.object, ['spec', 'gatewayClassName']);
      if (typeof cls === 'string' && classes.has(cls)) out.push(objectViolation(this, ctx, o, { path: ['spec', 'gatewayClassName'], message: `Gateway of the Istio class "${cls}"`, remediation }));
    }
    for (const kind of ROUTE_KINDS) {
      for (const o of ofKind(ctx.objects, GROUP, kind)) {
        const parent = meshParent(o);
        if (parent) out.push(objectViolation(this, ctx, o, { path: ['spec', 'parentRefs', parent.index], message: `${kind} with a ${parent.kind} parentRef is a GAMMA mesh route, which the add-on does not support`, remediation }));
      }
    }
    return out;
  },
};
