/** api-unavailable: a group/version the cluster does not serve (KUBE_API_VERSIONS) and no CRD of the render defines. */
import { crdDefinedApis, isServed, parseServedApis } from './support/kube-apis.js';
import { objectViolation } from './support/violation.js';
import type { Rule } from './types.js';

/** The api-unavailable rule. */
export const apiUnavailableRule: Rule = {
  id: 'api-unavailable',
  severity: 'error',
  description: 'every object\'s group/version (and kind, when KUBE_API_VERSIONS lists kinds) is served by the cluster or defined by a CRD in the render; skipped when KUBE_API_VERSIONS is not set',
  skip(ctx) {
    return ctx.kubeApiVersions && ctx.kubeApiVersions.length > 0 ? undefined : 'KUBE_API_VERSIONS is not set (Argo CD sets it; export it to check against a cluster)';
  },
  check(ctx) {
    const served = parseServedApis(ctx.kubeApiVersions ?? []);
    const crds = crdDefinedApis(ctx.objects);
    return ctx.objects
      .filter((o) => !isServed(served, crds, o.object))
      .map((o) =>
        objectViolation(this, ctx, o, {
          path: ['apiVersion'],
          message: `the cluster does not serve ${o.object.apiVersion} ${o.object.kind}, and no CustomResourceDefinition in the render defines it`,
          remediation: 'install the CRD or controller that provides this API first (or add its CRD to the source), or remove the object',
        }),
      );
  },
};
