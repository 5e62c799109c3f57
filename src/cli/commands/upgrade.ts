/**
 * `meshplane upgrade plan|start|advance|complete|rollback|status|restart|patch`: the GitOps form of `az aks mesh upgrade`.
 * `plan` prints a report; start/advance/complete/rollback edit mesh.yaml in place (or print it with
 * --dry-run); `patch` bumps meshplane.lock.yaml to the newest patches and prints a PR text.
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
import { readLockSource, writeLockFile } from '../../lock/lock-io.js';
import { applyBumpsToText, bumpedLock, planPatchBumps, pullRequestText, type PatchBump } from '../../lock/patch-bump.js';
import { describeMove, finishMove, startMove, type Move } from '../../upgrade/lifecycle.js';
import { advanceMove, assertAllWavesMoved, assertNoWaveOnCanary, withWavesOnStable } from '../../upgrade/wave-moves.js';
import { sourceNamespaces } from '../../upgrade/wave-source.js';
import { intentWaves, waveLabel, waveMembers } from '../../intent/waves.js';
import { runUpgradeRestart } from './upgrade-restart.js';
import { runUpgradeStatus } from './upgrade-status.js';
import { formatPlanJson, formatPlanText } from '../../upgrade/plan-format.js';
import { planUpgrade, type UpgradePlan } from '../../upgrade/plan.js';
import type { Args, Handler } from '../spec.js';
import { printNotices, type Io } from '../io.js';

/** The upgrade handler (subcommands and flags: the `upgrade` entry of the command table). */
export const runUpgradeCommand: Handler = async (args, io) => {
  const verb = args.command.split(' ')[1];
  if (verb === 'plan') return runPlan(args, io);
  if (verb === 'status') return runUpgradeStatus(args, io);
  if (verb === 'restart') return runUpgradeRestart(args, io);
  if (verb === 'patch') return runPatch(args, io);
  if (verb === 'start' || verb === 'advance' || verb === 'complete' || verb === 'rollback') return runMove(verb, args, io);
  throw new MeshplaneError('usage', `meshplane upgrade: say what to do: plan, start <revision>, advance, complete, rollback, status, restart or patch`, [], 'run `meshplane upgrade --help`');
};

async function runPlan(args: Args, io: Io): Promise<number> {
  const f = await loadIntentFile(path.resolve(io.cwd, (args.positionals.dir as string | undefined) ?? '.'));
  const plan = makePlan(f.intent, args, io);
  io.stdout(args.values.output === 'json' ? formatPlanJson(plan) : formatPlanText(plan));
  return 0;
}

async function runMove(verb: 'start' | 'advance' | 'complete' | 'rollback', args: Args, io: Io): Promise<number> {
  const revision = args.positionals.revision as string | undefined;
  if (verb === 'start' && !/^asm-\d+-\d+$/.test(revision ?? '')) {
    throw usage(verb, `"${revision ?? ''}" is not a revision name: the first argument is the revision, e.g. \`meshplane upgrade start asm-1-28 .\``);
  }
  const dir = path.resolve(io.cwd, (args.positionals.dir as string | undefined) ?? '.');
  const f = await loadIntentFile(dir);
  const members = waveMembers(intentWaves(f.intent), await sourceNamespaces(dir));
  const move = decideMove(verb, f, args, io, members, revision);
  const text = applyMoveToText(f.file, f.text, f.docIndex, move);
  const dryRun = args.values['dry-run'] === true;
  if (dryRun) io.stdout(fileContents(f, text));
  else await writeIntentFile(f, text);
  const done = dryRun ? `would edit ${f.file} (dry run, nothing written)` : `edited ${f.file}`;
  const lines = [...describeMove(move).filter((l) => move.verb !== 'advance' || !l.startsWith('spec.istio.revisions')), ...describeWaveMoves(f.intent, move, members)];
  io.stderr(`${done}:\n${lines.map((l) => `  ${l}`).join('\n')}\nnext:\n${nextSteps(move, intentWaves(f.intent).length > 0).map((l) => `  ${l}`).join('\n')}\n`);
  return 0;
}

