/** `meshplane check [dir]`: render the mesh, run every guardrail, print the report (stdout). */
import path from 'node:path';
import { clusterEnv, runCheck } from '../../flows/flows.js';
import { EXIT } from '../../core/exit-codes.js';
import { formatterFor, type ReportFormat } from '../../output/index.js';
import { readSourceTree } from '../../pipeline/load.js';
import { meshplaneVersion } from '../../flows/check-inputs.js';
import { reportOnStderr } from '../check-support.js';
import type { Handler } from '../spec.js';
import { printNotices } from '../io.js';

/** The check handler (flags: the `check` entry of the command table). */
export const runCheckCommand: Handler = async (args, io) => {
  const { values } = args;
  const output = values.output as ReportFormat;
  const dir = path.resolve(io.cwd, (args.positionals.dir as string | undefined) ?? '.');
  const files = await readSourceTree(dir);
  const kubeVersion = args.given.has('kube-version') ? (values['kube-version'] as string) : undefined;
  const { report, notices, exitCode } = await runCheck({ files, env: clusterEnv(io.env), kubeVersion, now: values.now as string | undefined });
  printNotices(io, notices, values.verbose === true);
  // Exit 2 (nothing could be rendered, e.g. an unknown revision): the report goes to stderr, stdout stays empty.
  if (exitCode === EXIT.error) {
    reportOnStderr(io, report, args.color.stderr);
    return exitCode;
  }
  const color = output === 'text' && args.color.stdout;
  io.stdout(formatterFor(output).format(report, { color, version: meshplaneVersion() }));
  return exitCode;
};
