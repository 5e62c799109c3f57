/**
 * Where a wave upgrade stands in a cluster (pure): per wave and namespace, which revision and
 * proxy version each pod actually runs, which pods still need a restart, whether the moved pods
 * are ready, and whether it is safe to advance or complete.
 *
 * What a pod runs is read the way istiod writes it (istio/istio 1.30.3):
 * - pkg/kube/inject/webhook.go, getInjectionStatus: the injector records the revision that
 *   injected the pod in the annotation `sidecar.istio.io/status`, a JSON object of
 *   SidecarInjectionStatus (pkg/kube/inject/inject.go: initContainers, containers, volumes,
 *   imagePullSecrets, revision); "default" when istiod has no revision. It does this instead of
 *   labelling the pod, so that an `istio.io/rev: <tag>` label is not overwritten.
 * - manifests/charts/istio-control/istio-discovery/files/injection-template.yaml writes
 *   `istio.io/rev: <revision>` as a pod *annotation*; an `istio.io/rev` *label* on a pod comes from
 *   its workload's template (a tag or a revision), so it is reported but not trusted.
 * - pkg/kube/inject/inject.go, imageURL/updateImageTypeIfPresent: the proxy image is
 *   `<hub>/proxyv2:<tag>[-<variant>]` with variants `distroless` and `debug`; the version is the tag
 *   without the variant. The proxy is the container named `istio-proxy` (an init container when
 *   native sidecars are used).
 *
 * Whether a pod without a sidecar would get one from the wave's revision is read the way that
 * revision's injector decides it (pkg/kube/inject/inject.go, injectRequired, at 1.20.8 … 1.30.2):
 * - a pod with `spec.hostNetwork: true` is never injected, whatever its labels;
 * - `sidecar.istio.io/inject` is read from the pod's label, else from its annotation (the label
 *   wins when both are set);
 * - up to 1.26.x the value is lower-cased and only y, yes, true, on ask for injection: any other
 *   non-empty value (false, no, off, n, False, …) keeps the pod out; from 1.27.0 only the exact
 *   string "false" keeps it out, and any other value falls back to the namespace's policy.
 */
import { revisionMinor } from '../catalog/catalog.js';
import type { ServiceMesh } from '../intent/types.js';
import { waveMembers, waveProgress, type NamespaceInfo } from '../intent/waves.js';

/** A pod as the status reads it (a plain projection of the API object). */
export interface LivePodInfo {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Containers and init containers: name and image. */
  containers: Array<{ name: string; image: string }>;
  phase: string;
  ready: boolean;
  /** `Kind/name` of the controller (ownerReferences with controller: true), when any. */
  owner?: string;
  /** spec.hostNetwork: such a pod is never injected (see the module comment). */
  hostNetwork?: boolean;
}

/**
 * What a pod needs. `opted-out` and `host-network` pods have no sidecar and would get none from
 * the wave's revision if restarted, so they never block a step and are never restarted.
 */
export type PodState = 'current' | 'needs-restart' | 'not-injected' | 'opted-out' | 'host-network';

/** One pod's verdict. */
export interface PodRollout {
  name: string;
  /** The revision that injected it (sidecar.istio.io/status), when injected. */
  revision?: string;
  /** The proxy version from the istio-proxy image tag. */
  proxyVersion?: string;
  /** The pod's own istio.io/rev label (from its workload template), when set. */
  revLabel?: string;
  ready: boolean;
  state: PodState;
  owner?: string;
}

/** One namespace of a wave. */
export interface NamespaceRollout {
  name: string;
  /** False when the namespace is listed in the wave but the cluster has no such namespace. */
  exists: boolean;
  /** The live namespace's istio.io/rev label. */
  revLabel?: string;
  pods: PodRollout[];
}

