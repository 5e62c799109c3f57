/** `meshplane fleet <dir>`: one line per cluster of a fleet tree (revisions, support windows, upgrade, guardrails). */
import path from 'node:path';
import { clockFrom } from '../../flows/check-inputs.js';
import { MeshplaneError } from '../../core/errors.js';
import { runFleet } from '../../fleet/fleet.js';
import { formatFleetHtml } from '../../fleet/format-html.js';
import { formatFleetMarkdown } from '../../fleet/format-markdown.js';
import { formatFleetText } from '../../fleet/format-text.js';
import { fleetExitCode, type FleetReport } from '../../fleet/report.js';
import { choice, parseFlags, type FlagSpec } from '../args.js';
import type { Command } from '../command.js';
import { reportError, type Io } from '../io.js';

/** The output formats, each a function of the report. */
const FORMATS = {
  text: formatFleetText,
  json: (r: FleetReport) => `${JSON.stringify(r, null, 2)}\n`,
  markdown: formatFleetMarkdown,
  html: formatFleetHtml,
} as const;

type Format = keyof typeof FORMATS;

/** The flags of `meshplane fleet`, declared once (help and parsing read this). */
export const FLEET_FLAGS = {
  output: { type: 'string', short: 'o', default: 'text', description: 'report format: text, json, markdown or html (a self-contained page with a support timeline)' },
  now: { type: 'string', description: 'the date end of life, exceptions and upgrades are decided for (YYYY-MM-DD; default: today, UTC)' },
  render: { type: 'boolean', default: false, description: 'evaluate the templates too, so each verdict is exactly `meshplane check`\'s (slower: one render per cluster)' },
} as const;

/** FLEET_FLAGS as node's parseArgs takes them (without defaults and descriptions). */
function parseSpec(): FlagSpec {
  const spec: FlagSpec = {};
  for (const [name, f] of Object.entries(FLEET_FLAGS)) spec[name] = 'short' in f ? { type: f.type, short: f.short } : { type: f.type };
  return spec;
}

/** The fleet command. */
export const fleetCommand: Command = {
  name: 'fleet',
  summary: 'report every cluster of a fleet folder: revisions, end of life, upgrade, guardrails (exit 1 when one needs action)',
  usage: 'meshplane fleet <dir> [--output text|json|markdown|html] [--now YYYY-MM-DD] [--render]',
  examples: ['meshplane fleet clusters', 'meshplane fleet clusters -o html > fleet.html', 'meshplane fleet . --output json --now 2027-01-31'],
  async run(argv: string[], io: Io): Promise<number> {
    try {
      const { values, positionals } = parseFlags('fleet', argv, parseSpec());
      const output: Format = choice('fleet', 'output', values.output, Object.keys(FORMATS) as Format[], FLEET_FLAGS.output.default);
      const [dir, extra] = positionals;
      if (dir === undefined) throw new MeshplaneError('usage', 'meshplane fleet: name the folder that holds the cluster folders', [], 'e.g. `meshplane fleet clusters`');
      if (extra !== undefined) throw new MeshplaneError('usage', `meshplane fleet: unexpected argument "${extra}"`, [], 'run `meshplane fleet --help`');
      const report = await runFleet({ root: path.resolve(io.cwd, dir), now: clockFrom('fleet', values.now), render: values.render === true });
      io.stdout(FORMATS[output](report));
      return fleetExitCode(report);
    } catch (err) {
      return reportError(io, err);
    }
  },
};
