/**
 * revision-kubernetes-incompatible: the target Kubernetes minor is outside a revision's supported
 * range. One exception is a warning, not an error: the lower revision of a canary pair whose
 * higher revision fits the cluster. AKS lets a cluster be upgraded past its mesh revision's range
 * to recover (Azure/AKS CHANGELOG at 8d1c890, release 2025-03-16), and its upgrade guide says to
 * upgrade the cluster first when both are unsupported, then start the canary
 * (azure-aks-docs articles/aks/istio-upgrade.md at fb060ab) — so that canary starts from a
 * revision the cluster has outgrown, and failing the sync for it would block the way out.
 */
import { kubeMinor, revisionMinor, type KubeRange, type RevisionEntry } from '../catalog/catalog.js';
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
    const fits = (entry: RevisionEntry): boolean => {
      const { range } = rangeFor(entry, tier);
      return minor >= kubeMinor(range.min) && minor <= kubeMinor(range.max);
    };
    const revs = intentRevisions(ctx);
    // The canary pair's higher revision, when it fits the cluster: the one the mesh is moving to.
    const pair = revs.length === 2 ? [...revs].sort((a, b) => revisionMinor(a.name) - revisionMinor(b.name)) : [];
    const canary = pair[1]?.entry && fits(pair[1].entry) ? pair[1] : undefined;
    const out: Violation[] = [];
    for (const r of revs) {
      if (!r.entry || fits(r.entry)) continue;
      const { range, tier: used } = rangeFor(r.entry, tier);
      const message = `${r.name} supports Kubernetes ${range.min}–${range.max} (${used} tier); the target is 1.${minor}`;
      if (canary && r !== canary && minor > kubeMinor(range.max)) {
        out.push({
          ...intentViolation(this, ctx, {
            path: [...REVISIONS_PATH, r.index],
            message: `${message}; the canary ${canary.name} fits, so this only warns while the upgrade runs`,
            remediation: `move the workloads to ${canary.name}, then \`meshplane upgrade complete\` (docs/upgrades.md)`,
          }),
          severity: 'warning',
        });
        continue;
      }
      out.push(
        intentViolation(this, ctx, {
          path: [...REVISIONS_PATH, r.index],
          message,
          remediation: minor > kubeMinor(range.max) ? `upgrade the mesh to a revision that supports 1.${minor} (\`meshplane upgrade plan\`)` : `upgrade the cluster to Kubernetes ${range.min} or later, or pick an older revision`,
        }),
      );
    }
    return out;
  },
};
