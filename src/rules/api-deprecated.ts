/** api-deprecated: an apiVersion the target Kubernetes version still serves but has deprecated (warning). */
import { kubeMinor } from '../catalog/catalog.js';
import type { KubeApiEntry } from '../catalog/guardrails.js';
import { apiEntry, isDeprecated, noReplacementNote, replacementAdvice } from './support/kube-apis.js';
import { objectViolation } from './support/violation.js';
import type { Rule, Violation } from './types.js';

/** What to do about a deprecated API before its removal, on Kubernetes 1.`minor`. */
export function deprecationRemedy(e: KubeApiEntry, minor: number): string {
  const note = noReplacementNote(e.replacement);
  if (note !== undefined) return `no API replaces it (${note}); remove the object before the cluster reaches ${e.removedIn}`;
  const advice = replacementAdvice(e, minor);
  if (e.replacementSince && kubeMinor(e.replacementSince) > minor) return `${advice}; ${e.removedIn} no longer serves ${e.apiVersion}`;
  return `${advice} before the cluster reaches ${e.removedIn}`;
}

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
          remediation: deprecationRemedy(e, minor),
        }),
      );
    }
    return out;
  },
};
