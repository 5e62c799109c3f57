/**
 * An emulator of Argo CD's argocd-cmp-server for one plugin.yaml, used by the acceptance tests to
 * exercise the Argo CD plugin contract end to end. Modelled on argoproj/argo-cd v3.5.1
 * (cmpserver/plugin/plugin.go, config.go; reposerver/repository/repository.go;
 * util/app/discovery/discovery.go; util/io/files/tar.go; each part cites the functions it
 * follows). Per request it does what repo-server and the sidecar do: build the environment (a
 * KUBE_VERSION it cannot parse fails the request first); extract a fresh copy of the repository
 * (file modes reset unless preserveFileMode, symbolic links made relative and refused when they
 * leave the copy), owned by the sidecar user; cwd = the app path inside it; discovery, then init
 * and generate or the dynamic parameters command, all under one deadline; then the output as
 * Argo CD reads it. Parts: plugin-config.ts, cmp-env.ts, cmp-process.ts, cmp-output.ts,
 * cmp-discover.ts.
 */
import { chmod, chown, copyFile, lchown, lstat, mkdir, mkdtemp, readdir, readlink, realpath, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { appDetailsEnv, pluginEnv, type AppSpec } from './cmp-env.js';
import { applicableProblems, listDocuments, parseAnnouncements, parseManifests, unwrapLists, type Manifest } from './cmp-output.js';
import { commandError, commandFailed, commandOutput, runPluginCommand, type CommandResult } from './cmp-process.js';
import { matchesDiscovery } from './cmp-discover.js';
import { hasDiscovery, pluginAddress, type Announcement, type PluginConfig, type PluginCommand } from './plugin-config.js';

/** Request deadline of repo-server calls: server/controller.repo.server.timeout.seconds (60 s). */
export const DEFAULT_DEADLINE_MS = 60_000;
/** plugin.go cmpTimeoutBuffer: commands stop this much before the request deadline (buffered_context.WithEarlierDeadline). */
export const CMP_TIMEOUT_BUFFER_MS = 100;

/** How the emulated sidecar runs. */
export interface EmulatorOptions {
  /** The sidecar's own environment (PATH must find the plugin's commands). */
  sidecarEnv: Record<string, string>;
  /** Run commands as this uid/gid (the sidecar runs as 999); undefined = the current user. */
  uid?: number;
  gid?: number;
  /** The caller's deadline, from the start of a request (every command of the request shares it). */
  deadlineMs?: number;
  killGraceMs?: number;
  /**
   * At the deadline, which signal leaves first (see RunOptions.firstAtDeadline in cmp-process.ts):
   * upstream races the two, so a timeout reads "signal: killed" or "signal: terminated". Default
   * `'kill'`, the usual outcome, so that no test depends on the race.
   */
  firstAtDeadline?: 'term' | 'kill';
  /** Where work dirs are created (default: the OS temp dir). */
  workRoot?: string;
}

/** What a generate request produced. */
export interface GenerateOutcome {
  /**
   * `manifests` = success; `zero-manifests` = exit 0 with no objects, which Argo CD accepts without
   * an error (plugin.go only logs "Plugin command returned zero output"), so a sync would prune
   * everything; `failed`.
   */
  status: 'manifests' | 'zero-manifests' | 'failed';
  /** The objects repo-server keeps, Lists unwrapped. */
  objects: Manifest[];
  /** Documents of the plugin's output that repo-server unwrapped or dropped as Lists (see unwrapLists). */
  lists: Manifest[];
  /** Argo CD's error message on failure (shown in the UI). */
  error?: string;
  result?: CommandResult;
  durationMs: number;
}

/** What a parameters request produced. */
export interface ParametersOutcome {
  announcements: Announcement[];
  result?: CommandResult;
}

/** One request: the deadline every command of it shares (performance.now() time), and the signal that wins at it. */
interface Request {
  deadlineAt: number;
  firstAtDeadline: 'term' | 'kill';
}

/** A request that fails while the repository is extracted (util/io/files/tar.go untar). */
class UntarError extends Error {}

/** A failed generation with Argo CD's message. */
function failed(error: string, extra: Partial<GenerateOutcome> = {}): Omit<GenerateOutcome, 'durationMs'> {
  return { status: 'failed', objects: [], lists: [], error, ...extra };
}

/** One emulated sidecar serving one plugin. */
export class CmpEmulator {
  constructor(readonly config: PluginConfig, readonly options: EmulatorOptions) {}

  /** The name an Application must use to select this plugin explicitly. */
  get address(): string {
    return pluginAddress(this.config);
  }

  /** MatchRepository: does discovery select this plugin for the app (the manifest request's environment)? */
  async matches(repoDir: string, app: AppSpec): Promise<boolean> {
    const request = this.request();
    const env = pluginEnv(this.options.sidecarEnv, app);
    return this.withWorkdir(repoDir, app, async (appDir) => matchesDiscovery(this.config, appDir, (cmd) => this.run(cmd, appDir, env, request)));
  }

  /**
   * GenerateManifest, as repo-server drives it for an Application whose spec.source.plugin names
   * `pluginName` (undefined: `plugin: {}`): the environment, discovery, init (if any), generate,
   * and stdout read as Argo CD reads it.
   */
  async generate(repoDir: string, app: AppSpec, pluginName?: string): Promise<GenerateOutcome> {
    const started = performance.now();
    const outcome = await this.generateOutcome(repoDir, app, pluginName);
    return { ...outcome, durationMs: performance.now() - started };
  }

  private async generateOutcome(repoDir: string, app: AppSpec, pluginName: string | undefined): Promise<Omit<GenerateOutcome, 'durationMs'>> {
    const request = this.request();
    let env: Record<string, string>;
    try {
      // repository.go runConfigManagementPluginSidecars: getPluginEnvs (which parses KUBE_VERSION) runs before any plugin is asked.
      env = pluginEnv(this.options.sidecarEnv, app);
    } catch (err) {
      return failed((err as Error).message);
    }
    try {
      return await this.withWorkdir(repoDir, app, async (appDir) => {
        const refused = await this.refusal(appDir, env, pluginName, request);
        if (refused !== undefined) return failed(refused);
        // plugin.go generateManifest: init (when it has a command), then generate; the first error ends the request.
        if (this.config.init) {
          const init = await this.run(this.config.init, appDir, env, request);
          if (commandFailed(init)) return failed(commandError(init), { result: init });
        }
        const result = await this.run(this.config.generate, appDir, env, request);
        if (commandFailed(result)) return failed(commandError(result), { result });
        return readManifests(result);
      });
    } catch (err) {
      if (err instanceof UntarError) return failed(this.untarFailure(err, pluginName));
      throw err;
    }
  }

  /**
   * GetParametersAnnouncement, as repo-server drives it for the Parameters tab
   * (repository.go populatePluginAppDetails): discovery first, then the dynamic command, both
   * with the app-details environment only (appDetailsEnv: no KUBE_VERSION, no revision); dynamic
   * entries first, then the static ones. Throws Argo CD's error.
   */
  async parameters(repoDir: string, app: AppSpec, pluginName?: string): Promise<ParametersOutcome> {
    const request = this.request();
    const env = appDetailsEnv(this.options.sidecarEnv, app);
    try {
      return await this.withWorkdir(repoDir, app, async (appDir) => {
        const refused = await this.refusal(appDir, env, pluginName, request);
        if (refused !== undefined) throw new Error(`failed to detect CMP for app: ${refused}`);
        const dynamic = this.config.parameters.dynamic;
        if (!dynamic) return { announcements: [...this.config.parameters.static] };
        const result = await this.run(dynamic, appDir, env, request);
        // plugin.go getParametersAnnouncement: dynamic entries first, static ones after (they take precedence).
        if (commandFailed(result)) throw new Error(`error executing dynamic parameter output command: ${commandError(result)}`);
        return { announcements: [...parseAnnouncements(commandOutput(result)), ...this.config.parameters.static], result };
      });
    } catch (err) {
      if (err instanceof UntarError) throw new Error(`failed to detect CMP for app: ${this.untarFailure(err, pluginName)}`);
      throw err;
    }
  }

  /**
   * Why repo-server does not use this plugin for the app, or undefined when it does
   * (util/app/discovery/discovery.go DetectConfigManagementPlugin and cmpSupports). A named plugin
   * is dialled by its socket name and, when it has discovery, must still match; with
   * `plugin: {}` every socket is tried in name order and only a plugin with discovery that
   * matches is taken, and the error names no plugin.
   */
  private async refusal(appDir: string, env: Record<string, string>, pluginName: string | undefined, request: Request): Promise<string | undefined> {
    if (pluginName !== undefined && pluginName !== this.address) {
      return `could not find cmp-server plugin with name "${pluginName}" supporting the given repository: error dialing to cmp-server for plugin ${pluginName}.sock: no such socket (the emulated sidecar serves ${this.address}.sock)`;
    }
    const supported = hasDiscovery(this.config) ? await matchesDiscovery(this.config, appDir, (cmd) => this.run(cmd, appDir, env, request)) : pluginName !== undefined;
    if (supported) return undefined;
    return pluginName === undefined ? 'could not find plugin supporting the given repository' : `could not find cmp-server plugin with name "${pluginName}" supporting the given repository`;
  }

  /**
   * Argo CD's message when the extraction fails: the first request that streams the repository
   * fails (MatchRepository when the plugin has discovery, otherwise GenerateManifest), and
   * discovery reports it as the reason no plugin was found.
   */
  private untarFailure(err: UntarError, pluginName: string | undefined): string {
    if (!hasDiscovery(this.config)) return `generate manifest error receiving stream: error decompressing tgz file: ${err.message}`;
    const reason = `error checking repository support for plugin ${pluginName ?? this.address}.sock: match repository error receiving stream: error decompressing tgz file: ${err.message}`;
    return pluginName === undefined ? `could not find plugin supporting the given repository: ${reason}` : `could not find cmp-server plugin with name "${pluginName}" supporting the given repository: ${reason}`;
  }

  /** A new request: its deadline starts now (plugin.go: 100 ms before the caller's, one context for the whole request). */
  private request(): Request {
    return { deadlineAt: performance.now() + (this.options.deadlineMs ?? DEFAULT_DEADLINE_MS) - CMP_TIMEOUT_BUFFER_MS, firstAtDeadline: this.options.firstAtDeadline ?? 'kill' };
  }

  private run(cmd: PluginCommand, cwd: string, env: Record<string, string>, request: Request): Promise<CommandResult> {
    return runPluginCommand(cmd, { cwd, env, deadlineMs: request.deadlineAt - performance.now(), firstAtDeadline: request.firstAtDeadline, killGraceMs: this.options.killGraceMs ?? 5000, ...this.identity() });
  }

  private identity(): { uid?: number; gid?: number } {
    return this.options.uid === undefined ? {} : { uid: this.options.uid, gid: this.options.gid ?? this.options.uid };
  }

  /** A fresh extraction of the repository per request, removed afterwards (as the sidecar does). */
  private async withWorkdir<T>(repoDir: string, app: AppSpec, fn: (appDir: string) => Promise<T>): Promise<T> {
    // The real path: untar compares resolved link targets with it, so a symlinked temp folder must not look like "outside".
    const work = await realpath(await mkdtemp(path.join(this.options.workRoot ?? os.tmpdir(), 'cmp-')));
    try {
      const root = path.join(work, 'repo');
      await mkdir(root);
      await extract(repoDir, root, root, this.config.preserveFileMode);
      if (this.options.uid !== undefined) await chownTree(work, this.options.uid, this.options.gid ?? this.options.uid);
      const appDir = path.resolve(root, app.path);
      if (appDir !== root && !appDir.startsWith(`${root}${path.sep}`)) throw new Error(`app path ${app.path} escapes the repository`);
      return await fn(appDir);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
}

/** Reads a successful generate's stdout as repo-server does: split, convert, unwrap Lists; then what the apply would refuse. */
function readManifests(result: CommandResult): Omit<GenerateOutcome, 'durationMs'> {
  try {
    const documents = parseManifests(commandOutput(result));
    const objects = unwrapLists(documents);
    const lists = listDocuments(documents);
    const problems = applicableProblems(objects);
    if (problems.length > 0) return failed(`parsed, but the apply would fail: ${problems.join('; ')}`, { objects, lists, result });
    return { status: objects.length === 0 ? 'zero-manifests' : 'manifests', objects, lists, result };
  } catch (err) {
    return failed((err as Error).message, { result });
  }
}

/** util/io/files Inbound: `candidate` (absolute) lies strictly below `base`. */
function inbound(candidate: string, base: string): boolean {
  return path.resolve(candidate).startsWith(`${path.resolve(base)}${path.sep}`);
}

/**
 * A symbolic link as untar writes it (util/io/files/tar.go untar, TypeSymlink): the target is
 * joined to the link's folder (an absolute target too: Go's filepath.Join does not restart at a
 * `/`), resolved through links already extracted (filepath.EvalSymlinks; a target that does not
 * exist is taken as it is), refused unless it lies below the extraction root, and written
 * relative to the link's folder.
 */
async function extractLink(src: string, dst: string, root: string): Promise<void> {
  const linkTarget = path.join(path.dirname(dst), await readlink(src));
  let real: string;
  try {
    real = await realpath(linkTarget);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new UntarError(`error checking symlink realpath: ${(err as Error).message}`);
    real = linkTarget;
  }
  if (!inbound(real, root)) throw new UntarError(`illegal filepath in symlink: ${linkTarget}`);
  // filepath.Rel gives "." for the folder itself, where path.relative gives "".
  await symlink(path.relative(path.dirname(dst), real) || '.', dst);
}

/**
 * Copies a tree in the order repo-server's tar walks it (filepath.Walk: lexical, depth first), so
 * a link is resolved against what is extracted before it. Without preserveFileMode every file
 * becomes 0644 (no exec bits) and every folder 0755; links are written by {@link extractLink}.
 */
async function extract(from: string, to: string, root: string, preserveFileMode: boolean): Promise<void> {
  await mkdir(to, { recursive: true });
  const entries = (await readdir(from, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name);
    if (e.isSymbolicLink()) await extractLink(src, dst, root);
    else if (e.isDirectory()) await extract(src, dst, root, preserveFileMode);
    else if (e.isFile()) {
      await copyFile(src, dst);
      await chmod(dst, preserveFileMode ? (await lstat(src)).mode & 0o777 : 0o644);
    }
  }
  await chmod(to, 0o755);
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await chown(dir, uid, gid);
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await chownTree(p, uid, gid);
    else await lchown(p, uid, gid);
  }
}
