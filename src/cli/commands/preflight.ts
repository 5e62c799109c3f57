/** `meshplane preflight [dir]`: check the live cluster for what only it knows, before a sync. */
import path from 'node:path';
import { MeshplaneError } from '../../core/errors.js';
import { exitCodeFor } from '../../core/exit-codes.js';
import { formatJson, formatText, REPORT_FORMATS } from '../../integrations/preflight/report.js';
import { choice, parseFlags } from '../args.js';
import type { Command } from '../command.js';
import { printNotices, reportError, type Io } from '../io.js';

/** Longest per-request deadline accepted: a hook Job should fail long before Argo CD gives up. */
const MAX_TIMEOUT_SECONDS = 600;

function timeoutMs(value: unknown): number {
  if (value === undefined) return 30_000;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > MAX_TIMEOUT_SECONDS) {
    throw new MeshplaneError('usage', `meshplane preflight: --timeout must be a number of seconds between 0 and ${MAX_TIMEOUT_SECONDS} (got "${String(value)}")`, [], 'e.g. --timeout 20');
  }
  return n * 1000;
}

/** The preflight command. */
export const preflightCommand: Command = {
  name: 'preflight',
  summary: 'check the live cluster before a sync: OSM, the managed AKS add-on, foreign Istio, Kubernetes version, Windows/virtual-node workloads, downgrades',
  usage: 'meshplane preflight [dir] [--kubeconfig PATH] [--context NAME] [--output text|json] [--timeout SECONDS] [--verbose]',
  examples: ['meshplane preflight examples/canary --context prod-aks', 'meshplane preflight . --kubeconfig ~/.kube/prod --output json'],
  async run(argv: string[], io: Io): Promise<number> {
    try {
      const { values, positionals } = parseFlags('preflight', argv, {
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        output: { type: 'string' },
        timeout: { type: 'string' },
        verbose: { type: 'boolean' },
      });
      const output = choice('preflight', 'output', values.output, REPORT_FORMATS, 'text');
      // Loaded here, not at the top: the cluster client costs ~1 s of CPU to import, which
      // `--help` and the command registry should not pay.
      const { hasErrors, runPreflight } = await import('../../integrations/preflight/run.js');
      const report = await runPreflight({
        dir: path.resolve(io.cwd, positionals[0] ?? '.'),
        env: io.env,
        timeoutMs: timeoutMs(values.timeout),
        ...(typeof values.kubeconfig === 'string' ? { kubeconfig: path.resolve(io.cwd, values.kubeconfig) } : {}),
        ...(typeof values.context === 'string' ? { context: values.context } : {}),
      });
      printNotices(io, report.notices, values.verbose === true);
      if (values.verbose === true) io.stderr(`info: ${report.requests} API requests in ${report.timings.clusterMs} ms; preflight took ${report.timings.totalMs} ms\n`);
      io.stdout(output === 'json' ? formatJson(report) : formatText(report));
      return exitCodeFor({ kind: hasErrors(report) ? 'violations' : 'clean' });
    } catch (err) {
      return reportError(io, err);
    }
  },
};
