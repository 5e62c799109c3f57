/** api-removed: an apiVersion the target Kubernetes version no longer serves (catalog/kubernetes-apis.yaml). */
import { apiEntry, isRemoved } from './support/kube-apis.js';
import { objectViolation } from './support/violation.js';
import type { Rule, Violation } from './types.js';

/** The api-removed rule. */
export const apiRemovedRule: Rule = {
  id: 'api-removed',
  severity: 'error',
  description: 'no object uses an apiVersion that the target Kubernetes version has removed',
  check(ctx) {
    const minor = ctx.render.input.kubernetes.minor;
    const out: Violation[] = [];
    for (const o of ctx.objects) {
      const e = apiEntry(ctx.data.kubernetesApis, o.object);
      if (!e || !isRemoved(e, minor)) continue;
      const since = e.replacementSince ? ` (served since ${e.replacementSince})` : '';
      out.push(
        objectViolation(this, ctx, o, {
          path: ['apiVersion'],
          message: `${e.apiVersion} ${o.object.kind} was removed in Kubernetes ${e.removedIn}; the target is 1.${minor}, where applying it fails`,
          remediation: `move the object to ${e.replacement}${since}`,
        }),
      );
    }
    return out;
  },
};
