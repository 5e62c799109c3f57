/** `meshplane check [dir]`: render the mesh, run every guardrail, print the report (stdout). */
import path from 'node:path';
import { clusterEnv, runCheck } from '../../flows/flows.js';
import { formatNames, formatterFor } from '../../output/index.js';
import { readSourceTree } from '../../pipeline/load.js';
import { choice, parseFlags } from '../args.js';
import { meshplaneVersion } from '../../flows/check-inputs.js';
import type { Command } from '../command.js';
import { printNotices, reportError, type Io } from '../io.js';

/** The check command. */
export const checkCommand: Command = {
  name: 'check',
  summary: 'check a mesh source against the guardrails and print a report (exit 1 on error findings)',
  usage: 'meshplane check [dir] [--output text|json|sarif|junit|markdown] [--now YYYY-MM-DD] [--kube-version 1.32] [--verbose]',
  examples: ['meshplane check examples/canary', 'meshplane check . --output sarif > meshplane.sarif', 'KUBE_API_VERSIONS=v1,apps/v1 meshplane check . --now 2027-01-31 --output junit'],
  async run(argv: string[], io: Io): Promise<number> {
    try {
      const { values, positionals } = parseFlags('check', argv, {
        output: { type: 'string', short: 'o' },
        now: { type: 'string' },
        'kube-version': { type: 'string' },
        verbose: { type: 'boolean' },
      });
      const output = choice('check', 'output', values.output, formatNames(), 'text');
      const dir = path.resolve(io.cwd, positionals[0] ?? '.');
      const files = await readSourceTree(dir);
      const { report, notices, exitCode } = await runCheck({ files, env: clusterEnv(io.env), kubeVersion: values['kube-version'] as string | undefined, now: values.now as string | undefined });
      printNotices(io, notices, values.verbose === true);
      const color = output === 'text' && io.isTTY && !io.env.NO_COLOR;
      io.stdout(formatterFor(output).format(report, { color, version: meshplaneVersion() }));
      return exitCode;
    } catch (err) {
      return reportError(io, err);
    }
  },
};
