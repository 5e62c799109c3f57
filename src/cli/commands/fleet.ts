/** `meshplane fleet <dir>`: one line per cluster of a fleet tree (revisions, support windows, upgrade, guardrails). */
import path from 'node:path';
import { clockFrom } from '../../flows/check-inputs.js';
import { runFleet } from '../../fleet/fleet.js';
import { formatFleetHtml } from '../../fleet/format-html.js';
import { formatFleetMarkdown } from '../../fleet/format-markdown.js';
import { formatFleetText } from '../../fleet/format-text.js';
import { fleetExitCode, type FleetReport } from '../../fleet/report.js';
import type { Handler } from '../spec.js';

/** The output formats, each a function of the report. */
const FORMATS = {
  text: formatFleetText,
  json: (r: FleetReport) => `${JSON.stringify(r, null, 2)}\n`,
  markdown: formatFleetMarkdown,
  html: formatFleetHtml,
} as const;

type Format = keyof typeof FORMATS;

/** The fleet handler (flags: the `fleet` entry of the command table). */
export const runFleetCommand: Handler = async (args, io) => {
  const output = args.values.output as Format;
  const dir = args.positionals.dir as string;
  const report = await runFleet({ root: path.resolve(io.cwd, dir), now: clockFrom('fleet', args.values.now as string | undefined), render: args.values.render === true });
  io.stdout(FORMATS[output](report));
  return fleetExitCode(report);
};
