/** api-removed: an apiVersion the target Kubernetes version no longer serves (catalog/kubernetes-apis.yaml). */
import { apiEntry, isRemoved, noReplacementNote, replacementAdvice } from './support/kube-apis.js';
import type { KubeApiEntry } from '../catalog/guardrails.js';
import { objectViolation } from './support/violation.js';
import type { Rule, Violation } from './types.js';

/** What to do about a removed API: move to its replacement, or (when none exists) drop the object. */
export function removalRemedy(e: KubeApiEntry, minor: number): string {
  const note = noReplacementNote(e.replacement);
  if (note !== undefined) return `no API replaces it (${note}); remove the object`;
  return replacementAdvice(e, minor);
}

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
      out.push(
        objectViolation(this, ctx, o, {
          path: ['apiVersion'],
          message: `${e.apiVersion} ${o.object.kind} was removed in Kubernetes ${e.removedIn}; the target is 1.${minor}, where applying it fails`,
          remediation: removalRemedy(e, minor),
        }),
      );
    }
    return out;
  },
};
