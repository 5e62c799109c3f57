/**
 * `meshplane upgrade plan|start|complete|rollback`: the GitOps form of `az aks mesh upgrade`.
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
import { fileContents, loadIntentFile, writeIntentFile } from '../../upgrade/intent-file.js';
import { describeMove, finishMove, startMove, type Move } from '../../upgrade/lifecycle.js';
import { formatPlanJson, formatPlanText } from '../../upgrade/plan-format.js';
import { planUpgrade, type UpgradePlan } from '../../upgrade/plan.js';
import type { Args, Handler } from '../spec.js';
import { printNotices, type Io } from '../io.js';

/** The upgrade handler (subcommands and flags: the `upgrade` entry of the command table). */
export const runUpgradeCommand: Handler = async (args, io) => {
  const verb = args.command.split(' ')[1];
  if (verb === 'plan') return runPlan(args, io);
  if (verb === 'start' || verb === 'complete' || verb === 'rollback') return runMove(verb, args, io);
  throw new MeshplaneError('usage', `meshplane upgrade: say what to do: plan, start <revision>, complete or rollback`, [], 'run `meshplane upgrade --help`');
};

async function runPlan(args: Args, io: Io): Promise<number> {
  const f = await loadIntentFile(path.resolve(io.cwd, (args.positionals.dir as string | undefined) ?? '.'));
  const plan = makePlan(f.intent, args, io);
  io.stdout(args.values.output === 'json' ? formatPlanJson(plan) : formatPlanText(plan));
  return 0;
}

async function runMove(verb: 'start' | 'complete' | 'rollback', args: Args, io: Io): Promise<number> {
  const revision = args.positionals.revision as string | undefined;
  if (verb === 'start' && !/^asm-\d+-\d+$/.test(revision ?? '')) {
    throw usage(verb, `"${revision ?? ''}" is not a revision name: the first argument is the revision, e.g. \`meshplane upgrade start asm-1-28 .\``);
  }
  const f = await loadIntentFile(path.resolve(io.cwd, (args.positionals.dir as string | undefined) ?? '.'));
  const catalog = loadCatalog();
  const move: Move = verb === 'start'
    ? startMove(f.intent, catalog, makePlan(f.intent, args, io), revision as string, f.locate)
    : finishMove(f.intent, verb, f.locate);
  const text = applyMoveToText(f.file, f.text, f.docIndex, move);
  const dryRun = args.values['dry-run'] === true;
  if (dryRun) io.stdout(fileContents(f, text));
  else await writeIntentFile(f, text);
  const done = dryRun ? `would edit ${f.file} (dry run, nothing written)` : `edited ${f.file}`;
  io.stderr(`${done}:\n${describeMove(move).map((l) => `  ${l}`).join('\n')}\nnext:\n${nextSteps(move).map((l) => `  ${l}`).join('\n')}\n`);
  return 0;
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

function nextSteps(move: Move): string[] {
  const kept = move.after[move.after.length - 1] as string;
  if (move.verb === 'start') {
    return [
      `commit and sync: Meshplane renders istiod-${kept} and istio-shared-configmap-${kept} from the same spec.meshConfig`,
      `move namespaces to ${kept} (label istio.io/rev=${kept}, or point a tag in spec.tags at it) and restart their workloads`,
      'then `meshplane upgrade complete` to keep the new revision, or `meshplane upgrade rollback` to go back',
    ];
  }
  return [`commit and sync: the ${move.verb === 'complete' ? 'old' : 'canary'} revision's objects are pruned`, `make sure no namespace label istio.io/rev still names a removed revision, then restart workloads that ran on it`];
}

function usage(verb: string, message: string): MeshplaneError {
  return new MeshplaneError('usage', `meshplane upgrade ${verb}: ${message}`, [], 'run `meshplane upgrade --help`');
}
