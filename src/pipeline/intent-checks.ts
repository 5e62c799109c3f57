/**
 * Stage `intent` (second half): checks of the intent that JSON Schema cannot express — Service
 * annotations outside the add-on's allowlist, egress gateway limits and name clashes, overrides
 * for gateways that do not exist, autoscaling bounds, plug-in CA prerequisites, CoreDNS ladders.
 * A failed check is an invalid intent (exit 2), reported all at once with file:line; checks
 * that only mean "this setting has no effect" are warnings. Policy findings (a second External
 * gateway, minReplicas below 2) are rules, not checks: see src/rules/.
 */
import { MeshplaneError, type ErrorDetail } from '../core/errors.js';
import type { Notice, SourcePosition } from '../core/types.js';
import type { ServiceMesh } from '../intent/types.js';
import type { FoundIntent } from './intent.js';
import { checkAutoscaling, checkCoreDnsLadders, checkPluginCa } from './intent-checks-addons.js';
import { checkDisabledMode } from './intent-checks-mode.js';
import { checkTags } from './intent-checks-tags.js';
import { checkUpgradeWaves } from './intent-checks-waves.js';
import { checkEgressGateways, checkEgressOverrides, checkIngressOverrides, checkServiceAnnotations } from './intent-checks-gateways.js';
import { positionOf } from './load.js';
import type { IntentCheck, Locate } from './intent-check-types.js';


/** Every intent check, in the order their findings are listed. */
export const INTENT_CHECKS: readonly IntentCheck[] = [
  checkServiceAnnotations,
  checkIngressOverrides,
  checkEgressGateways,
  checkEgressOverrides,
  checkAutoscaling,
  checkPluginCa,
  checkCoreDnsLadders,
  checkTags,
  checkUpgradeWaves,
];


/**
 * Checks of an intent that is about to produce output (generate, check, diff, post-render), on
 * top of {@link INTENT_CHECKS}. Why apart: `import` and `preflight` read a Disabled intent as
 * valid (nothing is rendered or pruned there); only an output without the mesh is dangerous.
 */
export const OUTPUT_CHECKS: readonly IntentCheck[] = [checkDisabledMode];

/** Runs every check on a schema-valid intent; throws one error listing every problem, else returns the warnings. */
export function checkIntent(found: FoundIntent, checks: readonly IntentCheck[] = INTENT_CHECKS): Notice[] {
  const at: Locate = (path) => positionOf(found.document, path);
  const results = checks.map((check) => check(found.intent, at));
  const errors = results.flatMap((r) => r.errors);
  if (errors.length > 0) {
    const file = found.document.file;
    throw new MeshplaneError('intent-invalid', `the mesh intent in ${file} is not valid (${errors.length} problem${errors.length === 1 ? '' : 's'})`, errors, 'docs/intent-reference.md describes every field and its limits');
  }
  return results.flatMap((r) => r.warnings);
}
