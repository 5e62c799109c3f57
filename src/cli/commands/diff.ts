/** `meshplane diff --base <dir|rev> --head <dir|rev>`: render both sides and compare them per resource. */
import { diffObjects } from '../../core/diff.js';
import { exitCodeFor } from '../../core/exit-codes.js';
import { MeshplaneError } from '../../core/errors.js';
import { render, type RenderResult } from '../../core/render.js';
import type { KubeObject } from '../../core/types.js';
import type { RenderEnv } from '../../pipeline/resolve.js';
import { formatJson } from '../../diff/format-json.js';
import { formatMarkdown } from '../../diff/format-markdown.js';
import { formatText } from '../../diff/format-text.js';
import { headGuardrails } from '../../diff/guardrails.js';
import { NOISE_RULES } from '../../diff/noise.js';
import type { DiffReport } from '../../diff/report.js';
import { readSide, type Side } from '../../diff/sides.js';
import { choice, parseFlags } from '../args.js';
import type { Command } from '../command.js';
import { printNotices, reportError, type Io } from '../io.js';
import { clockFrom, kubeApiVersions } from '../../core/check-inputs.js';

const OUTPUTS = ['text', 'markdown', 'json'] as const;
const COLOURS = ['auto', 'always', 'never'] as const;

/** The diff command. */
export const diffCommand: Command = {
  name: 'diff',
  summary: 'render two versions of a mesh (folders or git revisions) and show what changes, per resource',
  usage: 'meshplane diff --base <dir|rev> --head <dir|rev> [--path <app folder>] [--output text|markdown|json] [--exit-zero] [--show-noise] [--context N] [--color auto|always|never] [--kube-version 1.32] [--now YYYY-MM-DD]',
  examples: [
    'meshplane diff --base origin/main --head HEAD --path clusters/prod/mesh',
    'meshplane diff --base examples/single-revision --head examples/canary --output markdown',
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
      });
      const output = choice('diff', 'output', values.output, OUTPUTS, 'text');
      const colour = choice('diff', 'color', values.color, COLOURS, 'auto');
      const context = contextLines(values.context);
      const sides = await readBoth(values, io);
      const now = clockFrom('diff', values.now);
      const env = { KUBE_VERSION: io.env.KUBE_VERSION, kubeVersionFlag: values['kube-version'] as string | undefined, now };
      const base = await renderSide(sides[0], 'base', io, env, values.verbose === true);
      const head = await renderSide(sides[1], 'head', io, env, values.verbose === true);
      const showNoise = values['show-noise'] === true;
      const result = diffObjects(base.objects, head.objects, { context, noise: showNoise ? [] : NOISE_RULES });
      const report: DiffReport = { base: sides[0].label, head: sides[1].label, result, guardrails: headGuardrails(head.render, { now, kubeApiVersions: kubeApiVersions(io.env) }), noiseShown: showNoise };
      const useColour = colour === 'always' || (colour === 'auto' && io.isTTY && !io.env.NO_COLOR);
      io.stdout(output === 'json' ? formatJson(report) : output === 'markdown' ? formatMarkdown(report) : formatText(report, { colour: useColour }));
      return exitCodeFor({ kind: 'diff', changed: result.resources.length > 0, exitZero: values['exit-zero'] === true });
    } catch (err) {
      return reportError(io, err);
    }
  },
};

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

interface RenderedSide {
  render: RenderResult | undefined;
  objects: KubeObject[];
}

async function renderSide(side: Side, role: 'base' | 'head', io: Io, env: RenderEnv, verbose: boolean): Promise<RenderedSide> {
  if (!side.files) return { render: undefined, objects: [] };
  try {
    const result = await render({ files: side.files, env });
    printNotices(io, result.notices.map((n) => ({ ...n, message: `${role}: ${n.message}` })), verbose);
    return { render: result, objects: result.objects.map((o) => o.object) };
  } catch (err) {
    if (err instanceof MeshplaneError) throw new MeshplaneError(err.code, `${role} (${side.label}): ${err.message}`, err.details, err.hint);
    throw err;
  }
}
