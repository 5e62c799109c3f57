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
import { choice, parseFlags, type FlagSpec } from '../args.js';
import type { Io } from '../io.js';

/** The flags of `upgrade status` (declared once; the command table reads this object). */
export const STATUS_FLAGS = {
  context: { type: 'string', description: 'kubeconfig context of the cluster to read (default: the current context)' },
  kubeconfig: { type: 'string', description: 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then the in-cluster service account)', env: 'KUBECONFIG' },
  gate: { type: 'string', default: 'next', description: 'the step whose safety sets the exit code: next (advance while a wave has not moved, then complete), advance or complete' },
  output: { type: 'string', short: 'o', default: 'text', description: 'report format: text, json or markdown' },
  timeout: { type: 'string', default: '30', description: 'deadline of each API request, in seconds' },
} as const;

const GATES = ['next', 'advance', 'complete'] as const;
const OUTPUTS = ['text', 'json', 'markdown'] as const;

/** Runs `upgrade status` (argv after the subcommand); errors are thrown to the caller's reporter. */
export async function runUpgradeStatus(argv: string[], io: Io): Promise<number> {
  const spec = Object.fromEntries(Object.entries(STATUS_FLAGS).map(([k, v]) => [k, { type: v.type, ...('short' in v ? { short: v.short } : {}) }])) as FlagSpec;
  const flags = parseFlags('upgrade status', argv, spec);
  const gate: Gate = choice('upgrade status', 'gate', flags.values.gate, GATES, 'next');
  const output = choice('upgrade status', 'output', flags.values.output, OUTPUTS, 'text');
  const timeoutMs = seconds(flags.values.timeout) * 1000;
  const [dir, extra] = flags.positionals;
  if (extra !== undefined) throw new MeshplaneError('usage', `meshplane upgrade status: unexpected argument "${extra}"`, [], 'run `meshplane upgrade --help`');
  const f = await loadIntentFile(path.resolve(io.cwd, dir ?? '.'));
  const loaded = loadKubeConfig({ env: io.env, ...(typeof flags.values.kubeconfig === 'string' ? { kubeconfig: flags.values.kubeconfig } : {}), ...(typeof flags.values.context === 'string' ? { context: flags.values.context } : {}) });
  const namespaces = await readNamespaces(loaded, timeoutMs);
  const live = new Set(namespaces.map((n) => n.name));
  const wanted = [...new Set(waveMembers(f.intent.spec.upgrade?.waves ?? [], namespaces).flat())].filter((n) => live.has(n)).sort();
  const pods = await readPods(loaded, wanted, timeoutMs);
  const report = rolloutReport(f.intent, namespaces, pods);
  const src = { server: loaded.server, context: loaded.context };
  io.stdout(output === 'json' ? formatStatusJson(report, src) : output === 'markdown' ? formatStatusMarkdown(report, src) : formatStatusText(report, src));
  return gatePasses(report, gate) ? 0 : 1;
}

function seconds(raw: unknown): number {
  if (raw === undefined) return 30;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 600) throw new MeshplaneError('usage', `meshplane upgrade status: --timeout must be whole seconds from 1 to 600 (got "${String(raw)}")`, [], 'e.g. --timeout 20');
  return n;
}
