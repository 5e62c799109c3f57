/**
 * `meshplane upgrade restart --namespaces a,b --revision <rev>`: restarts, in the named
 * namespaces, the Deployments, StatefulSets and DaemonSets whose pods do not run <rev> (the way
 * `kubectl rollout restart` does), and lists what it restarted. Exit 0 when every patch
 * succeeded (or nothing needed one), 1 when a patch failed, 2 on usage or read errors.
 * The opt-in PostSync hook (spec.upgrade.restartHook) runs this for the waves that moved.
 * First it waits, at most --istiod-wait seconds (default 300), until Deployment istiod-<rev> in aks-istio-system is
 * available (waitForIstiod in restart-client.ts); if it is not, it fails (exit 2) and restarts nothing.
 */
import { MeshplaneError } from '../../core/errors.js';
import { loadKubeConfig } from '../../integrations/preflight/kube-config.js';
import { workloadsToRestart } from '../../upgrade/restart.js';
import { patchWorkloads, readWorkloads, waitForIstiod, type PatchOutcome } from '../../upgrade/restart-client.js';
import type { Args } from '../spec.js';
import { requestTimeoutMs } from './upgrade-status.js';
import { printNotices, type Io } from '../io.js';

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Runs `upgrade restart` (flags: the `upgrade restart` entry of the command table); errors go to the caller's reporter. */
export async function runUpgradeRestart(args: Args, io: Io, now: () => Date = () => new Date()): Promise<number> {
  const values = args.values;
  const output = values.output as 'text' | 'json';
  const namespaces = parseNamespaces(values.namespaces);
  const revision = values.revision;
  if (typeof revision !== 'string' || !/^asm-\d+-\d+$/.test(revision)) throw usage(`--revision must name the revision the pods should run, e.g. --revision asm-1-29 (got ${revision === undefined ? 'nothing' : `"${String(revision)}"`})`);
  const timeoutMs = requestTimeoutMs('upgrade restart', values.timeout);
  const waitMs = istiodWaitMs(values['istiod-wait']);
  const loaded = loadKubeConfig({ env: io.env, ...(typeof values.kubeconfig === 'string' ? { kubeconfig: values.kubeconfig } : {}), ...(typeof values.context === 'string' ? { context: values.context } : {}) });
  printNotices(io, loaded.notices, false);
  // Before anything is read or patched: istiod-<rev> must answer the injection webhook.
  await waitForIstiod(loaded, revision, timeoutMs, waitMs);
  const { pods, workloads } = await readWorkloads(loaded, namespaces, timeoutMs);
  const targets = workloadsToRestart(workloads, pods, revision);
  const dryRun = values['dry-run'] === true;
  const outcomes: PatchOutcome[] = dryRun ? targets.map((workload) => ({ workload, ok: true })) : await patchWorkloads(loaded, targets, now(), timeoutMs);
  io.stdout(output === 'json' ? formatJson(namespaces, revision, dryRun, outcomes) : formatText(namespaces, revision, dryRun, outcomes));
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length > 0) {
    io.stderr(`meshplane upgrade restart: ${failed.length} of ${outcomes.length} restarts failed:\n${failed.map((f) => `  ${f.workload.kind} ${f.workload.namespace}/${f.workload.name}: ${f.error ?? 'unknown error'}`).join('\n')}\n  fix: grant patch on deployments, statefulsets and daemonsets (apps) in those namespaces (the Role the restart hook renders, docs/upgrades.md), then run the command again: restarted workloads are skipped\n`);
    return 1;
  }
  return 0;
}

function parseNamespaces(raw: unknown): string[] {
  if (typeof raw !== 'string' || raw.trim() === '') throw usage('name the namespaces to restart: --namespaces shop,orders');
  const names = [...new Set(raw.split(',').map((s) => s.trim()).filter((s) => s !== ''))].sort();
  const bad = names.find((n) => !NAME.test(n) || n.length > 63);
  if (bad !== undefined || names.length === 0) throw usage(`--namespaces: "${bad ?? raw}" is not a namespace name (lowercase letters, digits and -, at most 63)`);
  return names;
}

function verb(dryRun: boolean, o: PatchOutcome): string {
  return !o.ok ? 'failed' : dryRun ? 'would restart' : 'restarted';
}

function formatText(namespaces: string[], revision: string, dryRun: boolean, outcomes: PatchOutcome[]): string {
  const head = `upgrade restart: namespaces ${namespaces.join(', ')} to ${revision}${dryRun ? ' (dry run)' : ''}`;
  if (outcomes.length === 0) return `${head}\nnothing to restart: every workload's pods run ${revision}\n`;
  const lines = outcomes.map((o) => `  ${verb(dryRun, o)} ${o.workload.kind} ${o.workload.namespace}/${o.workload.name} (pods ${o.workload.stalePods.join(', ')})${o.error ? `: ${o.error}` : ''}`);
  return `${head}\n${lines.join('\n')}\n`;
}

function formatJson(namespaces: string[], revision: string, dryRun: boolean, outcomes: PatchOutcome[]): string {
  const workloads = outcomes.map((o) => ({ kind: o.workload.kind, namespace: o.workload.namespace, name: o.workload.name, stalePods: o.workload.stalePods, result: verb(dryRun, o), ...(o.error ? { error: o.error } : {}) }));
  return `${JSON.stringify({ namespaces, revision, dryRun, workloads }, null, 2)}\n`;
}

function usage(message: string): MeshplaneError {
  return new MeshplaneError('usage', `meshplane upgrade restart: ${message}`, [], 'run `meshplane upgrade --help`');
}

/** Default of `--istiod-wait`: a canary istiod that pulls its image on a new node can take minutes, and the restart Job's activeDeadlineSeconds (600) leaves room for the restarts after it. */
const DEFAULT_ISTIOD_WAIT_SECONDS = 300;

/** `--istiod-wait`: whole seconds from 0 to 600 (0: read once, do not wait), default {@link DEFAULT_ISTIOD_WAIT_SECONDS}; in milliseconds. */
export function istiodWaitMs(raw: unknown): number {
  if (raw === undefined) return DEFAULT_ISTIOD_WAIT_SECONDS * 1000;
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || n > 600) throw usage(`--istiod-wait must be whole seconds from 0 to 600 (got "${String(raw)}")`);
  return n * 1000;
}
