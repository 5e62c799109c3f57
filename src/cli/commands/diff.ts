/** `meshplane diff --base <dir|rev> --head <dir|rev>`: render both sides and compare them per resource. */
import { MeshplaneError } from '../../core/errors.js';
import { clusterEnv, runDiff } from '../../flows/flows.js';
import { formatJson } from '../../diff/format-json.js';
import { formatMarkdown } from '../../diff/format-markdown.js';
import { formatText } from '../../diff/format-text.js';
import { readSide, type Side } from '../../diff/sides.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadCatalogFrom, type Catalog } from '../../catalog/catalog.js';
import { describeFsError } from '../../core/read-input.js';
import type { Handler } from '../spec.js';
import { printNotices, type Io } from '../io.js';

/** The diff handler (flags: the `diff` entry of the command table). */
export const runDiffCommand: Handler = async (args, io) => {
  const { values } = args;
  const context = contextLines(values.context);
  const baseCatalog = readCatalogFlag('base-catalog', values['base-catalog'], io.cwd);
  const headCatalog = readCatalogFlag('head-catalog', values['head-catalog'], io.cwd);
  const sideValues: Record<string, unknown> = { ...values };
  if (baseCatalog && sideValues.base === undefined) sideValues.base = sideValues.head;
  if (headCatalog && sideValues.head === undefined) sideValues.head = sideValues.base;
  const sides = await readBoth(sideValues, io);
  const { report, notices, exitCode } = await runDiff({
    base: sides[0], head: sides[1], env: clusterEnv(io.env), kubeVersion: args.given.has('kube-version') ? (values['kube-version'] as string) : undefined,
    now: values.now as string | undefined, context, showNoise: values['show-noise'] === true, exitZero: values['exit-zero'] === true, baseCatalog, headCatalog,
  });
  printNotices(io, notices, values.verbose === true);
  const output = values.output;
  io.stdout(output === 'json' ? formatJson(report) : output === 'markdown' ? formatMarkdown(report) : formatText(report, { colour: args.color.stdout }));
  return exitCode;
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
