/** meshconfig-field-blocked: a MeshConfig field outside the add-on's allowlist (catalog/meshconfig-fields.yaml). */
import { meshConfigFields } from './support/meshconfig.js';
import { intentViolation, objectViolation } from './support/violation.js';
import type { Rule } from './types.js';

/** The meshconfig-field-blocked rule. */
export const meshconfigFieldBlockedRule: Rule = {
  id: 'meshconfig-field-blocked',
  severity: 'error',
  description: 'spec.meshConfig (and any istio-shared-configmap-<rev> in the source) holds only fields on the add-on\'s allowlist; every other field is blocked by the add-on',
  check(ctx) {
    return meshConfigFields(ctx)
      .filter((f) => f.cls === 'blocked')
      .map((f) => {
        const finding = {
          path: f.path,
          message: `MeshConfig field ${f.name} is blocked by the managed add-on (it is not on the allowlist)`,
          remediation: 'remove the field; see catalog/meshconfig-fields.yaml for the supported and allowed fields',
        };
        return f.object ? objectViolation(this, ctx, f.object, finding) : intentViolation(this, ctx, finding);
      });
  },
};
