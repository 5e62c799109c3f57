/** `meshplane generate [dir]`: render the mesh in a source folder and print the manifests. */
import path from 'node:path';
import { completePlan, GENERATE_FORMATS } from '../../flows/generate.js';
import { reportOnStderr, worthShowing } from '../check-support.js';
import { generateVia, serverTarget } from '../remote-generate.js';
import { readSourceTree } from '../../pipeline/load.js';
import { outputFiles, writeOutputDir } from '../../integrations/flux/output-dir.js';
import { readArgoInputs } from '../../integrations/argocd/inputs.js';
import { choice, parseFlags } from '../args.js';
import type { Command } from '../command.js';
import { printNotices, reportError, type Io } from '../io.js';

/** The generate command. */
export const generateCommand: Command = {
  name: 'generate',
  summary: 'render the mesh intent in a folder into Kubernetes manifests (stdout)',
  usage: 'meshplane generate [dir] [--kube-version 1.32] [--format yaml|json] [--now YYYY-MM-DD] [--output-dir <dir> [--force]] [--server URL] [--verbose]',
  examples: ['meshplane generate examples/canary', 'KUBE_VERSION=v1.32.3 meshplane generate .', 'meshplane generate . --server http://127.0.0.1:8686'],
  async run(argv: string[], io: Io): Promise<number> {
    try {
      const { values, positionals } = parseFlags('generate', argv, {
        'kube-version': { type: 'string' },
        format: { type: 'string' },
        now: { type: 'string' },
        verbose: { type: 'boolean' },
        'output-dir': { type: 'string' },
        force: { type: 'boolean' },
        server: { type: 'string' },
      });
      const format = choice('generate', 'format', values.format, GENERATE_FORMATS, 'yaml');
      // Argo CD: Application parameters → intent overrides, ARGOCD_ENV_MESHPLANE_* options (docs/argocd.md).
      const argo = readArgoInputs(io.env);
      if (argo.provenance) io.stderr(`${argo.provenance}\n`);
      printNotices(io, argo.notices, false);
      const plan = completePlan(argo, { format, kubeVersion: values['kube-version'] as string | undefined, now: values.now as string | undefined });
      const server = await serverTarget(values.server, io.env);
      const dir = path.resolve(io.cwd, positionals[0] ?? '.');
      const files = await readSourceTree(dir);
      const outputDir = values['output-dir'];
      // The shared core (src/flows/generate.ts), in-process or on a Meshplane server (docs/server.md).
      const result = await generateVia(server, files, io.env, plan, { emit: typeof outputDir !== 'string', warn: (line) => io.stderr(line) });
      printNotices(io, result.notices, values.verbose === true || argo.verbose);
      // The guardrails: an error-severity finding fails the sync with the report on stderr and nothing on stdout.
      if (worthShowing(result.report)) reportOnStderr(io, result.report);
      if (result.exitClass === 'violations') return result.exitCode;
      const objects = result.objects;
      // --output-dir: one file per object + kustomization.yaml, for Flux (docs/flux.md); nothing on stdout.
      if (typeof outputDir === 'string') {
        await writeOutputDir(path.resolve(io.cwd, outputDir), outputFiles(objects), { force: values.force === true });
        io.stderr(`wrote ${objects.length} objects and kustomization.yaml to ${outputDir}\n`);
        return 0;
      }
      io.stdout(result.output ?? '');
      return 0;
    } catch (err) {
      return reportError(io, err);
    }
  },
};
