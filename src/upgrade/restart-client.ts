/**
 * The cluster side of `upgrade restart`, through @kubernetes/client-node: per namespace, paged
 * lists of Pods, Deployments, StatefulSets and DaemonSets, then one PATCH per workload that needs
 * a restart. Every request is namespaced, so a Role bound in the wave's namespaces is enough
 * (the restart hook's Role grants exactly RESTART_RULES of restart-hook-input.ts). List errors stop the run
 * (exit 2, mapped like preflight's); a refused or failed PATCH is recorded and the run goes on.
 */
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type ConfigurationOptions, type V1DaemonSet, type V1Deployment, type V1Pod, type V1StatefulSet } from '@kubernetes/client-node';
import { deadline } from '../integrations/preflight/cluster-reader.js';
import { statusMessage } from '../integrations/preflight/api-errors.js';
import type { Read } from '../integrations/preflight/access.js';
import type { LoadedConfig } from '../integrations/preflight/kube-config.js';
import { listPages, PAGE_SIZE, toPodInfo, type Page } from './rollout-reader.js';
import type { LivePodInfo } from './rollout.js';
import { restartPatch, type WorkloadInfo, type WorkloadKind, type WorkloadRestart } from './restart.js';

const LIST_READS = {
  pods: { kind: 'resource', apiGroup: '', resource: 'pods', verb: 'list', why: 'which revision each pod runs' },
  deployments: { kind: 'resource', apiGroup: 'apps', resource: 'deployments', verb: 'list', why: 'workloads to restart' },
  statefulsets: { kind: 'resource', apiGroup: 'apps', resource: 'statefulsets', verb: 'list', why: 'workloads to restart' },
  daemonsets: { kind: 'resource', apiGroup: 'apps', resource: 'daemonsets', verb: 'list', why: 'workloads to restart' },
} as const satisfies Record<string, Read>;

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
