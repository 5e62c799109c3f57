/**
 * The cluster side of `upgrade restart`, through @kubernetes/client-node: per namespace, paged
 * lists of Pods, Deployments, StatefulSets and DaemonSets, then one PATCH per workload that needs
 * a restart, after waiting for istiod-<rev> (waitForIstiod). Every request is namespaced: a Role
 * in each wave's namespace (RESTART_RULES of src/pipeline/resolve-restart-hook.ts) and one in
 * aks-istio-system allowing get on istiod-<rev> only (istiodRules there) are enough. List errors stop the run
 * (exit 2, mapped like preflight's); a refused or failed PATCH is recorded and the run goes on.
 */
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type ConfigurationOptions, type V1DaemonSet, type V1Deployment, type V1Pod, type V1StatefulSet } from '@kubernetes/client-node';
import { MeshplaneError } from '../core/errors.js';
import { deadline } from '../integrations/preflight/cluster-reader.js';
import { statusMessage } from '../integrations/preflight/api-errors.js';
import type { Read } from '../integrations/preflight/access.js';
import type { LoadedConfig } from '../integrations/preflight/kube-config.js';
import { listPages, PAGE_SIZE, toPodInfo, type Page } from './rollout-reader.js';
import type { LivePodInfo } from './rollout.js';
import { istiodVerdict, restartPatch, type IstiodVerdict, type WorkloadInfo, type WorkloadKind, type WorkloadRestart } from './restart.js';

const LIST_READS = {
  pods: { kind: 'resource', apiGroup: '', resource: 'pods', verb: 'list', why: 'which revision each pod runs' },
  deployments: { kind: 'resource', apiGroup: 'apps', resource: 'deployments', verb: 'list', why: 'workloads to restart' },
  statefulsets: { kind: 'resource', apiGroup: 'apps', resource: 'statefulsets', verb: 'list', why: 'workloads to restart' },
  daemonsets: { kind: 'resource', apiGroup: 'apps', resource: 'daemonsets', verb: 'list', why: 'workloads to restart' },
} as const satisfies Record<string, Read>;

/** The namespace of every istiod Deployment (NAMESPACES.system, src/pipeline/resolve.ts; templates/istiod.libsonnet). */
export const ISTIOD_NAMESPACE = 'aks-istio-system';

/** How often the istiod wait reads the Deployment again. */
export const ISTIOD_POLL_MS = 1000;

type Workload = V1Deployment | V1StatefulSet | V1DaemonSet;

/** The pods and workloads of the namespaces. */
export async function readWorkloads(loaded: LoadedConfig, namespaces: readonly string[], timeoutMs: number): Promise<{ pods: LivePodInfo[]; workloads: WorkloadInfo[] }> {
  const core = loaded.kc.makeApiClient(CoreV1Api);
  const apps = loaded.kc.makeApiClient(AppsV1Api);
  const pods: LivePodInfo[] = [];
  const workloads: WorkloadInfo[] = [];
  for (const ns of namespaces) {
    pods.push(...(await listAll(loaded, 'pods', timeoutMs, (c, o) => core.listNamespacedPod({ namespace: ns, _continue: c, limit: PAGE_SIZE }, o) as Promise<Page<V1Pod>>)).map(toPodInfo));
    const kinds: Array<[WorkloadKind, keyof typeof LIST_READS, (c: string | undefined, o: ConfigurationOptions) => Promise<Page<Workload>>]> = [
      ['Deployment', 'deployments', (c, o) => apps.listNamespacedDeployment({ namespace: ns, _continue: c, limit: PAGE_SIZE }, o)],
      ['StatefulSet', 'statefulsets', (c, o) => apps.listNamespacedStatefulSet({ namespace: ns, _continue: c, limit: PAGE_SIZE }, o)],
      ['DaemonSet', 'daemonsets', (c, o) => apps.listNamespacedDaemonSet({ namespace: ns, _continue: c, limit: PAGE_SIZE }, o)],
    ];
    for (const [kind, read, fetch] of kinds) {
      for (const w of await listAll(loaded, read, timeoutMs, fetch)) {
        workloads.push({ kind, namespace: ns, name: w.metadata?.name ?? '', selector: { ...(w.spec?.selector ?? {}) } as WorkloadInfo['selector'] });
      }
    }
  }
  return { pods, workloads };
}

/** The outcome of one PATCH. */
export interface PatchOutcome {
  workload: WorkloadRestart;
  ok: boolean;
  /** HTTP status and the server's message when the patch failed. */
  error?: string;
}

