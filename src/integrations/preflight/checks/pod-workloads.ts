/**
 * Which workload a `kubectl rollout restart` has to act on to replace a pod, worked out from the
 * pod alone (its controller ownerReference and its labels), so naming it costs no API request and
 * no permission beyond the pod lists preflight already makes.
 *
 * Upstream facts this follows:
 * - `kubectl rollout restart` restarts Deployments, DaemonSets and StatefulSets only (the apps
 *   group, and the old extensions group for the first two) and refuses every other kind
 *   ("restarting is not supported"): kubernetes/kubectl pkg/polymorphichelpers/objectrestarter.go
 *   at v0.36.3. It takes several `kind/name` arguments in one call and keeps going past one it
 *   cannot find (pkg/cmd/rollout/rollout_restart.go RunRestart: ResourceTypeOrNameArgs,
 *   ContinueOnError, same tag).
 * - A Deployment's pods are owned by a ReplicaSet, not by the Deployment. The Deployment controller
 *   names each ReplicaSet it creates `<deployment name>-<pod template hash>` and writes the same hash
 *   as the `pod-template-hash` label on the ReplicaSet's pod template, so every pod it creates
 *   carries it: kubernetes/kubernetes pkg/controller/deployment/sync.go getNewReplicaSet (the name is
 *   the Deployment's name, a dash and podTemplateSpecHash, computed from the template and
 *   status.collisionCount; the template labels get apps.DefaultDeploymentUniqueLabelKey; the rule
 *   reads the same in every version of the file seen, from the extensions/v1beta1 controller to the
 *   apps/v1 one). The label key is kubernetes/api apps/v1/types.go DefaultDeploymentUniqueLabelKey at
 *   v0.36.3; kubernetes.io "Deployments" (concepts/workloads/controllers) publishes the same naming
 *   and label. The Deployment controller reuses an existing ReplicaSet whose template equals its
 *   own (a rollback), which it created under the same rule, so the name still fits. A ReplicaSet whose name does not end in
 *   `-<its pods' pod-template-hash>` was not created by a Deployment under this rule (made by hand,
 *   adopted, or managed by another controller such as an Argo Rollout, whose ReplicaSets carry
 *   `rollouts-pod-template-hash` instead): no Deployment is guessed for it.
 * - A pod names its managing controller with the ownerReference marked `controller: true`
 *   (kubernetes/apimachinery pkg/apis/meta/v1/types.go at v0.36.3); a pod with none has no
 *   controller to restart it.
 */
import { DNS1123_SUBDOMAIN, nameProblem } from '../../../pipeline/intent-names.js';
import type { LivePod } from '../snapshot.js';

/** The pod label the Deployment controller writes with the pod template hash (kubernetes/api apps/v1 DefaultDeploymentUniqueLabelKey, v0.36.3). */
export const POD_TEMPLATE_HASH = 'pod-template-hash';

/**
 * Most workloads a finding names in one list (the `rollout restart` command, and again the
 * workloads it cannot restart). Why 10: a namespace's affected workloads usually fit, and ten
 * `kind/name` arguments (about 300 characters) keep the command one line a user can paste from a
 * CI log; past that the finding says how many more there are and that preflight names them on
 * its next run, once the named ones have restarted.
 */
export const SHOWN_WORKLOADS = 10;

/** Why a pod's workload is not one `kubectl rollout restart` acts on. */
export type NotRestartable = 'job' | 'replicaset' | 'unowned' | 'other' | 'unnamed';

/** The workload that replaces a pod, as kubectl names it. */
export interface PodWorkload {
  /** kubectl's `kind/name` (`deployment/cart`, `job/report-1`, `pod/debug` for a pod no controller owns). */
  ref: string;
  /** Absent when `kubectl rollout restart <ref>` restarts the pod; otherwise why it does not. */
  notRestartable?: NotRestartable;
}

/** The API group of an ownerReference's apiVersion (`apps/v1` → `apps`, `v1` → ``). */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * Groups whose Deployment/DaemonSet/StatefulSet `kubectl rollout restart` restarts (objectrestarter.go
 * at kubectl v0.36.3: apps, and extensions for Deployment and DaemonSet). Why the group matters: a
 * controller of another group may reuse the kind name (OpenKruise's Advanced StatefulSet is
 * `StatefulSet` in apps.kruise.io), and `statefulset/<name>` would then address the wrong object.
 */
const RESTARTABLE: Record<string, string[]> = { Deployment: ['apps', 'extensions'], DaemonSet: ['apps', 'extensions'], StatefulSet: ['apps'] };

/** The Deployment that created a ReplicaSet under the `<deployment>-<pod-template-hash>` rule, if the names fit it. */
export function deploymentOfReplicaSet(replicaSet: string, podTemplateHash: string | undefined): string | undefined {
  if (!podTemplateHash) return undefined;
  const suffix = `-${podTemplateHash}`;
  return replicaSet.length > suffix.length && replicaSet.endsWith(suffix) ? replicaSet.slice(0, -suffix.length) : undefined;
}

/**
 * A kind as an API type names it: a letter, then letters and digits. Why checked: the API server
 * checks an ownerReference only for a non-empty kind and name (kubernetes/apimachinery
 * pkg/api/validation/objectmeta.go validateOwnerReference at v0.36.3), so whoever may create a pod
 * may write any text there, and a finding must not put it in a command a user pastes.
 */
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;

/**
 * True when a name could be the name of a real object of these kinds: a DNS-1123 subdomain, as
 * every workload kind requires of its own name (apps validation.go: NameIsDNSSubdomain, or the
 * stricter NameIsDNSLabel for StatefulSets in newer releases; kubernetes/apimachinery
 * pkg/util/validation/validation.go IsDNS1123Subdomain at v0.36.3; a custom resource's name is a
 * DNS-1123 subdomain too). An ownerReference's name is not checked by the API server (see
 * {@link KIND}), so one that is not is hostile or broken and is never put in a command.
 */
