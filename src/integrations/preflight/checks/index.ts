/** The preflight checks, in report order. Adding one = a file in this folder + one entry here. */
import type { Violation } from '../../../rules/types.js';
import type { PreflightContext, PreflightRule } from './context.js';
import { aksAddonPresentRule } from './aks-addon-present.js';
import { injectionRevisionMissingRule, sidecarRevisionRemovedRule } from './injection-orphans.js';
import { foreignIstioRule } from './foreign-istio.js';
import { kubernetesIncompatibleRule } from './kubernetes-incompatible.js';
import { osmInstalledRule } from './osm-installed.js';
import { revisionDowngradeRule } from './revision-downgrade.js';
import { virtualNodeWorkloadRule, windowsWorkloadRule } from './workloads-on-nodes.js';

/** Every preflight check. */
export const PREFLIGHT_RULES: readonly PreflightRule[] = [
  osmInstalledRule,
  aksAddonPresentRule,
  foreignIstioRule,
  kubernetesIncompatibleRule,
  windowsWorkloadRule,
  virtualNodeWorkloadRule,
  revisionDowngradeRule,
  injectionRevisionMissingRule,
  sidecarRevisionRemovedRule,
];

/** Runs every check over a snapshot: violations in rule order, then by resource. */
export function checkCluster(ctx: PreflightContext): Violation[] {
  const rank = (v: Violation): string => `${String(PREFLIGHT_RULES.findIndex((r) => r.id === v.ruleId)).padStart(2, '0')} ${v.resource}`;
  return PREFLIGHT_RULES.flatMap((rule) => rule.check(ctx)).sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0));
}
