/**
 * preflight-kubernetes-incompatible: the version the API server reports (/version) is outside a
 * revision's supported Kubernetes range (catalog/revisions.yaml; the LTS range on an LTS cluster).
 * The render checks the version it was told; this checks the version the cluster really runs.
 */
import { kubeMinor, type KubeRange, type RevisionEntry } from '../../../catalog/catalog.js';
import { intentKey, intentRevisions, intentWhere, violation, type PreflightContext, type PreflightRule } from './context.js';

/** The range that applies to a revision on a cluster of `tier`. */
function rangeOf(entry: RevisionEntry, tier: 'Standard' | 'LTS'): KubeRange {
  return tier === 'LTS' && entry.kubernetesLts ? entry.kubernetesLts : entry.kubernetes;
}

/** The live Kubernetes minor, from gitVersion (e.g. v1.32.3) or else the minor field (e.g. "32+"). */
export function liveMinor(ctx: PreflightContext): number {
  const fromGit = kubeMinor(ctx.cluster.version.gitVersion);
  return Number.isFinite(fromGit) ? fromGit : Number.parseInt(ctx.cluster.version.minor, 10);
}

function supporting(ctx: PreflightContext, minor: number, tier: 'Standard' | 'LTS'): string[] {
  return ctx.catalog.revisions.filter((r) => { const g = rangeOf(r, tier); return minor >= kubeMinor(g.min) && minor <= kubeMinor(g.max); }).map((r) => r.name);
}

/** The preflight-kubernetes-incompatible rule. */
export const kubernetesIncompatibleRule: PreflightRule = {
  id: 'preflight-kubernetes-incompatible',
  severity: 'error',
  description: 'the cluster\'s Kubernetes version (from /version) is inside every intent revision\'s supported range',
  check(ctx) {
    const minor = liveMinor(ctx);
    const git = ctx.cluster.version.gitVersion;
    if (!Number.isFinite(minor)) {
      return [violation(this, intentKey(ctx), `the API server reports version "${git}", which is not a Kubernetes 1.x version`, 'check the server with `kubectl version`', { severity: 'warning' })];
    }
    const tier = ctx.intent.spec.cluster?.tier ?? 'Standard';
    const out = [];
    for (const r of intentRevisions(ctx)) {
      if (!r.entry) continue;
      const range = rangeOf(r.entry, tier);
      if (minor >= kubeMinor(range.min) && minor <= kubeMinor(range.max)) continue;
      const fits = supporting(ctx, minor, tier);
      const pick = fits.length ? `pick a revision that supports 1.${minor} (newest: ${fits.slice(-3).reverse().join(', ')})` : `no catalog revision supports 1.${minor}`;
      const fix = minor < kubeMinor(range.min) ? `upgrade the cluster to Kubernetes ${range.min} or later (\`az aks upgrade\`), or ${pick}` : pick;
      out.push(violation(this, intentKey(ctx), `${r.name} supports Kubernetes ${range.min}–${range.max} (${tier} tier) but the cluster runs ${git}`, fix, { where: intentWhere(ctx, ['spec', 'istio', 'revisions', r.index]) }));
    }
    return out;
  },
};
