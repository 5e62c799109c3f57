/** injection-label-unsupported: a namespace labelled istio-injection=enabled (the add-on ignores it). */
import { INJECTION_LABEL, label, namespaces } from './support/injection.js';
import { objectViolation } from './support/violation.js';
import type { Rule } from './types.js';

/** The injection-label-unsupported rule. */
export const injectionLabelUnsupportedRule: Rule = {
  id: 'injection-label-unsupported',
  severity: 'error',
  description: 'namespaces opt into the mesh with istio.io/rev=<revision or tag>; istio-injection=enabled makes the add-on skip the namespace',
  check(ctx) {
    const target = ctx.render.input.tags[0]?.name ?? ctx.render.input.defaultRevision ?? 'asm-1-NN';
    return namespaces(ctx.objects)
      .filter((o) => label(o, INJECTION_LABEL) === 'enabled')
      .map((o) =>
        objectViolation(this, ctx, o, {
          path: ['metadata', 'labels', INJECTION_LABEL],
          message: `namespace ${o.object.metadata?.name ?? ''} is labelled istio-injection=enabled, which the managed add-on does not support: its pods would get no sidecar`,
          remediation: `replace the label with istio.io/rev: ${target} (a revision or revision tag of this mesh)`,
        }),
      );
  },
};
