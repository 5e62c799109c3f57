/**
 * One cluster of the fleet, assessed: the check flow of `meshplane check <folder>` (load →
 * intent → defaults → resolve → guardrails), the upgrade planner and the catalog's support
 * windows, from ONE render of the cluster's source. By default the templates are not evaluated:
 * the guardrails then see the intent and the committed manifests, which is where a cluster's
 * problems come from (the rendered add-on objects are Meshplane's own and are checked by every
 * `generate`); `--render` evaluates them too, for the exact verdict of `meshplane check`.
 */
import { findRevision, revisionMinor, type Catalog } from '../catalog/catalog.js';
import { catalogHorizon, vouchedUntilFor } from '../catalog/horizon.js';
import { check, type CheckReport } from '../guardrails/check.js';
import { MeshplaneError, formatPosition } from '../core/errors.js';
import { render, type RenderResult } from '../pipeline/render.js';
import type { TemplateEngine } from '../engine/template-engine.js';
import { planUpgrade, type UpgradePlan } from '../upgrade/plan.js';
import { revisionStatus, type ClusterTarget } from '../upgrade/support.js';
import type { ClusterSource } from './discover.js';
import { clusterStatus, type FleetCluster, type FleetGuardrails, type FleetUpgrade, type RevisionWindow, type WindowStatus } from './report.js';

/** What every cluster is assessed with. */
export interface AssessOptions {
  /** The clock (`--now`). */
  now: Date;
  catalog: Catalog;
  /** The template engine; undefined = do not evaluate templates (the guardrails see intent and source only). */
  engine?: TemplateEngine;
}

/** An engine that renders nothing: the check then covers the intent and the committed manifests. */
const SOURCE_ONLY: TemplateEngine = { render: async () => [] };

/**
 * Days before an end of life from which a supported revision is shown as ending soon. Why 60:
 * a canary upgrade through Git (start, move namespaces in waves, complete) takes weeks, so two
 * months is when it should be planned.
 */
export const ENDING_SOON_DAYS = 60;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Assesses one cluster; an input error becomes the cluster's `error` (the other clusters still run). */
export async function assessCluster(source: ClusterSource, opts: AssessOptions): Promise<FleetCluster> {
  const base = { cluster: source.cluster, folder: source.folder === '' ? '.' : source.folder };
  try {
    if (source.symlinks.length > 0) {
      throw new MeshplaneError('source-unreadable', `${source.symlinks[0]} is a symbolic link`, [], 'replace the link with the file itself: `meshplane check` and the Argo CD plugin refuse links in an app source');
    }
    const result = await render({ files: source.files, env: { kubeVersionFlag: source.kubernetesVersionFile?.version, now: opts.now }, engine: opts.engine ?? SOURCE_ONLY });
    const report = check(result, { now: opts.now });
    const plan = planUpgrade({ intent: result.intent, catalog: opts.catalog, kubernetes: result.input.kubernetes, now: report.now });
    const revisions = windows(result, plan, opts.catalog, report.now);
    const guardrails = verdict(report);
    const upgrade = upgradeOf(plan, opts.catalog, report.now);
    return {
      ...base,
      status: clusterStatus(revisions, guardrails, upgrade),
      mesh: result.intent.metadata.name,
      kubernetes: { version: result.input.kubernetes.version, from: kubernetesFrom(result, source) },
      revisions,
      danglingTags: Object.entries(result.intent.spec.tags ?? {}).filter(([, rev]) => !revisions.some((r) => r.revision === rev)).map(([tag, revision]) => ({ tag, revision })).sort((a, b) => cmp(a.tag, b.tag)),
      upgrade,
      guardrails,
      error: null,
    };
  } catch (err) {
    if (!(err instanceof MeshplaneError)) throw err;
    return { ...base, status: 'error', mesh: null, kubernetes: null, revisions: [], danglingTags: [], upgrade: null, guardrails: null, error: errorOf(err, source) };
  }
}

/** Where the version came from: the file is read as `--kube-version`, so it wins over mesh.yaml (the one precedence rule, docs/cli.md). */
function kubernetesFrom(result: RenderResult, source: ClusterSource): string {
  if (source.kubernetesVersionFile) return source.kubernetesVersionFile.path;
  return result.intent.spec.cluster?.kubernetesVersion ? 'spec.cluster.kubernetesVersion' : 'unknown';
}

