/**
 * `meshplane upgrade plan|start|advance|complete|rollback|status`: the GitOps form of `az aks mesh upgrade`.
 * `plan` prints a report; the other three edit mesh.yaml in place (or print it with --dry-run).
 */
import path from 'node:path';
import { loadCatalog } from '../../catalog/catalog.js';
import { MeshplaneError } from '../../core/errors.js';
import type { Notice } from '../../core/types.js';
import type { ServiceMesh } from '../../intent/types.js';
import { applyDefaults } from '../../pipeline/defaults.js';
import { resolveKubeVersion } from '../../pipeline/resolve.js';
import { applyMoveToText } from '../../upgrade/edit.js';
import { fileContents, loadIntentFile, writeIntentFile, type IntentFile } from '../../upgrade/intent-file.js';
import { describeMove, finishMove, startMove, type Move } from '../../upgrade/lifecycle.js';
import { advanceMove, assertAllWavesMoved, withWavesOnStable } from '../../upgrade/wave-moves.js';
import { sourceNamespaces } from '../../upgrade/wave-source.js';
import { intentWaves, waveLabel, waveMembers } from '../../upgrade/waves.js';
import { runUpgradeRestart } from './upgrade-restart.js';
import { runUpgradeStatus } from './upgrade-status.js';
import { formatPlanJson, formatPlanText } from '../../upgrade/plan-format.js';
import { planUpgrade, type UpgradePlan } from '../../upgrade/plan.js';
import { choice, parseFlags, type Parsed } from '../args.js';
import type { Command } from '../command.js';
import { printNotices, reportError, type Io } from '../io.js';

const SUBCOMMANDS = ['plan', 'start', 'advance', 'complete', 'rollback', 'status', 'restart'] as const;
const OUTPUTS = ['text', 'json'] as const;

/** The upgrade command. */
export const upgradeCommand: Command = {
  name: 'upgrade',
  summary: 'plan, start, advance (namespace waves), complete or roll back a canary revision upgrade (edits mesh.yaml in place); status of the rollout in a cluster; restart the workloads of moved waves',
  usage: 'meshplane upgrade plan [dir] [--kube-version 1.32] [--now YYYY-MM-DD] [--output text|json]\n       meshplane upgrade start <revision> [dir] [--kube-version 1.32] [--now YYYY-MM-DD] [--dry-run]\n       meshplane upgrade advance|complete|rollback [dir] [--dry-run]\n       meshplane upgrade status [dir] [--context <ctx>] [--kubeconfig <file>] [--gate next|advance|complete] [--output text|json|markdown]\n       meshplane upgrade restart --namespaces <a,b> --revision <rev> [--context <ctx>] [--kubeconfig <file>] [--dry-run] [--output text|json]',
  examples: ['meshplane upgrade plan .', 'meshplane upgrade start asm-1-28 .', 'meshplane upgrade complete .', 'meshplane upgrade rollback . --dry-run', 'meshplane upgrade advance .', 'meshplane upgrade status . --context prod --gate complete', 'meshplane upgrade restart --namespaces shop,orders --revision asm-1-29 --context prod'],
  async run(argv: string[], io: Io): Promise<number> {
    try {
      const [sub, ...rest] = argv;
      const verb = SUBCOMMANDS.find((s) => s === sub);
      if (!verb) throw new MeshplaneError('usage', `meshplane upgrade: ${sub === undefined ? 'say what to do' : `unknown subcommand "${sub}"`}: plan, start <revision>, advance, complete, rollback, status or restart`, [], 'run `meshplane upgrade --help`');
      if (verb === 'status') return await runUpgradeStatus(rest, io);
      if (verb === 'restart') return await runUpgradeRestart(rest, io);
      const flags = parseFlags(`upgrade ${verb}`, rest, {
        'kube-version': { type: 'string' },
        now: { type: 'string' },
        output: { type: 'string' },
        'dry-run': { type: 'boolean' },
      });
      if (verb === 'plan') return await runPlan(flags, io);
      return await runMove(verb, flags, io);
    } catch (err) {
      return reportError(io, err);
    }
  },
};

async function runPlan(flags: Parsed, io: Io): Promise<number> {
  rejectFlags('plan', flags, ['dry-run']);
  const output = choice('upgrade plan', 'output', flags.values.output, OUTPUTS, 'text');
  const [dir, extra] = flags.positionals;
  if (extra !== undefined) throw usage('plan', `unexpected argument "${extra}"`);
  const f = await loadIntentFile(path.resolve(io.cwd, dir ?? '.'));
  const plan = makePlan(f.intent, flags, io);
  io.stdout(output === 'json' ? formatPlanJson(plan) : formatPlanText(plan));
  return 0;
}

async function runMove(verb: 'start' | 'advance' | 'complete' | 'rollback', flags: Parsed, io: Io): Promise<number> {
  rejectFlags(verb, flags, verb === 'start' ? ['output'] : ['output', 'now', 'kube-version']);
  const [first, second, extra] = flags.positionals;
  const [revision, dir] = verb === 'start' ? [first, second] : [undefined, first];
  if (verb === 'start' && !/^asm-\d+-\d+$/.test(revision ?? '')) {
    throw usage(verb, `${revision === undefined ? 'name the revision to add' : `"${revision}" is not a revision name`}: the first argument is the revision, e.g. \`meshplane upgrade start asm-1-28 .\``);
  }
  if ((verb === 'start' ? extra : second) !== undefined) throw usage(verb, `unexpected argument "${verb === 'start' ? extra : second}"`);
  const f = await loadIntentFile(path.resolve(io.cwd, dir ?? '.'));
  const members = waveMembers(intentWaves(f.intent), await sourceNamespaces(path.resolve(io.cwd, dir ?? '.')));
  const move = decideMove(verb, f, flags, io, members, revision);
  const text = applyMoveToText(f.file, f.text, f.docIndex, move);
  if (flags.values['dry-run'] === true) io.stdout(fileContents(f, text));
  else await writeIntentFile(f, text);
  const done = flags.values['dry-run'] === true ? `would edit ${f.file} (dry run, nothing written)` : `edited ${f.file}`;
  const lines = [...describeMove(move).filter((l) => move.verb !== 'advance' || !l.startsWith('spec.istio.revisions')), ...describeWaveMoves(f.intent, move, members)];
  io.stderr(`${done}:\n${lines.map((l) => `  ${l}`).join('\n')}\nnext:\n${nextSteps(move, intentWaves(f.intent).length > 0).map((l) => `  ${l}`).join('\n')}\n`);
  return 0;
}

