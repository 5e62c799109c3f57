/** meshconfig-field-unsupported: a MeshConfig field the add-on accepts but Azure support does not cover (warning). */
import { meshConfigFields } from './support/meshconfig.js';
import { intentViolation, objectViolation } from './support/violation.js';
import type { Rule } from './types.js';

/** The meshconfig-field-unsupported rule. */
export const meshconfigFieldUnsupportedRule: Rule = {
  id: 'meshconfig-field-unsupported',
  severity: 'warning',
  description: 'MeshConfig fields that the add-on allows but does not support are reported, so their use is a visible decision',
  check(ctx) {
    return meshConfigFields(ctx)
      .filter((f) => f.cls === 'allowed')
      .map((f) => {
        const finding = {
          path: f.path,
          message: `MeshConfig field ${f.name} is allowed by the managed add-on but outside Azure support`,
          remediation: 'keep it only if you accept running it unsupported; waive this warning with a spec.policy.exceptions entry to record that decision',
        };
        return f.object ? objectViolation(this, ctx, f.object, finding) : intentViolation(this, ctx, finding);
      });
  },
};