/** One wave. */
export interface WaveRollout {
  index: number;
  tag: string;
  /** The revision the wave's tag points at in mesh.yaml: what its pods should run. */
  target: string | undefined;
  moved: boolean;
  namespaces: NamespaceRollout[];
  /** Pods that must be restarted to run `target` (`needs-restart` and `not-injected`). */
  needRestart: number;
  /** Pods on `target` that are not ready. */
  notReady: number;
  /** Every pod runs `target` and is ready, and every namespace carries the wave's tag. */
  done: boolean;
}

/** The gates a CI job can ask about. */
export type Gate = 'next' | 'advance' | 'complete';

/** The whole status. */
export interface RolloutReport {
  mesh: string;
  revisions: string[];
  stable?: string;
  canary?: string;
  waves: WaveRollout[];
  safeToAdvance: boolean;
  safeToComplete: boolean;
  /** Why a step is not safe yet (one line each). */
  blockers: string[];
  /** The step that comes next: advance (a wave has not moved), complete, or none (no upgrade). */
  next: 'advance' | 'complete' | 'none';
}

/** The injection status annotation, as istiod writes it (see the module comment). */
export const STATUS_ANNOTATION = 'sidecar.istio.io/status';
const REV = 'istio.io/rev';
const PROXY_CONTAINER = 'istio-proxy';
/** Image variants istio publishes (inject.go KnownImageTypes); a tag suffix, not part of the version. */
const IMAGE_VARIANTS: readonly string[] = ['distroless', 'debug'];

/** Builds the report from the intent and what the cluster holds. */
export function rolloutReport(intent: ServiceMesh, namespaces: readonly NamespaceInfo[], pods: readonly LivePodInfo[]): RolloutReport {
  const progress = waveProgress(intent);
  const waves = intent.spec.upgrade?.waves ?? [];
  const members = waveMembers(waves, namespaces);
  const live = new Map(namespaces.map((n) => [n.name, n]));
  const rollouts = progress.waves.map((w): WaveRollout => {
    const nsRollouts = (members[w.index] ?? []).map((name) => namespaceRollout(name, live.get(name), pods, w.revision));
    const all = nsRollouts.flatMap((n) => n.pods);
    const needRestart = all.filter((p) => p.state === 'needs-restart' || p.state === 'not-injected').length;
    const notReady = all.filter((p) => p.state === 'current' && !p.ready).length;
    const labelsOk = nsRollouts.every((n) => !n.exists || n.revLabel === w.tag);
    return { index: w.index, tag: w.tag, target: w.revision, moved: w.moved, namespaces: nsRollouts, needRestart, notReady, done: needRestart === 0 && notReady === 0 && labelsOk };
  });
  const blockers = blockersOf(progress.canary, rollouts);
  const inProgress = progress.canary !== undefined && rollouts.length > 0;
  const unmoved = rollouts.some((w) => !w.moved);
  const allDone = blockers.length === 0;
  return {
    mesh: intent.metadata.name,
    revisions: progress.revisions,
    ...(progress.canary ? { stable: progress.stable, canary: progress.canary } : {}),
    waves: rollouts,
    safeToAdvance: inProgress && unmoved && allDone,
    safeToComplete: inProgress && !unmoved && allDone,
    blockers,
    next: !inProgress ? 'none' : unmoved ? 'advance' : 'complete',
  };
}

/** True when the report says the asked-for step is safe. */
export function gatePasses(report: RolloutReport, gate: Gate): boolean {
  const g = gate === 'next' ? report.next : gate;
  return g === 'advance' ? report.safeToAdvance : g === 'complete' ? report.safeToComplete : false;
}

function blockersOf(canary: string | undefined, waves: WaveRollout[]): string[] {
  if (!canary) return ['no canary upgrade is in progress (spec.istio.revisions holds one revision)'];
  if (waves.length === 0) return ['spec.upgrade.waves is not set'];
  const out: string[] = [];
  for (const w of waves) {
    const name = `wave ${w.index + 1} (tag ${w.tag})`;
    if (w.needRestart > 0) out.push(`${name}: ${w.needRestart} pod${w.needRestart === 1 ? '' : 's'} still run another revision or no sidecar; restart them`);
    if (w.notReady > 0) out.push(`${name}: ${w.notReady} pod${w.notReady === 1 ? '' : 's'} on ${w.target ?? '?'} not ready`);
    for (const n of w.namespaces) {
      if (n.exists && n.revLabel !== w.tag) out.push(`${name}: namespace ${n.name} is labelled istio.io/rev=${n.revLabel ?? '(none)'}, not ${w.tag}`);
    }
  }
  return out;
}

