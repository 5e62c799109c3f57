/**
 * `meshplane upgrade plan|start|complete|rollback|patch`: the GitOps form of `az aks mesh upgrade`.
 * `plan` prints a report; start/complete/rollback edit mesh.yaml in place (or print it with
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
import { fileContents, loadIntentFile, writeIntentFile } from '../../upgrade/intent-file.js';
import { readLockSource, writeLockFile } from '../../lock/lock-io.js';
import { applyBumpsToText, bumpedLock, planPatchBumps, pullRequestText, type PatchBump } from '../../lock/patch-bump.js';
import { describeMove, finishMove, startMove, type Move } from '../../upgrade/lifecycle.js';
import { formatPlanJson, formatPlanText } from '../../upgrade/plan-format.js';
import { planUpgrade, type UpgradePlan } from '../../upgrade/plan.js';
import { choice, parseFlags, type Parsed } from '../args.js';
import type { Command } from '../command.js';
import { printNotices, reportError, type Io } from '../io.js';

const SUBCOMMANDS = ['plan', 'start', 'complete', 'rollback', 'patch'] as const;
const OUTPUTS = ['text', 'json'] as const;

/** The upgrade command. */
export const upgradeCommand: Command = {
  name: 'upgrade',
  summary: 'plan, start, complete or roll back a canary revision upgrade (edits mesh.yaml in place); bump the locked Istio patch',
  usage: 'meshplane upgrade plan [dir] [--kube-version 1.32] [--now YYYY-MM-DD] [--output text|json]\n       meshplane upgrade start <revision> [dir] [--kube-version 1.32] [--now YYYY-MM-DD] [--dry-run]\n       meshplane upgrade complete|rollback [dir] [--dry-run]\n       meshplane upgrade patch [dir] [--dry-run] [--output text|json]   (edits meshplane.lock.yaml; prints a PR title and body)',
  examples: ['meshplane upgrade plan .', 'meshplane upgrade start asm-1-28 .', 'meshplane upgrade complete .', 'meshplane upgrade rollback . --dry-run', 'meshplane upgrade patch . --output json'],
  async run(argv: string[], io: Io): Promise<number> {
    try {
      const [sub, ...rest] = argv;
      const verb = SUBCOMMANDS.find((s) => s === sub);
      if (!verb) throw new MeshplaneError('usage', `meshplane upgrade: ${sub === undefined ? 'say what to do' : `unknown subcommand "${sub}"`}: plan, start <revision>, complete or rollback`, [], 'run `meshplane upgrade --help`');
      const flags = parseFlags(`upgrade ${verb}`, rest, {
        'kube-version': { type: 'string' },
        now: { type: 'string' },
        output: { type: 'string' },
        'dry-run': { type: 'boolean' },
      });
      if (verb === 'plan') return await runPlan(flags, io);
      if (verb === 'patch') return await runPatch(flags, io);
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

async function runMove(verb: 'start' | 'complete' | 'rollback', flags: Parsed, io: Io): Promise<number> {
  rejectFlags(verb, flags, verb === 'start' ? ['output'] : ['output', 'now', 'kube-version']);
  const [first, second, extra] = flags.positionals;
  const [revision, dir] = verb === 'start' ? [first, second] : [undefined, first];
  if (verb === 'start' && !/^asm-\d+-\d+$/.test(revision ?? '')) {
    throw usage(verb, `${revision === undefined ? 'name the revision to add' : `"${revision}" is not a revision name`}: the first argument is the revision, e.g. \`meshplane upgrade start asm-1-28 .\``);
  }
  if ((verb === 'start' ? extra : second) !== undefined) throw usage(verb, `unexpected argument "${verb === 'start' ? extra : second}"`);
  const f = await loadIntentFile(path.resolve(io.cwd, dir ?? '.'));
  const catalog = loadCatalog();
  const move: Move = verb === 'start'
    ? startMove(f.intent, catalog, makePlan(f.intent, flags, io), revision as string, f.locate)
    : finishMove(f.intent, verb, f.locate);
  const text = applyMoveToText(f.file, f.text, f.docIndex, move);
  if (flags.values['dry-run'] === true) io.stdout(fileContents(f, text));
  else await writeIntentFile(f, text);
  const done = flags.values['dry-run'] === true ? `would edit ${f.file} (dry run, nothing written)` : `edited ${f.file}`;
  io.stderr(`${done}:\n${describeMove(move).map((l) => `  ${l}`).join('\n')}\nnext:\n${nextSteps(move).map((l) => `  ${l}`).join('\n')}\n`);
  return 0;
}

async function runPatch(flags: Parsed, io: Io): Promise<number> {
  rejectFlags('patch', flags, ['now', 'kube-version']);
  const output = choice('upgrade patch', 'output', flags.values.output, OUTPUTS, 'text');
  const [dir, extra] = flags.positionals;
  if (extra !== undefined) throw usage('patch', `unexpected argument "${extra}"`);
  const src = await readLockSource(path.resolve(io.cwd, dir ?? '.'));
  if (!src.found || src.text === undefined) {
    throw new MeshplaneError('upgrade-refused', `meshplane upgrade patch: ${src.file} does not exist, so no patch is pinned yet`, [], `run \`meshplane lock${dir ? ` ${dir}` : ''}\` (it pins the newest patches) and commit the file`);
  }
  const revisions = src.intent.spec.mode === 'Istio' ? (src.intent.spec.istio?.revisions ?? []) : [];
  for (const name of revisions.filter((n) => !src.found?.lock.revisions[n])) io.stderr(`warning: ${name} is not pinned in ${src.file}; run \`meshplane lock\` to pin it\n`);
  const bumps = planPatchBumps(loadCatalog(), src.found.lock);
  const dryRun = flags.values['dry-run'] === true;
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

function rejectFlags(verb: string, flags: Parsed, names: string[]): void {
  const given = names.find((n) => flags.values[n] !== undefined);
  if (given) throw usage(verb, `--${given} does not apply to \`upgrade ${verb}\``);
}

function usage(verb: string, message: string): MeshplaneError {
  return new MeshplaneError('usage', `meshplane upgrade ${verb}: ${message}`, [], 'run `meshplane upgrade --help`');
}
