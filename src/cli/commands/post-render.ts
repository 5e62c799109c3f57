/**
 * `meshplane post-render`: the Helm post-renderer contract. All manifests on stdin, the checked
 * manifests (canonical YAML) on stdout; any violation or error → non-zero exit and nothing on stdout.
 */
import path from 'node:path';
import { MeshplaneError } from '../../core/errors.js';
import { exitCodeFor } from '../../core/exit-codes.js';
import { clusterEnv, runPostRender } from '../../flows/flows.js';
import type { SourceFile } from '../../core/types.js';
import { readRegularFile } from '../../core/read-input.js';
import { terminalSafe } from '../../core/terminal-text.js';
import { decodeUtf8, DEFAULT_LOAD_LIMITS } from '../../pipeline/load.js';
import { parseFlags } from '../args.js';
import type { Command } from '../command.js';
import { printNotices, reportError, type Io } from '../io.js';

/** The post-render command. */
export const postRenderCommand: Command = {
  name: 'post-render',
  summary: 'Helm post-renderer: check the manifests on stdin against the guardrails and print them (stdout)',
  usage: 'meshplane post-render [--intent <mesh.yaml> (or MESHPLANE_INTENT) | --revision <rev>... [--tag <name>=<rev>...]] [--kube-version 1.32] [--label-revision <rev>] [--now YYYY-MM-DD] [--verbose]',
  examples: [
    'helm template shop ./chart | meshplane post-render --intent clusters/prod/mesh.yaml',
    'helm template shop ./chart | meshplane post-render --revision asm-1-28 --kube-version 1.32 --label-revision asm-1-28',
  ],
  async run(argv: string[], io: Io): Promise<number> {
    try {
      const { values, positionals } = parseFlags('post-render', argv, {
        intent: { type: 'string' },
        revision: { type: 'string', multiple: true },
        tag: { type: 'string', multiple: true },
        'kube-version': { type: 'string' },
        'label-revision': { type: 'string' },
        now: { type: 'string' },
        verbose: { type: 'boolean' },
      });
      if (positionals.length > 0) throw new MeshplaneError('usage', `meshplane post-render: unexpected argument "${positionals[0]}"`, [], 'the manifests come on stdin; pass the mesh with --intent <mesh.yaml>');
      const intentPath = typeof values.intent === 'string' ? values.intent : io.env.MESHPLANE_INTENT || undefined;
      const intentFile = intentPath !== undefined ? await readIntent(path.resolve(io.cwd, intentPath), intentPath) : undefined;
      const result = await runPostRender({
        manifests: await io.readStdin(DEFAULT_LOAD_LIMITS.maxTotalBytes), intent: intentFile, revisions: (values.revision as string[] | undefined) ?? [], tags: (values.tag as string[] | undefined) ?? [],
        env: clusterEnv(io.env), kubeVersion: values['kube-version'] as string | undefined, labelRevision: values['label-revision'] as string | undefined, now: values.now as string | undefined,
      });
      printNotices(io, result.notices, values.verbose === true);
      printViolations(io, result.violations);
      if (result.output === undefined) return exitCodeFor({ kind: 'violations' });
      io.stdout(result.output);
      return exitCodeFor({ kind: 'clean' });
    } catch (err) {
      return reportError(io, err);
    }
  },
};

/** Reads --intent through the shared reader: a regular file only, bounded like one source file. */
async function readIntent(abs: string, given: string): Promise<SourceFile> {
  const buf = await readRegularFile(abs, { shown: `--intent ${given}`, fix: 'pass the path of the mesh.yaml that describes the cluster this release goes to' }, DEFAULT_LOAD_LIMITS.maxFileBytes);
  return { path: given, text: decodeUtf8(buf, given) };
}

function printViolations(io: Io, violations: ReadonlyArray<{ severity: string; ruleId: string; resource: string; where?: { file: string; line: number; column: number }; message: string; remediation: string }>): void {
  for (const v of violations) {
    const at = v.where ? `${v.where.file}:${v.where.line}:${v.where.column}: ` : '';
    io.stderr(`${v.severity}[${v.ruleId}]: ${terminalSafe(`${at}${v.resource}: ${v.message}`)}\n  fix: ${terminalSafe(v.remediation)}\n`);
  }
}
