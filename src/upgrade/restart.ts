/**
 * Which workloads of a wave need a restart, and the patch that restarts them (pure).
 *
 * A workload needs a restart when one of the pods its selector picks runs another revision than
 * the wave's target, or no sidecar (the same verdict as `upgrade status`, podRollout in
 * rollout.ts). The restart is what `kubectl rollout restart` does (kubernetes/kubectl v0.36.3,
 * pkg/polymorphichelpers/objectrestarter.go, defaultObjectRestarter): set the pod template
 * annotation `kubectl.kubernetes.io/restartedAt` to the current time in RFC 3339, sent as a
 * strategic merge patch (pkg/cmd/rollout/rollout_restart.go, `types.StrategicMergePatchType`).
 * The controller then rolls the pods like any template change.
 */
import { podRollout, type LivePodInfo } from './rollout.js';

/** The kinds `kubectl rollout restart` restarts in apps/v1 (objectrestarter.go's cases). */
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

/** A label selector as apps/v1 workloads carry it (metav1.LabelSelector). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** A workload as the restart reads it. */
export interface WorkloadInfo {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  selector: LabelSelector;
}

/** One workload's verdict. */
export interface WorkloadRestart {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  /** Pods of the workload that run another revision or no sidecar, sorted. */
  stalePods: string[];
}

/** The annotation `kubectl rollout restart` sets on the pod template. */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/**
 * True when the selector picks the labels (metav1.LabelSelectorAsSelector semantics: every
 * matchLabels pair and every expression must hold; an empty selector picks nothing here, as a
 * workload with an empty selector is rejected by apps/v1 validation).
 */
export function selectorMatches(sel: LabelSelector, labels: Record<string, string>): boolean {
  const pairs = Object.entries(sel.matchLabels ?? {});
  const exprs = sel.matchExpressions ?? [];
  if (pairs.length === 0 && exprs.length === 0) return false;
  if (!pairs.every(([k, v]) => labels[k] === v)) return false;
  return exprs.every((e) => {
    const has = Object.hasOwn(labels, e.key);
    const inValues = has && (e.values ?? []).includes(labels[e.key] as string);
    if (e.operator === 'In') return inValues;
    if (e.operator === 'NotIn') return !inValues;
    if (e.operator === 'Exists') return has;
    if (e.operator === 'DoesNotExist') return !has;
    return false;
  });
}

/**
 * The workloads whose pods need a restart to run `target` (per namespace), in namespace, kind,
 * name order. Finished pods (Succeeded/Failed), pods opted out of injection and hostNetwork pods
 * (which no injector injects, rollout.ts) are ignored, as
 * `upgrade status` ignores them; a workload whose pods all run `target` is skipped (idempotent).
 */
export function workloadsToRestart(workloads: readonly WorkloadInfo[], pods: readonly LivePodInfo[], target: string): WorkloadRestart[] {
  const live = pods.filter((p) => p.phase !== 'Succeeded' && p.phase !== 'Failed');
  const out: WorkloadRestart[] = [];
  for (const w of workloads) {
    const stale = live
      .filter((p) => p.namespace === w.namespace && selectorMatches(w.selector, p.labels))
      .filter((p) => {
        const state = podRollout(p, target).state;
        return state === 'needs-restart' || state === 'not-injected';
      })
      .map((p) => p.name)
      .sort();
    if (stale.length > 0) out.push({ kind: w.kind, namespace: w.namespace, name: w.name, stalePods: stale });
  }
  const key = (r: WorkloadRestart): string => `${r.namespace}\u0000${r.kind}\u0000${r.name}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** `2026-12-02T15:30:00Z`: RFC 3339 at second precision, as Go's time.RFC3339 formats it (in UTC). */
export function rfc3339(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The patch body kubectl sends: only the pod template's restartedAt annotation. */
export function restartPatch(now: Date): { spec: { template: { metadata: { annotations: Record<string, string> } } } } {
  return { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: rfc3339(now) } } } } };
}

/** The fields of an apps/v1 Deployment the istiod wait reads. */
export interface DeploymentState {
  generation?: number;
  observedGeneration?: number;
  specReplicas?: number;
  replicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
  /** Reason of the Progressing condition, when there is one. */
  progressingReason?: string;
}

/** The verdict on istiod-<rev>: ready to answer the injection webhook, still coming up, or stuck. */
export interface IstiodVerdict {
  state: 'available' | 'waiting' | 'stuck';
  /** What the Deployment reports, e.g. `generation 2 observed 2, 0 updated, 0 available of 1`. */
  detail: string;
}

/**
 * Whether istiod-<rev> can answer the injection webhook, after kubectl's rollout status for a
 * Deployment (kubernetes/kubectl v0.36.3, pkg/polymorphichelpers/rollout_status.go,
 * DeploymentStatusViewer.Status): nothing counts until status.observedGeneration reached
 * metadata.generation, and a Progressing condition with reason ProgressDeadlineExceeded
 * (deploymentutil.TimedOutReason, pkg/util/deployment/deployment.go) is an error, not a wait. Where kubectl then waits for every
 * replica, this waits for one updated and one available replica: the webhook (failurePolicy
 * Fail, templates/lib/webhooks.libsonnet) needs one serving endpoint, not a finished rollout.
 */
export function istiodVerdict(d: DeploymentState): IstiodVerdict {
  const generation = d.generation ?? 0;
  const observed = d.observedGeneration ?? 0;
  const updated = d.updatedReplicas ?? 0;
  const available = d.availableReplicas ?? 0;
  const detail = `generation ${generation}, observed ${observed}; ${updated} updated, ${available} available of ${d.specReplicas ?? 1} desired`;
  if (generation > observed) return { state: 'waiting', detail };
  if (d.progressingReason === 'ProgressDeadlineExceeded') return { state: 'stuck', detail: `${detail}; it exceeded its progress deadline` };
  return { state: updated >= 1 && available >= 1 ? 'available' : 'waiting', detail };
}
