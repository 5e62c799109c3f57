/** `meshplane generate [dir]`: render the mesh in a source folder and print the manifests. */
import path from 'node:path';
import { completePlan, type GenerateFormat } from '../../flows/generate.js';
import { reportOnStderr, worthShowing } from '../check-support.js';
import { generateVia, serverTarget } from '../remote-generate.js';
import { readSourceTree } from '../../pipeline/load.js';
import { outputFiles, writeOutputDir } from '../../integrations/flux/output-dir.js';
import { readArgoInputs } from '../../integrations/argocd/inputs.js';
import type { Handler } from '../spec.js';
import { printNotices } from '../io.js';
import { recordStartAhead } from '../start-ahead-record.js';

/** The generate handler (flags: the `generate` entry of the command table). */
export const runGenerateCommand: Handler = async (args, io) => {
  const { values } = args;
  // Argo CD: Application parameters → intent overrides, ARGOCD_ENV_MESHPLANE_* options (docs/argocd.md).
  const argo = readArgoInputs(io.env);
  if (argo.provenance) io.stderr(`${argo.provenance}\n`);
  printNotices(io, argo.notices, false);
  // Only the command-line value: the render merges it with KUBE_VERSION and mesh.yaml (docs/cli.md).
  const kubeVersion = args.given.has('kube-version') ? (values['kube-version'] as string) : undefined;
  const plan = completePlan(argo, { format: values.output as GenerateFormat, kubeVersion, now: values.now as string | undefined });
  const server = await serverTarget(values.server, io.env);
  const dir = path.resolve(io.cwd, (args.positionals.dir as string | undefined) ?? '.');
  // Synchronous reads: nothing else runs meanwhile, and the evaluation started ahead holds a core (WalkOptions.io).
  const files = await readSourceTree(dir, undefined, { io: 'sync' });
  const outputDir = values['output-dir'];
  // The shared core (src/core/generate.ts), in-process or on a Meshplane server (docs/server.md).
  const result = await generateVia(server, files, io.env, plan, { emit: typeof outputDir !== 'string', warn: (line) => io.stderr(line) });
  printNotices(io, result.notices, values.verbose === true || argo.verbose);
  // Its evaluation is on disk now (or none was needed): the next generate asked the same need not start one ahead.
  recordStartAhead(io.cwd, dir, result.inputFiles ?? []);
  // The guardrails: an error-severity finding fails the sync with the report on stderr and nothing on stdout.
  if (worthShowing(result.report)) reportOnStderr(io, result.report, args.color.stderr);
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
};
