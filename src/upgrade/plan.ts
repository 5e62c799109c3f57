/**
 * `upgrade plan`: which revisions a mesh may move to, and why the others are not offered.
 * Pure: intent (defaulted), catalog, Kubernetes version and clock in; a plan out. The rules are
 * the add-on's (docs/design.md, "Upgrades"): from a supported n, go to n+1 or skip to n+2 when the
 * target is supported and compatible with the cluster; when n and n+1 are both unsupported, only
 * the nearest supported revision is offered; when that one does not fit the cluster, upgrade the
 * cluster first. Downgrades and a third revision are never offered.
 */
import { kubeMinor, loadCatalog, newestRevision, revisionMinor, type Catalog } from '../catalog/catalog.js';
import { catalogHorizon, pastHorizon, REFRESH_CATALOG, vouchedUntilFor, type CatalogHorizon } from '../catalog/horizon.js';
import type { ServiceMesh } from '../intent/types.js';
import { revisionStatus, type ClusterTarget, type RevisionStatus, type Tier } from './support.js';

/** How a target relates to the installed revision n. */
export type Step = 'n+1' | 'n+2' | 'nearest-supported';

/** A revision the mesh may move to. */
export interface Target {
  revision: string;
  step: Step;
  status: RevisionStatus;
}

/** A catalog revision that is not offered, with every reason. */
export interface NotOffered {
  revision: string;
  reasons: string[];
}

/** Where the mesh stands: what the plan can offer. */
export type PlanState = 'upgradable' | 'canary' | 'latest' | 'blocked' | 'disabled' | 'invalid';

/** How far the catalog behind the plan can vouch (catalog/horizon.ts), and whether the plan's date is beyond it. */
export interface PlanCatalog {
  /** The date the catalog's knowledge of AKS reaches. */
  asOf: string;
  /** Where that date comes from (the oldest source snapshot). */
  basis: string;
  /** When the next minor after the catalog's newest was expected. */
  nextExpected: string;
  /** The last day the catalog vouches for support that needs it to know every newer revision. */
  vouchedUntil: string;
  /** True when the plan's date is after {@link vouchedUntil}: answers marked unverified may be out of date. */
  stale: boolean;
}

/** The plan for one mesh. */
export interface UpgradePlan {
  mesh: string;
  kubernetes: string;
  tier: Tier;
  now: string;
  /** The catalog's horizon; null when the catalog records no dated revision. */
  catalog: PlanCatalog | null;
  state: PlanState;
  installed: RevisionStatus[];
  targets: Target[];
  notOffered: NotOffered[];
  /** What to do next, in words with the commands to run. */
  next: string[];
}

/** Inputs of {@link planUpgrade}. */
export interface PlanRequest {
  intent: ServiceMesh;
  catalog: Catalog;
  kubernetes: { version: string; minor: number };
  /** The clock, YYYY-MM-DD. */
  now: string;
}

/**
 * Builds the plan. Past the catalog's horizon the plan says so: `catalog.stale`, a `next` step to
 * refresh the catalog, and "the newest revision" is no longer claimed to be the newest AKS has.
 */
export function planUpgrade(req: PlanRequest): UpgradePlan {
  const plan = buildPlan(req);
  const horizon = catalogHorizon(req.catalog);
  if (!horizon || !pastHorizon(horizon, req.now)) return plan;
  const latest = plan.state === 'latest' ? [`${plan.installed[0]?.revision ?? 'the installed revision'} is the newest revision in the catalog, but the catalog knows AKS only up to ${horizon.asOf} and a newer minor was due by ${horizon.nextExpected}: AKS has likely released newer ones`] : plan.next;
  return { ...plan, next: [...latest, staleStep(horizon, hasUnverified(plan))] };
}

/** True when the plan shows a revision whose support is marked unverified (RevisionStatus.vouched false). */
export function hasUnverified(plan: Pick<UpgradePlan, 'installed' | 'targets'>): boolean {
  return [...plan.installed, ...plan.targets.map((t) => t.status)].some((s) => !s.vouched);
}

