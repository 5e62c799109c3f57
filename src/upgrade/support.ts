/**
 * Support and compatibility of one revision at a date, for one Kubernetes minor and AKS tier.
 * Pure: the catalog and the clock are inputs, so every answer can be reproduced with `--now`.
 */
import { keptByTwoNewest, kubeMinor, revisionMinor, type Catalog, type KubeRange, type RevisionEntry } from '../catalog/catalog.js';
import { catalogHorizon, horizonReason, supportUnvouched } from '../catalog/horizon.js';

/** AKS support tier of the cluster (spec.cluster.tier). */
export type Tier = 'Standard' | 'LTS';

/** What the planner knows about one revision. */
export interface RevisionStatus {
  revision: string;
  minor: number;
  supported: boolean;
  /**
   * False when {@link supported} rests on knowledge the catalog cannot vouch for on the date (an
   * expected end of life, or "one of the two newest", past the catalog's horizon: catalog/horizon.ts).
   */
  vouched: boolean;
  /** Why it is (or is not) supported, in words (and, when not vouched, why not). */
  support: string;
  compatible: boolean;
  /** The Kubernetes range of the cluster's tier, or null when the tier has none. */
  kubernetes: KubeRange | null;
  /** Why it is (or is not) compatible with the cluster, in words. */
  compatibility: string;
}

/** The cluster a plan is made for. */
export interface ClusterTarget {
  version: string;
  minor: number;
  tier: Tier;
}

/** The status of a catalog entry on `now` (YYYY-MM-DD) for the cluster. */
export function revisionStatus(catalog: Catalog, entry: RevisionEntry, cluster: ClusterTarget, now: string): RevisionStatus {
  const support = supportOf(catalog, entry, now);
  const range = cluster.tier === 'LTS' ? (entry.kubernetesLts ?? null) : entry.kubernetes;
  return { revision: entry.name, minor: revisionMinor(entry.name), ...support, ...compatibilityOf(range, cluster) };
}

function supportOf(catalog: Catalog, entry: RevisionEntry, now: string): { supported: boolean; vouched: boolean; support: string } {
  const answer = catalogAnswer(catalog, entry, now);
  const horizon = catalogHorizon(catalog);
  if (!answer.supported || !horizon || !supportUnvouched(horizon, entry, now)) return { ...answer, vouched: true };
  return { supported: true, vouched: false, support: `${answer.support}; unverified: ${horizonReason(horizon, entry)}` };
}

/** The catalog's own answer, as if it knew every revision released on `now`. */
function catalogAnswer(catalog: Catalog, entry: RevisionEntry, now: string): { supported: boolean; support: string } {
  const eol = `${entry.endOfLife}${entry.endOfLifeEstimated ? ' (estimated)' : ''}`;
  if (now < entry.released) return { supported: false, support: `not released by AKS until ${entry.released}` };
  if (now <= entry.endOfLife) return { supported: true, support: `supported until ${eol}` };
  if (keptByTwoNewest(catalog, entry, now)) {
    return { supported: true, support: `its estimated end of life ${entry.endOfLife} has passed, but the support policy keeps the two newest revisions supported` };
  }
  return { supported: false, support: `end of life since ${eol}` };
}


function compatibilityOf(range: KubeRange | null, cluster: ClusterTarget): Pick<RevisionStatus, 'compatible' | 'kubernetes' | 'compatibility'> {
  if (!range) {
    return { compatible: false, kubernetes: null, compatibility: `has no ${cluster.tier} compatibility range (the support policy lists LTS ranges from asm-1-25 on)` };
  }
  const span = `${range.min}–${range.max}`;
  const compatible = cluster.minor >= kubeMinor(range.min) && cluster.minor <= kubeMinor(range.max);
  const compatibility = compatible
    ? `compatible with Kubernetes ${span} (${cluster.tier} tier)`
    : `not compatible with Kubernetes ${cluster.version}: the ${cluster.tier} tier range is ${span}`;
  return { compatible, kubernetes: range, compatibility };
}
