/** api-deprecated: an apiVersion the target Kubernetes version still serves but has deprecated (warning). */
import { apiEntry, isDeprecated } from './support/kube-apis.js';
import { objectViolation } from './support/violation.js';
import type { Rule, Violation } from './types.js';

/** The api-deprecated rule. */
export const apiDeprecatedRule: Rule = {
  id: 'api-deprecated',
  severity: 'warning',
  description: 'objects using an apiVersion deprecated in the target Kubernetes version (removed in a later one) are reported',
  check(ctx) {
    const minor = ctx.render.input.kubernetes.minor;
    const out: Violation[] = [];
    for (const o of ctx.objects) {
      const e = apiEntry(ctx.data.kubernetesApis, o.object);
      if (!e || !isDeprecated(e, minor)) continue;
      out.push(
        objectViolation(this, ctx, o, {
          path: ['apiVersion'],
          message: `${e.apiVersion} ${o.object.kind} is deprecated on Kubernetes 1.${minor} and removed in ${e.removedIn}`,
          remediation: /^none\b/.test(e.replacement)
            ? `no API replaces it (${e.replacement}); remove the object before the cluster reaches ${e.removedIn}`
            : `move the object to ${e.replacement} before the cluster reaches ${e.removedIn}`,
        }),
      );
    }
    return out;
  },
};
