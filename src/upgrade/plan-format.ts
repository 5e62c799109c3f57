/** Renders an {@link UpgradePlan} as the text or JSON report of `meshplane upgrade plan`. */
import type { RevisionStatus } from './support.js';
import { hasUnverified, type UpgradePlan } from './plan.js';

/** Why each step is offered, in words. */
const STEP_WORDS = {
  'n+1': 'next minor (n+1)',
  'n+2': 'skips one minor (n+2)',
  'nearest-supported': 'nearest supported revision',
} as const;

/** The human-readable report. */
export function formatPlanText(plan: UpgradePlan): string {
  const lines = [`mesh ${plan.mesh}: Kubernetes ${plan.kubernetes} (${plan.tier} tier), as of ${plan.now}`];
  if (plan.catalog?.stale) {
    const what = hasUnverified(plan) ? 'support marked "unverified" may have changed' : 'AKS has likely released revisions it does not list';
    lines.push(`warning: ${plan.now} is past what the revision catalog can vouch for (it knows AKS up to ${plan.catalog.asOf}, ${plan.catalog.basis}; a newer minor was due by ${plan.catalog.nextExpected}): ${what}`);
  }
  if (plan.installed.length > 0) lines.push('installed:', ...plan.installed.map((s) => `  ${s.revision}  ${describe(s)}`));
  lines.push(`state: ${plan.state}`);
  if (plan.targets.length > 0) {
    lines.push('may move to:');
    for (const t of plan.targets) lines.push(`  ${t.revision}  ${STEP_WORDS[t.step]}; ${describe(t.status)}`);
  }
  if (plan.notOffered.length > 0) {
    lines.push('not offered:');
    for (const [reason, names] of groupByReason(plan)) lines.push(`  ${names.join(', ')}  ${reason}`);
  }
  lines.push('next:', ...plan.next.map((n) => `  ${n}`));
  return `${lines.join('\n')}\n`;
}

/** Revisions left out for the same reasons share one line (in catalog order). */
function groupByReason(plan: UpgradePlan): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const n of plan.notOffered) {
    const reason = n.reasons.join('; ');
    groups.set(reason, [...(groups.get(reason) ?? []), n.revision]);
  }
  return groups;
}

function describe(s: RevisionStatus): string {
  return `${s.supported ? 'supported' : 'unsupported'} (${s.support}); ${s.compatibility}`;
}

/** The machine-readable report: the plan as JSON, keys in a fixed order. */
export function formatPlanJson(plan: UpgradePlan): string {
  const out = {
    mesh: plan.mesh,
    kubernetes: plan.kubernetes,
    tier: plan.tier,
    now: plan.now,
    catalog: plan.catalog,
    state: plan.state,
    installed: plan.installed.map(statusJson),
    targets: plan.targets.map((t) => ({ revision: t.revision, step: t.step, ...statusJson(t.status) })),
    notOffered: plan.notOffered.map((n) => ({ revision: n.revision, reasons: n.reasons })),
    next: plan.next,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

function statusJson(s: RevisionStatus): Record<string, unknown> {
  return {
    revision: s.revision,
    supported: s.supported,
    vouched: s.vouched,
    support: s.support,
    compatible: s.compatible,
    kubernetes: s.kubernetes ? { min: s.kubernetes.min, max: s.kubernetes.max } : null,
    compatibility: s.compatibility,
  };
}