/**
 * The last `next` step past the horizon. It points at "unverified" support only when the plan
 * shows some: between the horizon and the newest revision's own last vouched day (catalog/horizon.ts
 * vouchedUntilFor) a mesh on that revision has none, and what may be out of date is only the list
 * of revisions to move to.
 */
function staleStep(h: CatalogHorizon, unverified: boolean): string {
  const check = unverified ? 'check support marked "unverified" above before relying on it' : 'AKS may offer newer revisions than the ones listed here';
  return `the revision catalog knows AKS only up to ${h.asOf} and vouches for support until ${h.vouchedUntil} (for ${h.newest}, the newest it knows, until ${vouchedUntilFor(h, { name: h.newest })}): ${check}; ${REFRESH_CATALOG}`;
}

/** How far `catalog` can vouch on `now` (catalog/horizon.ts); null when it records no dated revision. */
export function planCatalog(catalog: Catalog, now: string): PlanCatalog | null {
  const h = catalogHorizon(catalog);
  return h ? { asOf: h.asOf, basis: h.basis, nextExpected: h.nextExpected, vouchedUntil: h.vouchedUntil, stale: pastHorizon(h, now) } : null;
}

function buildPlan(req: PlanRequest): UpgradePlan {
  const cluster: ClusterTarget = { ...req.kubernetes, tier: req.intent.spec.cluster?.tier ?? 'Standard' };
  const base = { mesh: req.intent.metadata.name, kubernetes: cluster.version, tier: cluster.tier, now: req.now, catalog: planCatalog(req.catalog, req.now) };
  const names = req.intent.spec.mode === 'Istio' ? [...(req.intent.spec.istio?.revisions ?? [])] : [];
  const all = [...req.catalog.revisions]
    .sort((a, b) => revisionMinor(a.name) - revisionMinor(b.name))
    .map((entry) => revisionStatus(req.catalog, entry, cluster, req.now));
  const installed = names.map((name) => all.find((s) => s.revision === name)).filter((s): s is RevisionStatus => s !== undefined);
  const early = earlyState(names, installed.length);
  if (early) {
    const notOffered = all.filter((s) => !names.includes(s.revision)).map((s) => ({ revision: s.revision, reasons: [early.reason] }));
    return { ...base, state: early.state, installed, targets: [], notOffered, next: early.next };
  }
  const current = installed[0] as RevisionStatus;
  return { ...base, installed, ...decide(all, current, windowFor(all, current), cluster) };
}

interface Early {
  state: PlanState;
  reason: string;
  next: string[];
}

function earlyState(names: string[], known: number): Early | undefined {
  if (names.length === 0) {
    return { state: 'disabled', reason: 'the mesh is disabled', next: [`set spec.mode: Istio and spec.istio.revisions (e.g. [${newestRevision(loadCatalog())}]) to install a revision`] };
  }
  if (known < names.length) {
    return { state: 'invalid', reason: `spec.istio.revisions (${names.join(', ')}) names a revision the catalog does not know`, next: ['fix spec.istio.revisions: use a revision from catalog/revisions.yaml'] };
  }
  if (names.length > 2) {
    return { state: 'invalid', reason: `spec.istio.revisions holds ${names.length} revisions; the add-on allows two, during a canary`, next: ['remove revisions until one (or a canary pair) remains'] };
  }
  if (names.length === 2) {
    const [low, high] = [...names].sort((a, b) => revisionMinor(a) - revisionMinor(b));
    return {
      state: 'canary',
      reason: `a canary upgrade (${low} → ${high}) is in progress: complete or roll it back first`,
      next: [
        `move namespaces (istio.io/rev) and spec.tags to ${high}, restart workloads, check them, then run \`meshplane upgrade complete\` (keeps ${high}, removes ${low})`,
        `or move them back to ${low}, restart workloads, then run \`meshplane upgrade rollback\` (keeps ${low}, removes ${high})`,
      ],
    };
  }
  return undefined;
}