/** The move of one verb; waves add tag moves to `start`, and gate `complete`. */
function decideMove(verb: 'start' | 'advance' | 'complete' | 'rollback', f: IntentFile, flags: Parsed, io: Io, members: string[][], revision: string | undefined): Move {
  if (verb === 'start') return withWavesOnStable(f.intent, startMove(f.intent, loadCatalog(), makePlan(f.intent, flags, io), revision as string, f.locate));
  if (verb === 'advance') return advanceMove(f.intent, f.locate).move;
  if (verb === 'complete') assertAllWavesMoved(f.intent, f.locate, members);
  return finishMove(f.intent, verb, f.locate);
}

/** `wave 2 (tag wave-2: orders, payments) moves asm-1-29 → asm-1-30`, per wave whose tag moves. */
function describeWaveMoves(intent: ServiceMesh, move: Move, members: string[][]): string[] {
  const waves = intentWaves(intent);
  return move.tagMoves.flatMap((t) => {
    const index = waves.findIndex((w) => w.tag === t.tag);
    return index === -1 || t.from === t.to ? [] : [`${waveLabel({ index, tag: t.tag }, members[index])} moves ${t.from} → ${t.to}`];
  });
}

/**
 * The plan for the intent. Unlike `generate`, an explicit --kube-version wins over
 * spec.cluster.kubernetesVersion and KUBE_VERSION here: planning is often a what-if ("after the
 * cluster upgrade"). Without it the render's order applies (spec, then KUBE_VERSION).
 */
function makePlan(intent: ServiceMesh, flags: Parsed, io: Io): UpgradePlan {
  const defaulted = applyDefaults(intent);
  const notices: Notice[] = [];
  const flag = flags.values['kube-version'] as string | undefined;
  const written = defaulted.spec.cluster?.kubernetesVersion;
  const subject = flag === undefined ? defaulted : { ...defaulted, spec: { ...defaulted.spec, cluster: { ...defaulted.spec.cluster, kubernetesVersion: undefined } } };
  const env = flag === undefined ? { KUBE_VERSION: io.env.KUBE_VERSION } : { kubeVersionFlag: flag };
  const kubernetes = resolveKubeVersion(subject, env, notices);
  if (flag !== undefined && written !== undefined) notices.push({ level: 'warning', message: `planning for Kubernetes ${kubernetes.version} (--kube-version), not spec.cluster.kubernetesVersion "${written}"` });
  printNotices(io, notices, false);
  return planUpgrade({ intent: defaulted, catalog: loadCatalog(), kubernetes, now: parseNow(flags.values.now) });
}

/** `--now YYYY-MM-DD` (a real calendar date), else today's date in UTC. */
export function parseNow(value: unknown, today: Date = new Date()): string {
  if (value === undefined) return today.toISOString().slice(0, 10);
  const text = String(value);
  const date = new Date(`${text}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) {
    throw new MeshplaneError('usage', `meshplane upgrade: --now must be a date written YYYY-MM-DD (got "${text}")`, [], 'e.g. --now 2026-11-25');
  }
  return text;
}

function nextSteps(move: Move, waves: boolean): string[] {
  const kept = move.after[move.after.length - 1] as string;
  if (move.verb === 'start') {
    return [
      `commit and sync: Meshplane renders istiod-${kept} and istio-shared-configmap-${kept} from the same spec.meshConfig`,
      waves ? `move the waves to ${kept} one at a time: \`meshplane upgrade advance\` (one commit per wave), restarting each wave's workloads` : `move namespaces to ${kept} (label istio.io/rev=${kept}, or point a tag in spec.tags at it) and restart their workloads`,
      'then `meshplane upgrade complete` to keep the new revision, or `meshplane upgrade rollback` to go back',
    ];
  }
  if (move.verb === 'advance') {
    return [
      `commit and sync: the wave's tag webhook now injects ${kept}; restart the wave's workloads (the PostSync hook does it when spec.upgrade.restartHook is enabled; else \`meshplane upgrade restart\` or kubectl rollout restart)`,
      'check the rollout with `meshplane upgrade status --gate advance`, then advance the next wave or `meshplane upgrade complete`',
    ];
  }
  return [`commit and sync: the ${move.verb === 'complete' ? 'old' : 'canary'} revision's objects are pruned`, `make sure no namespace label istio.io/rev still names a removed revision, then restart workloads that ran on it`];
}

function rejectFlags(verb: string, flags: Parsed, names: string[]): void {
  const given = names.find((n) => flags.values[n] !== undefined);
  if (given) throw usage(verb, `--${given} does not apply to \`upgrade ${verb}\``);
}

function usage(verb: string, message: string): MeshplaneError {
  return new MeshplaneError('usage', `meshplane upgrade ${verb}: ${message}`, [], 'run `meshplane upgrade --help`');
}
