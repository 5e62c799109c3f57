/** ingress-gateway-duplicate: two ingress gateways of one mode (the add-on allows one External and one Internal). */
import { intentViolation } from './support/violation.js';
import type { Rule, Violation } from './types.js';

/** The ingress-gateway-duplicate rule. */
export const ingressGatewayDuplicateRule: Rule = {
  id: 'ingress-gateway-duplicate',
  severity: 'error',
  description: 'spec.istio.components.ingressGateways holds at most one gateway per mode (External, Internal)',
  check(ctx) {
    const gateways = ctx.render.intent.spec.istio?.components?.ingressGateways ?? [];
    const first = new Map<string, number>();
    const out: Violation[] = [];
    gateways.forEach((g, i) => {
      const seen = first.get(g.mode);
      if (seen === undefined) first.set(g.mode, i);
      else {
        out.push(
          intentViolation(this, ctx, {
            path: ['spec', 'istio', 'components', 'ingressGateways', i],
            message: `a second ${g.mode} ingress gateway (the first is entry ${seen}); the add-on runs one per mode ("Too many ingresses for type")`,
            remediation: `remove this entry; use spec.gateways.${g.mode.toLowerCase()} to tune the one ${g.mode} gateway`,
          }),
        );
      }
    });
    return out;
  },
};
