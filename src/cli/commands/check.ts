/** `meshplane check [dir]`: render the mesh, run every guardrail, print the report (stdout). */
import path from 'node:path';
import { check, hasErrors } from '../../core/check.js';
import { exitCodeFor } from '../../core/exit-codes.js';
import { render } from '../../core/render.js';
import { formatNames, formatterFor } from '../../output/index.js';
import { readSourceTree } from '../../pipeline/load.js';
import { choice, parseFlags } from '../args.js';
import { clockFrom, kubeApiVersions, meshplaneVersion } from '../../core/check-inputs.js';
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
      const now = clockFrom('check', values.now);
      const dir = path.resolve(io.cwd, positionals[0] ?? '.');
      const files = await readSourceTree(dir);
      const result = await render({ files, env: { KUBE_VERSION: io.env.KUBE_VERSION, kubeVersionFlag: values['kube-version'] as string | undefined, now } });
      printNotices(io, result.notices, values.verbose === true);
      const apis = kubeApiVersions(io.env);
      const report = check(result, apis ? { now, kubeApiVersions: apis } : { now });
      const color = output === 'text' && io.isTTY && !io.env.NO_COLOR;
      io.stdout(formatterFor(output).format(report, { color, version: meshplaneVersion() }));
      return exitCodeFor({ kind: hasErrors(report) ? 'violations' : 'clean' });
    } catch (err) {
      return reportError(io, err);
    }
  },
};
