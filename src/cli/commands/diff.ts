/** `meshplane diff --base <dir|rev> --head <dir|rev>`: render both sides and compare them per resource. */
import { MeshplaneError } from '../../core/errors.js';
import { clusterEnv, runDiff } from '../../core/flows.js';
import { formatJson } from '../../diff/format-json.js';
import { formatMarkdown } from '../../diff/format-markdown.js';
import { formatText } from '../../diff/format-text.js';
import { readSide, type Side } from '../../diff/sides.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadCatalogFrom, type Catalog } from '../../catalog/catalog.js';
import { describeFsError } from '../../core/read-input.js';
import { choice, parseFlags } from '../args.js';
import { parserSpec } from './lock.js';
import type { Command } from '../command.js';
import { printNotices, reportError, type Io } from '../io.js';

const OUTPUTS = ['text', 'markdown', 'json'] as const;

/** Flags added for reviewing a Meshplane upgrade (help text with them; the lead folds them into the command table). */
export const DIFF_CATALOG_FLAGS = {
  'base-catalog': { type: 'string', description: 'render the base side with this catalog folder (the catalog/ of another Meshplane release, or the release\'s root folder) instead of the running one; --base defaults to --head, so the diff is exactly what the catalog change does' },
  'head-catalog': { type: 'string', description: 'render the head side with this catalog folder instead of the running one (e.g. a candidate catalog); --head defaults to --base' },
} as const;
const COLOURS = ['auto', 'always', 'never'] as const;

/** The diff command. */
export const diffCommand: Command = {
  name: 'diff',
  summary: 'render two versions of a mesh (folders or git revisions) and show what changes, per resource',
  usage: 'meshplane diff --base <dir|rev> --head <dir|rev> [--path <app folder>] [--base-catalog <dir>] [--head-catalog <dir>] [--output text|markdown|json] [--exit-zero] [--show-noise] [--context N] [--color auto|always|never] [--kube-version 1.32] [--now YYYY-MM-DD]',
  examples: [
    'meshplane diff --base origin/main --head HEAD --path clusters/prod/mesh',
    'meshplane diff --base examples/single-revision --head examples/canary --output markdown',
    'meshplane diff --head clusters/prod/mesh --base-catalog old-meshplane/package/catalog --output markdown',
  ],
  async run(argv: string[], io: Io): Promise<number> {
    try {
      const { values } = parseFlags('diff', argv, {
        base: { type: 'string' },
        head: { type: 'string' },
        path: { type: 'string' },
        output: { type: 'string' },
        'exit-zero': { type: 'boolean' },
        'show-noise': { type: 'boolean' },
        context: { type: 'string' },
        color: { type: 'string' },
        'kube-version': { type: 'string' },
        now: { type: 'string' },
        verbose: { type: 'boolean' },
        ...parserSpec(DIFF_CATALOG_FLAGS),
      });
      const baseCatalog = readCatalogFlag('base-catalog', values['base-catalog'], io.cwd);
      const headCatalog = readCatalogFlag('head-catalog', values['head-catalog'], io.cwd);
      if (baseCatalog && values.base === undefined) values.base = values.head;
      if (headCatalog && values.head === undefined) values.head = values.base;
      const output = choice('diff', 'output', values.output, OUTPUTS, 'text');
      const colour = choice('diff', 'color', values.color, COLOURS, 'auto');
      const context = contextLines(values.context);
      const sides = await readBoth(values, io);
      const { report, notices, exitCode } = await runDiff({
        base: sides[0], head: sides[1], env: clusterEnv(io.env), kubeVersion: values['kube-version'] as string | undefined,
        now: values.now as string | undefined, context, showNoise: values['show-noise'] === true, exitZero: values['exit-zero'] === true, baseCatalog, headCatalog,
      });
      printNotices(io, notices, values.verbose === true);
      const useColour = colour === 'always' || (colour === 'auto' && io.isTTY && !io.env.NO_COLOR);
      io.stdout(output === 'json' ? formatJson(report) : output === 'markdown' ? formatMarkdown(report) : formatText(report, { colour: useColour }));
      return exitCode;
    } catch (err) {
      return reportError(io, err);
    }
  },
};

/** The catalog of `--base-catalog`/`--head-catalog`: the folder itself, or its catalog/ subfolder (a Meshplane install's root). */
function readCatalogFlag(flag: string, raw: unknown, cwd: string): Catalog | undefined {
  if (raw === undefined) return undefined;
  const given = String(raw);
  const dir = path.resolve(cwd, given);
  const folder = existsSync(path.join(dir, 'revisions.yaml')) ? dir : path.join(dir, 'catalog');
  try {
    return loadCatalogFrom(folder);
  } catch (err) {
    throw new MeshplaneError('usage', `meshplane diff: --${flag} ${given}: cannot read revisions.yaml and istio-crds.yaml there (${describeFsError(err)})`, [], 'pass the catalog/ folder of another Meshplane release, e.g. from `npm pack meshplane@0.1.0` unpacked: package/catalog');
  }
}

function contextLines(raw: unknown): number {
  if (raw === undefined) return 3;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 1000) throw new MeshplaneError('usage', `meshplane diff: --context must be a whole number from 0 to 1000 (got "${String(raw)}")`, [], 'e.g. --context 5');
  return n;
}

async function readBoth(values: Record<string, unknown>, io: Io): Promise<[Side, Side]> {
  for (const flag of ['base', 'head']) {
    if (typeof values[flag] !== 'string' || values[flag] === '') throw new MeshplaneError('usage', `meshplane diff: --${flag} is required`, [], 'e.g. meshplane diff --base origin/main --head HEAD --path clusters/prod/mesh');
  }
  const subPath = values.path as string | undefined;
  const opts = { cwd: io.cwd, subPath, env: io.env };
  const base = await readSide(values.base as string, { ...opts, role: 'base' });
  const head = await readSide(values.head as string, { ...opts, role: 'head' });
  if (!base.files && !head.files) {
    throw new MeshplaneError('usage', `meshplane diff: ${subPath ?? 'the app folder'} exists on neither side (${base.label}, ${head.label})`, [], 'check --path: it is relative to the repository root for revisions and to the folder for directories');
  }
  for (const [side, role] of [[base, 'base'], [head, 'head']] as const) {
    if (!side.files) io.stderr(`warning: ${role} ${side.label}: the app folder does not exist there; comparing against an empty ${role}\n`);
  }
  return [base, head];
}
