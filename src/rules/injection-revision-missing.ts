/** injection-revision-missing: istio.io/rev names no installed revision and no revision tag. */
import type { LocatedObject } from '../core/types.js';
import type { FieldPath } from '../pipeline/load.js';
import { REV_LABEL } from './support/injection.js';
import { field, installedRevisions, installedTags, podTemplatePath } from './support/objects.js';
import { objectViolation } from './support/violation.js';
import type { Rule, Violation } from './types.js';

/** Where an object carries istio.io/rev: a Namespace's labels, or a workload's pod-template labels. */
function revLabelPath(o: LocatedObject): FieldPath | undefined {
  if (o.object.kind === 'Namespace' && o.object.apiVersion === 'v1') return ['metadata', 'labels', REV_LABEL];
  const tpl = podTemplatePath(o.object);
  return tpl ? [...tpl, 'metadata', 'labels', REV_LABEL] : undefined;
}

/** The injection-revision-missing rule. */
export const injectionRevisionMissingRule: Rule = {
  id: 'injection-revision-missing',
  severity: 'error',
  description: 'every istio.io/rev label on a namespace or pod template names an installed revision or a revision tag of the mesh',
  check(ctx) {
    const valid = [...installedRevisions(ctx), ...installedTags(ctx)];
    const out: Violation[] = [];
    for (const o of ctx.objects) {
      if (o.origin.kind === 'rendered') continue;
      const path = revLabelPath(o);
      const value = path ? field(o.object, path) : undefined;
      if (!path || value === undefined || valid.includes(String(value))) continue;
      out.push(
        objectViolation(this, ctx, o, {
          path,
          message: `istio.io/rev is "${String(value)}", which is neither an installed revision nor a revision tag (installed: ${valid.join(', ') || 'none'}); no sidecar would be injected`,
          remediation: valid.length ? `use one of ${valid.join(', ')}, or add the revision/tag to mesh.yaml` : 'install a revision in mesh.yaml (spec.istio.revisions)',
        }),
      );
    }
    return out;
  },
};

