/** istio-api-unserved: an Istio custom resource whose apiVersion/kind no installed revision serves. */
import { crdsFor } from '../catalog/catalog.js';
import { apiGroup, apiVersionOnly } from '../core/resource-key.js';
import { objectViolation } from './support/violation.js';
import type { Rule, RuleContext } from './types.js';

/** `group/version/Kind` served by the CRDs of any installed revision (catalog/istio-crds.yaml). */
function servedIstioApis(ctx: RuleContext): Set<string> {
  const out = new Set<string>();
  for (const rev of ctx.render.input.revisions) {
    for (const crd of crdsFor(ctx.catalog, rev.minor)) for (const v of crd.versions) out.add(`${crd.group}/${v}/${crd.kind}`);
  }
  return out;
}

/** The istio-api-unserved rule. */
export const istioApiUnservedRule: Rule = {
  id: 'istio-api-unserved',
  severity: 'error',
  description: 'Istio custom resources (networking, security, telemetry, extensions.istio.io) use an apiVersion and kind that an installed revision serves',
  skip(ctx) {
    return ctx.render.input.revisions.length === 0 ? 'no revision is installed' : undefined;
  },
  check(ctx) {
    const istioGroups = new Set(ctx.catalog.crds.map((c) => c.group));
    const served = servedIstioApis(ctx);
    const revisions = ctx.render.input.revisions.map((r) => r.name).join(', ');
    return ctx.objects
      .filter((o) => istioGroups.has(apiGroup(o.object.apiVersion)) && !served.has(`${o.object.apiVersion}/${o.object.kind}`))
      .map((o) => {
        const kindVersions = [...served].filter((s) => s.endsWith(`/${o.object.kind}`) && s.startsWith(`${apiGroup(o.object.apiVersion)}/`)).map((s) => s.split('/')[1]);
        return objectViolation(this, ctx, o, {
          path: ['apiVersion'],
          message: kindVersions.length
            ? `${o.object.kind} ${apiVersionOnly(o.object.apiVersion)} is not served by ${revisions} (served: ${kindVersions.join(', ')})`
            : `${apiGroup(o.object.apiVersion)}/${o.object.kind} is not a kind that ${revisions} serves`,
          remediation: kindVersions.length ? `change apiVersion to ${apiGroup(o.object.apiVersion)}/${kindVersions[0]}` : 'remove the object, or upgrade to a revision that serves this kind',
        });
      });
  },
};
