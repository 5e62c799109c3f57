/**
 * Stand-ins for the two ways Helm runs a post-renderer, each as the Helm source does it:
 *
 * - Helm 3 (`--post-renderer <executable>`, arguments from 3.9.0 on; helm v3.21.4
 *   pkg/postrender/exec.go): the binary is started with the `--post-renderer-args`, the rendered
 *   manifests go to its stdin, its stdout is the new stream, and a failure becomes
 *   `error while running command <path>. error output:\n<stderr>`, so the user sees stderr.
 * - Helm 4 (`--post-renderer <plugin name>`; helm v4.2.4 pkg/postrenderer/postrenderer.go and
 *   internal/plugin/runtime_subprocess.go, internal/plugin/subprocess_commands.go): the command of
 *   the plugin's plugin.yaml, its args with `$VAR` expanded from Helm's own environment (plus
 *   HELM_PLUGIN_NAME and HELM_PLUGIN_DIR), then the `--post-renderer-args`; the plugin inherits
 *   that environment and Helm's working directory. Its stderr goes into a buffer nothing reads: a
 *   failure is only `plugin "<name>" exited with error`, wrapped by the caller. An output that is
 *   empty or only whitespace is an error too.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** What Helm would get back from a post-renderer run. */
export type HelmPostRenderOutcome = { ok: true; manifests: string } | { ok: false; error: string };

/** Options of both stand-ins: the environment and working directory Helm runs in, and a time bound. */
export interface HelmRunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(binary: string, args: string[], manifests: string, options: HelmRunOptions): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(manifests);
  });
}

/** Runs `binary args...` the way Helm 3 runs an executable post-renderer (bounded by `timeoutMs`). */
export async function helmPostRender(binary: string, args: string[], manifests: string, options: HelmRunOptions = {}): Promise<HelmPostRenderOutcome> {
  const r = await run(binary, args, manifests, options);
  if (r.code !== 0) return { ok: false, error: `error while running command ${binary}. error output:\n${r.stderr}` };
  return { ok: true, manifests: r.stdout };
}

/** The parts of a Helm 4 plugin.yaml the subprocess runtime reads for a post-renderer. */
interface PluginFile {
  name: string;
  type: string;
  runtime: string;
  runtimeConfig: { platformCommand: Array<{ os?: string; arch?: string; command: string; args?: string[] }> };
}

/** `$NAME` and `${NAME}` replaced from `env` (unset: empty), as Go's os.Expand does for names (its special one-character names aside). */
function expand(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\{([^}]*)\}|\$([A-Za-z0-9_]+)/g, (_m, braced: string | undefined, bare: string | undefined) => env[braced ?? bare ?? ''] ?? '');
}

/** Go's names for this machine (GOOS, GOARCH) where Node's differ. */
const GOOS = process.platform === 'win32' ? 'windows' : process.platform;
const GOARCH = ({ x64: 'amd64', ia32: '386' } as Record<string, string>)[process.arch] ?? process.arch;

/** The platform command Helm picks: one for this OS and architecture, else for this OS without an architecture, else the first without either. */
function platformCommand(cmds: PluginFile['runtimeConfig']['platformCommand']): PluginFile['runtimeConfig']['platformCommand'][number] | undefined {
  const eq = (a: string | undefined, b: string) => (a ?? '').toLowerCase() === b;
  return cmds.find((c) => eq(c.os, GOOS) && eq(c.arch, GOARCH)) ?? cmds.find((c) => eq(c.os, GOOS) && !c.arch) ?? cmds.find((c) => !c.os && !c.arch);
}

/**
 * Runs the Helm 4 post-renderer plugin in `pluginDir` the way Helm 4 does, with `extraArgs` as the
 * `--post-renderer-args`. Its command is looked up on the PATH of `options.env`, as Helm's exec
 * does. Only what Helm 4 shows is returned: never the plugin's stderr.
 */
export async function helm4PostRender(pluginDir: string, extraArgs: string[], manifests: string, options: HelmRunOptions = {}): Promise<HelmPostRenderOutcome> {
  const plugin = parse(readFileSync(path.join(pluginDir, 'plugin.yaml'), 'utf8')) as PluginFile;
  if (plugin.type !== 'postrenderer/v1' || plugin.runtime !== 'subprocess') throw new Error(`${pluginDir} is not a subprocess postrenderer/v1 plugin`);
  const chosen = platformCommand(plugin.runtimeConfig.platformCommand);
  if (!chosen) throw new Error(`${pluginDir}: no platform command for ${process.platform}`);
  const env = { ...(options.env ?? process.env), HELM_PLUGIN_NAME: plugin.name, HELM_PLUGIN_DIR: pluginDir };
  const [command = '', ...commandArgs] = chosen.command.split(' ');
  const args = [...commandArgs, ...(chosen.args ?? [])].map((a) => expand(a, env));
  const r = await run(expand(command, env), [...args, ...extraArgs], manifests, { ...options, env });
  // r.stderr is dropped here on purpose: Helm 4 collects it and never reads it.
  const failed = `error while running post render on files: failed to invoke post-renderer plugin "${plugin.name}"`;
  if (r.code !== 0) return { ok: false, error: `${failed}: plugin "${plugin.name}" exited with error` };
  if (r.stdout.trim() === '') return { ok: false, error: `error while running post render on files: post-renderer "${plugin.name}" produced empty output` };
  return { ok: true, manifests: r.stdout };
}

/**
 * The template file each object of a post-renderer's output is filed under when Helm 4 reads the
 * output back (helm v4.2.4 pkg/action/action.go splitAndDeannotate, the same at v4.0.0): the
 * stream is parsed with kyaml's kio.ParseAll, every document's own
 * `postrenderer.helm.sh/postrender-filename` annotation names its file, and a document without
 * one is filed as `generated-by-postrender-<i>.yaml` (`<i>` its index). kyaml unwraps a `kind: List`
 * only when the whole stream is that one document (sigs.k8s.io/kustomize/kyaml v0.21.1
 * kio/byteio_reader.go, ByteReader.Read); this stand-in reads several-document streams only.
 * Returns one `[kind/name, file]` per document.
 */
export function helm4FilesOf(output: string): Array<[string, string]> {
  const docs = parseAllDocuments(output).map((d) => d.toJS() as { kind?: string; metadata?: { name?: string; annotations?: Record<string, unknown> } } | null);
  if (docs.length < 2) throw new Error('helm4FilesOf models streams of two documents or more (kyaml unwraps a lone List)');
  return docs.map((d, i) => {
    const file = d?.metadata?.annotations?.['postrenderer.helm.sh/postrender-filename'];
    return [`${d?.kind}/${d?.metadata?.name}`, typeof file === 'string' && file !== '' ? file : `generated-by-postrender-${i}.yaml`];
  });
}