function namespaceRollout(name: string, ns: NamespaceInfo | undefined, pods: readonly LivePodInfo[], target: string | undefined): NamespaceRollout {
  const mine = pods.filter((p) => p.namespace === name && p.phase !== 'Succeeded' && p.phase !== 'Failed');
  const rollouts = mine.map((p) => podRollout(p, target)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { name, exists: ns !== undefined, ...(ns?.labels[REV] !== undefined ? { revLabel: ns.labels[REV] } : {}), pods: rollouts };
}

/** One pod's revision, version and verdict against the wave's target revision. */
export function podRollout(p: LivePodInfo, target: string | undefined): PodRollout {
  const revision = injectedRevision(p.annotations[STATUS_ANNOTATION]);
  const proxy = p.containers.find((c) => c.name === PROXY_CONTAINER);
  const state: PodState = revision === undefined ? (injectorSkips(p, target) ?? 'not-injected') : revision === target ? 'current' : 'needs-restart';
  return {
    name: p.name,
    ...(revision !== undefined ? { revision } : {}),
    ...(proxy ? { proxyVersion: imageVersion(proxy.image) } : {}),
    ...(p.labels[REV] !== undefined ? { revLabel: p.labels[REV] } : {}),
    ready: p.ready,
    state,
    ...(p.owner ? { owner: p.owner } : {}),
  };
}

const INJECT = 'sidecar.istio.io/inject';
/** Values the injector reads as "inject" up to 1.26.x (inject.go injectRequired: the YAML 1.1 booleans for true). */
const LEGACY_TRUE: readonly string[] = ['y', 'yes', 'true', 'on'];
/** First Istio minor whose injector accepts only "true" and "false" (inject.go at 1.27.0). */
const STRICT_INJECT_SINCE = 27;

/**
 * Why the injector of `target` would leave this pod without a sidecar, or undefined when it would
 * inject it (the namespace is in a wave, so its policy is to inject). See the module comment.
 */
export function injectorSkips(p: Pick<LivePodInfo, 'labels' | 'annotations' | 'hostNetwork'>, target: string | undefined): 'host-network' | 'opted-out' | undefined {
  if (p.hostNetwork === true) return 'host-network';
  const value = Object.hasOwn(p.labels, INJECT) ? p.labels[INJECT] : p.annotations[INJECT];
  if (value === undefined || value === '') return undefined;
  const minor = target === undefined ? Number.NaN : revisionMinor(target);
  if (minor < STRICT_INJECT_SINCE) return LEGACY_TRUE.includes(value.toLowerCase()) ? undefined : 'opted-out';
  return value === 'false' ? 'opted-out' : undefined;
}

/** The `revision` of a SidecarInjectionStatus annotation; undefined when absent or not that shape. */
export function injectedRevision(annotation: string | undefined): string | undefined {
  if (annotation === undefined) return undefined;
  try {
    const status = JSON.parse(annotation) as { revision?: unknown };
    return typeof status === 'object' && status !== null && typeof status.revision === 'string' ? status.revision : undefined;
  } catch {
    return undefined;
  }
}

/** `1.29.2` from `mcr.microsoft.com/oss/istio/proxyv2:1.29.2-distroless` (digest and variant dropped). */
export function imageVersion(image: string): string | undefined {
  const noDigest = image.split('@')[0] as string;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  if (colon <= slash) return undefined;
  let tag = noDigest.slice(colon + 1);
  for (const v of IMAGE_VARIANTS) if (tag.endsWith(`-${v}`)) tag = tag.slice(0, -v.length - 1);
  return tag;
}
