/**
 * The rule registry: every guardrail, by id. Adding a rule = `src/rules/<id>.ts` exporting a
 * `Rule`, a readme `src/rules/<id>.md`, passing and failing fixtures under
 * `test/cases/rules/<id>/{pass,fail}/`, and one entry here; the registry test checks all four.
 */
import { apiDeprecatedRule } from './api-deprecated.js';
import { apiRemovedRule } from './api-removed.js';
import { apiUnavailableRule } from './api-unavailable.js';
import { autoscalingMinBelowTwoRule } from './autoscaling-min-below-two.js';
import { caKeyInSourceRule } from './ca-key-in-source.js';
import { forbiddenKindRule } from './forbidden-kind.js';
import { foreignIstioRule } from './foreign-istio.js';
import { gatewayApiUnsupportedRule } from './gateway-api-unsupported.js';
import { imageRegistryNotAllowedRule } from './image-registry-not-allowed.js';
import { ingressGatewayDuplicateRule } from './ingress-gateway-duplicate.js';
import { injectionLabelUnsupportedRule } from './injection-label-unsupported.js';
import { injectionLabelsConflictRule } from './injection-labels-conflict.js';
import { injectionRevisionMissingRule } from './injection-revision-missing.js';
import { intentNotDiscoverableRule } from './intent-not-discoverable.js';
import { istioApiUnservedRule } from './istio-api-unserved.js';
import { meshconfigFieldBlockedRule } from './meshconfig-field-blocked.js';
import { meshconfigFieldUnsupportedRule } from './meshconfig-field-unsupported.js';
import { osmPresentRule } from './osm-present.js';
import { revisionCountRule } from './revision-count.js';
import { revisionEndOfLifeRule } from './revision-end-of-life.js';
import { revisionKubernetesIncompatibleRule } from './revision-kubernetes-incompatible.js';
import { revisionSkipRule } from './revision-skip.js';
import { revisionUnknownRule } from './revision-unknown.js';
import { schemaInvalidRule } from './schema-invalid.js';
import { upgradeWaveMembershipRule } from './upgrade-wave-membership.js';
import { virtualNodeWorkloadInMeshRule } from './virtual-node-workload-in-mesh.js';
import { windowsWorkloadInMeshRule } from './windows-workload-in-mesh.js';
import type { Rule } from './types.js';

/** Every rule, in the order of the table in docs/design.md ("Guardrails") (reports sort findings themselves). */
const ALL: readonly Rule[] = [
  forbiddenKindRule,
  gatewayApiUnsupportedRule,
  revisionUnknownRule,
  revisionCountRule,
  revisionSkipRule,
  revisionKubernetesIncompatibleRule,
  revisionEndOfLifeRule,
  apiRemovedRule,
  apiDeprecatedRule,
  apiUnavailableRule,
  istioApiUnservedRule,
  injectionLabelUnsupportedRule,
  injectionRevisionMissingRule,
  injectionLabelsConflictRule,
  upgradeWaveMembershipRule,
  meshconfigFieldBlockedRule,
  meshconfigFieldUnsupportedRule,
  osmPresentRule,
  foreignIstioRule,
  windowsWorkloadInMeshRule,
  virtualNodeWorkloadInMeshRule,
  ingressGatewayDuplicateRule,
  autoscalingMinBelowTwoRule,
  caKeyInSourceRule,
  imageRegistryNotAllowedRule,
  schemaInvalidRule,
  intentNotDiscoverableRule,
];

/** The registry: rule id → rule. */
export const RULES: ReadonlyMap<string, Rule> = new Map(ALL.map((r) => [r.id, r]));

/** Every rule, in registry order. */
export function allRules(): Rule[] {
  return [...RULES.values()];
}

/** The rule with this id, or undefined. */
export function findRule(id: string): Rule | undefined {
  return RULES.get(id);
}

/** Every rule id, sorted. */
export function ruleIds(): string[] {
  return [...RULES.keys()].sort();
}