function nameable(name: string): boolean {
  return nameProblem(name, DNS1123_SUBDOMAIN) === undefined;
}

/** The workload that owns a pod, as far as the pod's own metadata tells. */
export function workloadOf(pod: LivePod): PodWorkload {
  const c = pod.controller;
  if (!c) return { ref: `pod/${pod.name}`, notRestartable: 'unowned' };
  const group = groupOf(c.apiVersion);
  if (!KIND.test(c.kind) || !nameable(c.name) || (group !== '' && !nameable(group))) return { ref: `pod/${pod.name}`, notRestartable: 'unnamed' };
  if (RESTARTABLE[c.kind]?.includes(group)) return { ref: `${c.kind.toLowerCase()}/${c.name}` };
  if (c.kind === 'ReplicaSet' && group === 'apps') {
    const deployment = deploymentOfReplicaSet(c.name, pod.labels[POD_TEMPLATE_HASH]);
    return deployment && nameable(deployment) ? { ref: `deployment/${deployment}` } : { ref: `replicaset/${c.name}`, notRestartable: 'replicaset' };
  }
  if (c.kind === 'Job' && group === 'batch') return { ref: `job/${c.name}`, notRestartable: 'job' };
  // kubectl's `kind.group/name` form addresses a kind of any group unambiguously.
  return { ref: `${c.kind.toLowerCase()}${group ? `.${group}` : ''}/${c.name}`, notRestartable: 'other' };
}

/** The workloads of some pods: once each, sorted by `kind/name`. */
export function workloadsOf(pods: LivePod[]): PodWorkload[] {
  const byRef = new Map<string, PodWorkload>();
  for (const p of pods) {
    const w = workloadOf(p);
    if (!byRef.has(w.ref)) byRef.set(w.ref, w);
  }
  return [...byRef.values()].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

/** At most {@link SHOWN_WORKLOADS} refs, and how many were left out. */
function bounded(ws: PodWorkload[]): { refs: string[]; more: number } {
  return { refs: ws.slice(0, SHOWN_WORKLOADS).map((w) => w.ref), more: Math.max(0, ws.length - SHOWN_WORKLOADS) };
}

/** `shown` joined with commas, then ` and N more` when `more` were left out. */
export function withMore(shown: string[], more: number): string {
  return more ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** The workloads of some pods as a list, at most {@link SHOWN_WORKLOADS} named. */
export function workloadList(pods: LivePod[]): string {
  const { refs, more } = bounded(workloadsOf(pods));
  return withMore(refs, more);
}

function joinAnd(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

/** What to do for each kind of workload `rollout restart` leaves alone. */
const INSTEAD: Record<NotRestartable, (many: boolean) => string> = {
  job: (many) => `${many ? 'are Jobs' : 'is a Job'}, which \`rollout restart\` does not restart: ${many ? 'their' : 'its'} running pods keep the sidecar they have until they finish; re-run ${many ? 'them' : 'it'} (a CronJob's next run starts new pods)`,
  replicaset: (many) => `${many ? 'are ReplicaSets' : 'is a ReplicaSet'} whose name is not <deployment>-<pod-template-hash>, so no Deployment is named: \`rollout restart\` does not restart a ReplicaSet; delete ${many ? 'their' : 'its'} pods and the ReplicaSet recreates them (or restart ${many ? 'them' : 'it'} through whatever manages ${many ? 'them' : 'it'})`,
  unowned: (many) => `${many ? 'have' : 'has'} no controller, so nothing recreates ${many ? 'them' : 'it'}: delete and recreate ${many ? 'them' : 'it'} from ${many ? 'their manifests' : 'its manifest'}`,
  other: (many) => `${many ? 'are' : 'is'} not a Deployment, StatefulSet or DaemonSet, which \`kubectl rollout restart\` refuses: restart ${many ? 'their' : 'its'} pods through the controller that manages ${many ? 'them' : 'it'}`,
  unnamed: (many) => `${many ? 'name a controller' : 'names a controller'} in metadata.ownerReferences that no real object can be (its kind or name is not valid), so preflight names no workload and quotes nothing of it: replace ${many ? 'them' : 'it'} through whatever created ${many ? 'them' : 'it'}`,
};

/**
 * The restart fix for some pods of one namespace: one `kubectl rollout restart` naming their
 * Deployments, StatefulSets and DaemonSets, then what to do for the workloads that command does
 * not restart. Each list names at most {@link SHOWN_WORKLOADS} and says how many more.
 */
export function restartText(namespace: string, pods: LivePod[]): string {
  const all = workloadsOf(pods);
  const parts: string[] = [];
  const restartable = bounded(all.filter((w) => !w.notRestartable));
  if (restartable.refs.length) {
    parts.push(`\`kubectl rollout restart -n ${namespace} ${restartable.refs.join(' ')}\`${restartable.more ? ` (and ${restartable.more} more workload${restartable.more === 1 ? '' : 's'} of these pods: preflight names them once these have restarted)` : ''}`);
  }
  for (const why of ['job', 'replicaset', 'other', 'unowned', 'unnamed'] as const) {
    const group = bounded(all.filter((w) => w.notRestartable === why));
    if (!group.refs.length) continue;
    const many = group.refs.length + group.more > 1;
    const names = group.more ? withMore(group.refs, group.more) : joinAnd(group.refs);
    parts.push(`${names} ${INSTEAD[why](many)}`);
  }
  return parts.join('; ');
}
