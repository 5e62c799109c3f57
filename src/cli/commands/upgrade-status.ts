/**
 * `meshplane upgrade status [dir] --context <ctx>`: per wave and namespace, the revision and proxy
 * version each pod runs, what still needs a restart, and whether it is safe to advance or
 * complete. Exit 0 when the gate (--gate, default: the next step) is safe, 1 when not, 2 on error.
 */
import path from 'node:path';
import { MeshplaneError } from '../../core/errors.js';
import { loadKubeConfig } from '../../integrations/preflight/kube-config.js';
import { loadIntentFile } from '../../upgrade/intent-file.js';
import { gatePasses, rolloutReport, type Gate } from '../../upgrade/rollout.js';
import { formatStatusJson, formatStatusMarkdown, formatStatusText } from '../../upgrade/rollout-format.js';
import { readNamespaces, readPods } from '../../upgrade/rollout-reader.js';
import { waveMembers } from '../../intent/waves.js';
import type { Args } from '../spec.js';
import { printNotices, type Io } from '../io.js';

/** Runs `upgrade status` (flags: the `upgrade status` entry of the command table); errors go to the caller's reporter. */
export async function runUpgradeStatus(args: Args, io: Io): Promise<number> {
  const gate = args.values.gate as Gate;
  const output = args.values.output as 'text' | 'json' | 'markdown';
  const timeoutMs = requestTimeoutMs('upgrade status', args.values.timeout);
  const f = await loadIntentFile(path.resolve(io.cwd, (args.positionals.dir as string | undefined) ?? '.'));
  const kubeconfig = args.values.kubeconfig;
  const context = args.values.context;
  const loaded = loadKubeConfig({ env: io.env, ...(typeof kubeconfig === 'string' ? { kubeconfig } : {}), ...(typeof context === 'string' ? { context } : {}) });
  printNotices(io, loaded.notices, false);
  const namespaces = await readNamespaces(loaded, timeoutMs);
  const live = new Set(namespaces.map((n) => n.name));
  const wanted = [...new Set(waveMembers(f.intent.spec.upgrade?.waves ?? [], namespaces).flat())].filter((n) => live.has(n)).sort();
  const pods = await readPods(loaded, wanted, timeoutMs);
  const report = rolloutReport(f.intent, namespaces, pods);
  const src = { server: loaded.server, context: loaded.context };
  io.stdout(output === 'json' ? formatStatusJson(report, src) : output === 'markdown' ? formatStatusMarkdown(report, src) : formatStatusText(report, src));
  return gatePasses(report, gate) ? 0 : 1;
}

/** `--timeout` of the upgrade commands that read a cluster (status, restart): whole seconds from 1 to 600, default 30; in milliseconds. */
export function requestTimeoutMs(command: string, raw: unknown): number {
  if (raw === undefined) return 30_000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 600) throw new MeshplaneError('usage', `meshplane ${command}: --timeout must be whole seconds from 1 to 600 (got "${String(raw)}")`, [], 'e.g. --timeout 20');
  return n * 1000;
}
