/** revision-kubernetes-incompatible: the target Kubernetes minor is outside a revision's supported range. */
import { kubeMinor, type KubeRange, type RevisionEntry } from '../catalog/catalog.js';
import { intentRevisions, REVISIONS_PATH, skipWithoutRevisions } from './support/revisions.js';
import { intentViolation } from './support/violation.js';
import type { Rule, Violation } from './types.js';

/**
 * The range that applies: the LTS range on an LTS cluster when the catalog has one (the add-on
 * publishes LTS ranges from asm-1-25), else the standard-tier range.
 */
export function rangeFor(entry: RevisionEntry, tier: 'Standard' | 'LTS'): { range: KubeRange; tier: 'Standard' | 'LTS' } {
  return tier === 'LTS' && entry.kubernetesLts ? { range: entry.kubernetesLts, tier } : { range: entry.kubernetes, tier: 'Standard' };
}

/** The revision-kubernetes-incompatible rule. */
export const revisionKubernetesIncompatibleRule: Rule = {
  id: 'revision-kubernetes-incompatible',
  severity: 'error',
  description: 'the target Kubernetes minor is inside every installed revision\'s compatible range (the LTS range on an LTS cluster)',
  skip: skipWithoutRevisions,
  check(ctx) {
    const minor = ctx.render.input.kubernetes.minor;
    const tier = ctx.render.intent.spec.cluster?.tier ?? 'Standard';
    const out: Violation[] = [];
    for (const r of intentRevisions(ctx)) {
      if (!r.entry) continue;
      const { range, tier: used } = rangeFor(r.entry, tier);
      if (minor >= kubeMinor(range.min) && minor <= kubeMinor(range.max)) continue;
      out.push(
        intentViolation(this, ctx, {
          path: [...REVISIONS_PATH, r.index],
          message: `${r.name} supports Kubernetes ${range.min}–${range.max} (${used} tier); the target is 1.${minor}`,
          remediation: minor > kubeMinor(range.max) ? `upgrade the mesh to a revision that supports 1.${minor} (\`meshplane upgrade plan\`)` : `upgrade the cluster to Kubernetes ${range.min} or later, or pick an older revision`,
        }),
      );
    }
    return out;
  },
};
