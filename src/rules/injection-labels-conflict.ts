/** injection-labels-conflict: a namespace with both istio-injection and istio.io/rev. */
import { INJECTION_LABEL, label, namespaces, REV_LABEL } from './support/injection.js';
import { objectViolation } from './support/violation.js';
import type { Rule } from './types.js';

/** The injection-labels-conflict rule. */
export const injectionLabelsConflictRule: Rule = {
  id: 'injection-labels-conflict',
  severity: 'error',
  description: 'a namespace carries istio.io/rev or istio-injection, never both (the legacy label wins and breaks revision-based injection)',
  check(ctx) {
    return namespaces(ctx.objects)
      .filter((o) => label(o, INJECTION_LABEL) !== undefined && label(o, REV_LABEL) !== undefined)
      .map((o) =>
        objectViolation(this, ctx, o, {
          path: ['metadata', 'labels', INJECTION_LABEL],
          message: `namespace ${o.object.metadata?.name ?? ''} has both istio-injection=${label(o, INJECTION_LABEL) ?? ''} and istio.io/rev=${label(o, REV_LABEL) ?? ''}`,
          remediation: 'remove the istio-injection label; keep istio.io/rev',
        }),
      );
  },
};