/** The installed revisions, ascending, each with its support window and the tags pointing at it. */
function windows(result: RenderResult, plan: UpgradePlan, catalog: Catalog, now: string): RevisionWindow[] {
  const names = result.intent.spec.mode === 'Istio' ? [...(result.intent.spec.istio?.revisions ?? [])] : [];
  const tags = Object.entries(result.intent.spec.tags ?? {});
  const cluster: ClusterTarget = { version: plan.kubernetes, minor: result.input.kubernetes.minor, tier: plan.tier };
  const horizon = catalogHorizon(catalog);
  return names
    .sort((a, b) => revisionMinor(a) - revisionMinor(b) || cmp(a, b))
    .map((name) => {
      const entry = findRevision(catalog, name);
      const own = tags.filter(([, rev]) => rev === name).map(([tag]) => tag).sort(cmp);
      if (!entry) return { revision: name, istio: null, released: null, endOfLife: null, endOfLifeEstimated: false, status: 'unknown', support: 'not in the catalog (catalog/revisions.yaml)', vouched: true, vouchedUntil: null, tags: own };
      const s = revisionStatus(catalog, entry, cluster, now);
      // Only an expected end of life (or "one of the two newest") depends on the catalog knowing newer revisions (horizon.ts supportUnvouched).
      const vouchedUntil = horizon && entry.endOfLifeEstimated === true ? vouchedUntilFor(horizon, entry) : null;
      return { revision: name, istio: entry.istio, released: entry.released, endOfLife: entry.endOfLife, endOfLifeEstimated: entry.endOfLifeEstimated === true, status: windowStatus(s.supported, entry.released, entry.endOfLife, now), support: s.support, vouched: s.vouched, vouchedUntil, tags: own };
    });
}

/** The status of a catalog revision from the planner's support answer and its dates. */
export function windowStatus(supported: boolean, released: string, endOfLife: string, now: string): WindowStatus {
  if (now < released) return 'not-released';
  if (!supported) return 'end-of-life';
  const left = (Date.parse(`${endOfLife}T00:00:00Z`) - Date.parse(`${now}T00:00:00Z`)) / DAY_MS;
  return left <= ENDING_SOON_DAYS ? 'ending-soon' : 'supported';
}

function verdict(report: CheckReport): FleetGuardrails {
  const counts = new Map<string, { severity: 'error' | 'warning'; count: number }>();
  for (const v of report.violations) {
    const c = counts.get(v.ruleId) ?? { severity: v.severity, count: 0 };
    counts.set(v.ruleId, { severity: c.severity === 'error' || v.severity === 'error' ? 'error' : 'warning', count: c.count + 1 });
  }
  const { errors, warnings, waived } = report.summary;
  const failed = errors > 0 || report.summary.outcomes.error > 0;
  return {
    verdict: failed ? 'fail' : warnings > 0 ? 'warn' : 'pass',
    errors,
    warnings,
    waived,
    findings: [...counts.entries()].sort((a, b) => cmp(a[0], b[0])).map(([ruleId, c]) => ({ ruleId, ...c })),
  };
}

function upgradeOf(plan: UpgradePlan, catalog: Catalog, now: string): FleetUpgrade {
  const top = Math.max(...plan.installed.map((s) => s.minor));
  const newer = catalog.revisions.filter((r) => r.released <= now && revisionMinor(r.name) > top).sort((a, b) => revisionMinor(b.name) - revisionMinor(a.name));
  const available = plan.installed.length > 0 ? (newer[0]?.name ?? null) : null;
  const allowed = plan.targets.map((t) => ({ revision: t.revision, step: t.step }));
  const blockedBecause = available && !allowed.some((a) => a.revision === available) ? (plan.notOffered.find((n) => n.revision === available)?.reasons ?? []) : [];
  return { state: plan.state, available, allowed, blockedBecause, next: plan.next[0] ?? '' };
}

/** The error as one line with its first position made relative to the fleet root. */
function errorOf(err: MeshplaneError, source: ClusterSource): FleetCluster['error'] {
  const prefix = source.folder === '' ? '' : `${source.folder}/`;
  const detail = err.details[0];
  const where = detail?.where ? `${prefix}${formatPosition(detail.where)}: ` : '';
  const more = detail ? ` (${where}${detail.path ? `${detail.path}: ` : ''}${detail.message}${err.details.length > 1 ? `; ${err.details.length - 1} more` : ''})` : '';
  return { code: err.code, message: `${err.message}${more}`, hint: err.hint ?? detail?.hint ?? 'run `meshplane check` on the folder for the details' };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