/** The revisions the add-on's rules consider, before support and compatibility are checked. */
interface Window {
  steps: Map<string, Step>;
  /** Why revisions above the window are left out. */
  beyond: string;
}

function windowFor(all: RevisionStatus[], current: RevisionStatus): Window {
  const n = current.minor;
  const higher = all.filter((s) => s.minor > n);
  const next = higher.find((s) => s.minor === n + 1);
  if (!current.supported && !next?.supported) {
    const nearest = higher.find((s) => s.supported);
    const steps = new Map<string, Step>(nearest ? [[nearest.revision, 'nearest-supported']] : []);
    const beyond = nearest
      ? `beyond ${nearest.revision}: while ${current.revision} and its next minor are both unsupported, only the nearest supported revision is offered`
      : 'no supported revision above the installed one';
    return { steps, beyond };
  }
  const steps = new Map<string, Step>();
  for (const s of higher) if (s.minor - n <= 2) steps.set(s.revision, s.minor === n + 1 ? 'n+1' : 'n+2');
  return { steps, beyond: `more than two minors above ${current.revision}: upgrade through an intermediate revision first` };
}

function decide(all: RevisionStatus[], current: RevisionStatus, window: Window, cluster: ClusterTarget): Pick<UpgradePlan, 'state' | 'targets' | 'notOffered' | 'next'> {
  const targets: Target[] = [];
  const notOffered: NotOffered[] = [];
  for (const s of all) {
    if (s.revision === current.revision) continue;
    const reasons = reasonsAgainst(current, s, window);
    const step = window.steps.get(s.revision);
    if (reasons.length === 0 && step) targets.push({ revision: s.revision, step, status: s });
    else notOffered.push({ revision: s.revision, reasons });
  }
  const inWindow = all.filter((s) => window.steps.has(s.revision));
  return { ...stateAndNext(current, targets, all, inWindow, cluster), targets, notOffered };
}

function reasonsAgainst(current: RevisionStatus, s: RevisionStatus, window: Window): string[] {
  if (s.minor < current.minor) return [`lower than the installed ${current.revision}: downgrades are not allowed (only a canary rollback goes back)`];
  const top = Math.max(...[...window.steps.keys()].map(revisionMinor));
  if (!window.steps.has(s.revision) && !(s.minor < top)) return [window.beyond];
  const reasons: string[] = [];
  if (!s.supported) reasons.push(`not supported: ${s.support}`);
  if (!s.compatible) reasons.push(s.compatibility);
  return reasons;
}

function stateAndNext(current: RevisionStatus, targets: Target[], all: RevisionStatus[], inWindow: RevisionStatus[], cluster: ClusterTarget): Pick<UpgradePlan, 'state' | 'next'> {
  if (targets.length > 0) {
    const list = targets.map((t) => t.revision).join(' or ');
    return { state: 'upgradable', next: [`start the canary with \`meshplane upgrade start <revision>\` (${list}), then move namespaces and tags to it`] };
  }
  if (!all.some((s) => s.minor > current.minor)) {
    return { state: 'latest', next: [`${current.revision} is the newest revision in the catalog: nothing to upgrade to`] };
  }
  const tooOld = inWindow.find((s) => s.supported && s.kubernetes && cluster.minor < kubeMinor(s.kubernetes.min));
  if (tooOld?.kubernetes) {
    const { min, max } = tooOld.kubernetes;
    return { state: 'blocked', next: [`upgrade the cluster to Kubernetes ${min} first (${tooOld.revision} needs ${min}–${max}), set spec.cluster.kubernetesVersion to "${min}", then run \`meshplane upgrade plan\` again`] };
  }
  return { state: 'blocked', next: ['no revision can be offered for this cluster on this date (reasons below); `az aks mesh get-upgrades` shows what AKS itself offers'] };
}
