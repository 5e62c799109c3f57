/**
 * upgrade-wave-membership: during a canary upgrade with spec.upgrade.waves, every application
 * Namespace of the source belongs to exactly one wave and carries that wave's tag as istio.io/rev
 * (otherwise moving the wave's tag does not move it, and `complete` would strand it).
 */
import type { LocatedObject } from '../core/types.js';
import { waveLabel, waveProgress, wavesOf } from '../intent/waves.js';
import { INJECTION_LABEL, label, namespaces, REV_LABEL } from './support/injection.js';
import { isSource, labelsOf } from './support/objects.js';
import { objectViolation } from './support/violation.js';
import type { Rule, RuleContext, Violation } from './types.js';

/**
 * Namespaces that are never application namespaces, so never in a wave. Why these: Kubernetes
 * creates the first three itself, and the add-on (and Meshplane) owns the aks-istio-* ones,
 * which run the control plane and gateways, not injected workloads.
 */
const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease', 'aks-istio-system', 'aks-istio-ingress', 'aks-istio-egress'];

/** A source Namespace that takes part in waves: not a system namespace, not opted out of injection. */
function isApplicationNamespace(o: LocatedObject): boolean {
  const name = o.object.metadata?.name ?? '';
  return isSource(o) && !SYSTEM_NAMESPACES.includes(name) && label(o, INJECTION_LABEL) !== 'disabled';
}

/** The upgrade-wave-membership rule. */
export const upgradeWaveMembershipRule: Rule = {
  id: 'upgrade-wave-membership',
  severity: 'error',
  description: 'during a canary upgrade with spec.upgrade.waves, every application Namespace of the source belongs to exactly one wave and carries its tag as istio.io/rev',
  skip(ctx) {
    const progress = waveProgress(ctx.render.intent);
    if (progress.waves.length === 0) return 'spec.upgrade.waves is not set';
    return progress.canary ? undefined : 'no canary upgrade is in progress (one revision installed)';
  },
  check(ctx) {
    return namespaces(ctx.objects).filter(isApplicationNamespace).flatMap((o) => membershipViolations(this, ctx, o));
  },
};

function membershipViolations(rule: Rule, ctx: RuleContext, o: LocatedObject): Violation[] {
  const waves = ctx.render.intent.spec.upgrade?.waves ?? [];
  const progress = waveProgress(ctx.render.intent);
  const name = o.object.metadata?.name ?? '';
  const labels = Object.fromEntries(Object.entries(labelsOf(o.object)).map(([k, v]) => [k, String(v)]));
  const found = wavesOf(waves, { name, labels });
  const upgrade = `${progress.stable ?? ''} → ${progress.canary ?? ''}`;
  if (found.length === 0) {
    return [objectViolation(rule, ctx, o, {
      path: ['metadata', 'name'],
      message: `namespace ${name} belongs to no wave of spec.upgrade.waves during the upgrade ${upgrade}: no step would move it, and \`complete\` would leave it on a removed revision`,
      remediation: `add ${name} to one wave's namespaces (or give it labels a wave's namespaceSelector matches), or label it istio-injection: disabled to keep it out of the mesh`,
    })];
  }
  if (found.length > 1) {
    const list = found.map((i) => waveLabel({ index: i, tag: waves[i]?.tag ?? '' }, undefined)).join(' and ');
    return [objectViolation(rule, ctx, o, {
      path: ['metadata', 'name'],
      message: `namespace ${name} belongs to ${list}; a namespace moves in exactly one wave`,
      remediation: 'remove it from all waves but one (their namespaces lists or namespaceSelectors overlap)',
    })];
  }
  const tag = waves[found[0] as number]?.tag ?? '';
  const rev = label(o, REV_LABEL);
  if (rev === tag) return [];
  return [objectViolation(rule, ctx, o, {
    path: rev === undefined ? ['metadata', 'name'] : ['metadata', 'labels', REV_LABEL],
    message: `namespace ${name} is in ${waveLabel({ index: found[0] as number, tag }, undefined)} but its istio.io/rev is ${rev === undefined ? 'not set' : `"${rev}"`}, so moving the wave's tag does not move it`,
    remediation: `label it istio.io/rev: ${tag}`,
  })];
}
