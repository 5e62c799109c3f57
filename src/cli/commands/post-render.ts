/**
 * `meshplane post-render`: the Helm post-renderer contract. All manifests on stdin, the checked
 * manifests (canonical YAML) on stdout; any violation or error → non-zero exit and nothing on
 * stdout. With --report-file (or MESHPLANE_REPORT_FILE), what goes to stderr is also written to a
 * file: Helm 4 never shows a post-renderer plugin's stderr.
 */
import path from 'node:path';
import { exitCodeFor } from '../../core/exit-codes.js';
import { formatPosition } from '../../core/errors.js';
import { clusterEnv, runPostRender } from '../../flows/flows.js';
import type { SourceFile } from '../../core/types.js';
import { readRegularFile } from '../../core/read-input.js';
import { terminalSafe } from '../../core/terminal-text.js';
import { decodeUtf8, DEFAULT_LOAD_LIMITS } from '../../pipeline/load.js';
import type { Violation } from '../../rules/types.js';
import type { Args, Handler } from '../spec.js';
import { printNotices, type Io } from '../io.js';
import { withReportFile } from '../report-file.js';

/** The post-render handler (flags: the `post-render` entry of the command table; MESHPLANE_INTENT sets --intent, MESHPLANE_REPORT_FILE --report-file). */
export const runPostRenderCommand: Handler = async (args, io) => {
  const reportFile = args.values['report-file'] as string | undefined;
  return reportFile === undefined ? postRenderOnce(args, io) : withReportFile('post-render', reportFile, io, (tee) => postRenderOnce(args, tee));
};

async function postRenderOnce(args: Args, io: Io): Promise<number> {
  const { values } = args;
  const intentPath = values.intent as string | undefined;
  const intentFile = intentPath !== undefined ? await readIntent(path.resolve(io.cwd, intentPath), intentPath) : undefined;
  const result = await runPostRender({
    manifests: await io.readStdin(DEFAULT_LOAD_LIMITS.maxTotalBytes), intent: intentFile, revisions: (values.revision as string[] | undefined) ?? [], tags: (values.tag as string[] | undefined) ?? [],
    env: clusterEnv(io.env), kubeVersion: args.given.has('kube-version') ? (values['kube-version'] as string) : undefined, labelRevision: values['label-revision'] as string | undefined, now: values.now as string | undefined,
  });
  printNotices(io, result.notices, values.verbose === true);
  printViolations(io, result.violations);
  if (result.output === undefined) return exitCodeFor({ kind: 'violations' });
  io.stdout(result.output);
  return exitCodeFor({ kind: 'clean' });
}

/** Reads --intent through the shared reader: a regular file only, bounded like one source file. */
async function readIntent(abs: string, given: string): Promise<SourceFile> {
  const buf = await readRegularFile(abs, { shown: `--intent ${given}`, fix: 'pass the path of the mesh.yaml that describes the cluster this release goes to' }, DEFAULT_LOAD_LIMITS.maxFileBytes);
  return { path: given, text: decodeUtf8(buf, given) };
}

/** One finding per block: `severity[rule]: <stdin>:line:column (template): resource: message`, then its fix. */
function printViolations(io: Io, violations: readonly Violation[]): void {
  for (const v of violations) {
    const at = v.where ? `${formatPosition(v.where)}: ` : '';
    io.stderr(`${v.severity}[${v.ruleId}]: ${terminalSafe(`${at}${v.resource}: ${v.message}`)}\n  fix: ${terminalSafe(v.remediation)}\n`);
  }
}