/** The move of one verb; waves add tag moves to `start`, and gate `complete` and `rollback`. */
function decideMove(verb: 'start' | 'advance' | 'complete' | 'rollback', f: IntentFile, args: Args, io: Io, members: string[][], revision: string | undefined): Move {
  if (verb === 'start') return withWavesOnStable(f.intent, startMove(f.intent, loadCatalog(), makePlan(f.intent, args, io), revision as string, f.locate));
  if (verb === 'advance') return advanceMove(f.intent, f.locate).move;
  if (verb === 'complete') assertAllWavesMoved(f.intent, f.locate, members);
  if (verb === 'rollback') assertNoWaveOnCanary(f.intent, f.locate, members);
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

async function runPatch(args: Args, io: Io): Promise<number> {
  const output = args.values.output as 'text' | 'json';
  const dir = args.positionals.dir as string | undefined;
  const src = await readLockSource(path.resolve(io.cwd, dir ?? '.'));
  if (!src.found || src.text === undefined) {
    throw new MeshplaneError('upgrade-refused', `meshplane upgrade patch: ${src.file} does not exist, so no patch is pinned yet`, [], `run \`meshplane lock${dir ? ` ${dir}` : ''}\` (it pins the newest patches) and commit the file`);
  }
  const revisions = src.intent.spec.mode === 'Istio' ? (src.intent.spec.istio?.revisions ?? []) : [];
  for (const name of revisions.filter((n) => !src.found?.lock.revisions[n])) io.stderr(`warning: ${name} is not pinned in ${src.file}; run \`meshplane lock\` to pin it\n`);
  const bumps = planPatchBumps(loadCatalog(), src.found.lock);
  const dryRun = args.values['dry-run'] === true;
  if (bumps.length === 0) {
    io.stderr(`${src.file}: every pinned revision is on the newest patch this Meshplane knows; nothing to do\n`);
    if (output === 'json') io.stdout(patchJson(src.file, undefined, [], false));
    return 0;
  }
  const after = bumpedLock(src.found.lock, bumps);
  const text = applyBumpsToText(src.file, src.text, bumps, after);
  if (!dryRun) await writeLockFile(src.absolutePath, src.file, text, after);
  const appDir = (dir ?? '.').replace(/\\/g, '/');
  const pr = pullRequestText(path.posix.join(appDir, src.file), appDir, bumps);
  io.stderr(`${dryRun ? `would edit ${src.file} (dry run, nothing written)` : `edited ${src.file}`}: ${bumps.map((b) => `${b.revision} ${b.from} → ${b.to.version}`).join(', ')}\n`);
  io.stdout(output === 'json' ? patchJson(src.file, pr, bumps, !dryRun) : `${pr.title}\n\n${pr.body}`);
  return 0;
}

function patchJson(file: string, pr: { title: string; body: string } | undefined, bumps: readonly PatchBump[], written: boolean): string {
  const doc = {
    apiVersion: 'meshplane.io/v1alpha1',
    kind: 'PatchUpgrade',
    file,
    written,
    ...(pr ? { title: pr.title, body: pr.body } : {}),
    bumps: bumps.map((b) => ({ revision: b.revision, from: b.from, to: b.to.version, released: b.to.released, upstream: b.to.upstream, upstreamTagged: b.to.upstreamTagged, skipped: b.skipped })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * The plan for the intent, for the Kubernetes version every command picks: --kube-version, else
 * KUBE_VERSION, else spec.cluster.kubernetesVersion (with a warning naming what was overridden).
 */
function makePlan(intent: ServiceMesh, args: Args, io: Io): UpgradePlan {
  const defaulted = applyDefaults(intent);
  const notices: Notice[] = [];
  const flag = args.given.has('kube-version') ? (args.values['kube-version'] as string) : undefined;
  const kubernetes = resolveKubeVersion(defaulted, { KUBE_VERSION: io.env.KUBE_VERSION, kubeVersionFlag: flag }, notices);
  printNotices(io, notices, false);
  return planUpgrade({ intent: defaulted, catalog: loadCatalog(), kubernetes, now: parseNow(args.values.now) });
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

function usage(verb: string, message: string): MeshplaneError {
  return new MeshplaneError('usage', `meshplane upgrade ${verb}: ${message}`, [], 'run `meshplane upgrade --help`');
}