/** Patches each workload's pod template (strategic merge patch, as kubectl sends it). */
export async function patchWorkloads(loaded: LoadedConfig, targets: readonly WorkloadRestart[], now: Date, timeoutMs: number): Promise<PatchOutcome[]> {
  const apps = loaded.kc.makeApiClient(AppsV1Api);
  const out: PatchOutcome[] = [];
  for (const w of targets) {
    const options = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch, deadline(timeoutMs));
    const req = { name: w.name, namespace: w.namespace, body: restartPatch(now) };
    try {
      if (w.kind === 'Deployment') await apps.patchNamespacedDeployment(req, options);
      else if (w.kind === 'StatefulSet') await apps.patchNamespacedStatefulSet(req, options);
      else await apps.patchNamespacedDaemonSet(req, options);
      out.push({ workload: w, ok: true });
    } catch (err) {
      out.push({ workload: w, ok: false, error: patchError(err) });
    }
  }
  return out;
}

function patchError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const message = statusMessage(err) ?? (err instanceof Error ? err.message : String(err));
  return typeof code === 'number' ? `${code}: ${message}` : message;
}

function listAll<T>(loaded: LoadedConfig, read: keyof typeof LIST_READS, timeoutMs: number, fetch: (cont: string | undefined, options: ConfigurationOptions) => Promise<Page<T>>): Promise<T[]> {
  return listPages(loaded, LIST_READS[read], timeoutMs, fetch);
}

/**
 * Waits, at most `timeoutMs`, until Deployment istiod-<revision> in aks-istio-system can answer
 * the injection webhook (istiodVerdict in restart.ts), reading it every `pollMs`. Why: under Flux
 * the restart Job is applied in the same stage as the new istiod (fluxcd/pkg ssa v0.76.1,
 * ssa/manager_apply.go ApplyAllStaged: only CRDs, Namespaces, ClusterRoles and *Class kinds go
 * first) and no Job waits for anything, so a restart could run before istiod serves, and the
 * webhook's failurePolicy Fail would refuse every new pod. Throws (exit 2) when it is missing,
 * stuck or not available in time; read errors are mapped as preflight maps them.
 */
export async function waitForIstiod(loaded: LoadedConfig, revision: string, timeoutMs: number, waitMs: number = timeoutMs, pollMs: number = ISTIOD_POLL_MS): Promise<IstiodVerdict> {
  const apps = loaded.kc.makeApiClient(AppsV1Api);
  const name = `istiod-${revision}`;
  const where = `Deployment ${ISTIOD_NAMESPACE}/${name}`;
  const describe = `\`kubectl -n ${ISTIOD_NAMESPACE} describe deployment ${name}\``;
  const end = Date.now() + waitMs;
  for (;;) {
    let dep: V1Deployment;
    try {
      dep = await apps.readNamespacedDeployment({ namespace: ISTIOD_NAMESPACE, name }, deadline(timeoutMs));
    } catch (err) {
      if ((err as { code?: unknown } | null)?.code === 404) {
        throw new MeshplaneError('upgrade-refused', `meshplane upgrade restart: ${where} does not exist, so revision ${revision} has no istiod to inject the restarted pods; nothing was restarted`, [], `check that ${revision} is in spec.istio.revisions and that the sync created it (\`kubectl -n ${ISTIOD_NAMESPACE} get deployments\`), and that --revision names it; then run the restart again (under Flux: delete the restart Job so it is applied again)`);
      }
      const why = patchError(err);
      const fix = (err as { code?: unknown } | null)?.code === 403
        ? `grant get on deployments (apps) named ${name} in ${ISTIOD_NAMESPACE} to user "${loaded.user}" (the restart hook renders this Role, docs/upgrades.md), then run the restart again`
        : `check that the cluster is reachable (\`kubectl cluster-info\`) and that ${loaded.source} and --context point at it, then run the restart again`;
      throw new MeshplaneError('cluster-unreachable', `meshplane upgrade restart: cannot read ${where} on ${loaded.server} to see whether it is available: ${why}; nothing was restarted`, [], fix);
    }
    const cond = (dep.status?.conditions ?? []).find((c) => c.type === 'Progressing');
    const verdict = istiodVerdict({
      generation: dep.metadata?.generation, observedGeneration: dep.status?.observedGeneration, specReplicas: dep.spec?.replicas,
      replicas: dep.status?.replicas, updatedReplicas: dep.status?.updatedReplicas, availableReplicas: dep.status?.availableReplicas, progressingReason: cond?.reason,
    });
    if (verdict.state === 'available') return verdict;
    const left = end - Date.now();
    if (verdict.state === 'stuck' || left <= 0) {
      const what = verdict.state === 'stuck' ? 'is stuck' : `is not available after ${Math.round(waitMs / 1000)} s`;
      throw new MeshplaneError('upgrade-refused', `meshplane upgrade restart: ${where} ${what} (${verdict.detail}); its injection webhook refuses new pods (failurePolicy Fail) until it serves, so nothing was restarted`, [], `see why with ${describe} and its pods' events; once it is available run the restart again (re-run the restart Job: under Flux delete the Job so it is applied again), or give it longer with a larger --istiod-wait`);
    }
    await new Promise((r) => setTimeout(r, Math.min(pollMs, left)));
  }
}
