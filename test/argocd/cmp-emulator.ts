/**
 * An emulator of Argo CD's argocd-cmp-server for one plugin.yaml, used by the acceptance tests to
 * exercise the Argo CD plugin contract end to end. Modelled on argoproj/argo-cd v3.5.1
 * (cmpserver/plugin/plugin.go, config.go; reposerver/repository/repository.go; each part cites
 * the functions it follows). Per request
 * it does what the sidecar does: extract a fresh copy of the repository (file modes reset unless
 * preserveFileMode), owned by the sidecar user; cwd = the app path inside it; discover, init,
 * generate or the dynamic parameters command with the CMP environment and deadline; then checks
 * the output as Argo CD would. Parts: plugin-config.ts, cmp-env.ts, cmp-process.ts, cmp-output.ts.
 */
import { chmod, chown, copyFile, lchown, lstat, mkdir, mkdtemp, readdir, readlink, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pluginEnv, type AppSpec } from './cmp-env.js';
import { applicableProblems, parseAnnouncements, parseManifests, type Manifest } from './cmp-output.js';
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
  deadlineMs?: number;
  killGraceMs?: number;
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
  objects: Manifest[];
  /** Argo CD's error message on failure (shown in the UI). */
  error?: string;
  result?: CommandResult;
  durationMs: number;
}

/** One emulated sidecar serving one plugin. */
export class CmpEmulator {
  constructor(readonly config: PluginConfig, readonly options: EmulatorOptions) {}

  /** The name an Application must use to select this plugin explicitly. */
  get address(): string {
    return pluginAddress(this.config);
  }

  /** MatchRepository: does discovery select this plugin for the app? */
  async matches(repoDir: string, app: AppSpec): Promise<boolean> {
    return this.withWorkdir(repoDir, app, async (appDir, env) => matchesDiscovery(this.config, appDir, (cmd) => this.run(cmd, appDir, env)));
  }

  /** GenerateManifest: init (if any) then generate, stdout checked as Argo CD would. */
  async generate(repoDir: string, app: AppSpec, pluginName?: string): Promise<GenerateOutcome> {
    const started = performance.now();
    const outcome = await this.withWorkdir(repoDir, app, async (appDir, env): Promise<Omit<GenerateOutcome, 'durationMs'>> => {
      if (pluginName !== undefined && pluginName !== this.address) return { status: 'failed', objects: [], error: `could not find plugin with name "${pluginName}"` };
      if (hasDiscovery(this.config) && !(await matchesDiscovery(this.config, appDir, (cmd) => this.run(cmd, appDir, env)))) {
        return { status: 'failed', objects: [], error: `could not find cmp-server plugin with name "${pluginName ?? this.address}" supporting the given repository` };
      }
      // plugin.go generateManifest: init (when it has a command), then generate; the first error ends the request.
      if (this.config.init) {
        const init = await this.run(this.config.init, appDir, env);
        if (commandFailed(init)) return { status: 'failed', objects: [], error: commandError(init), result: init };
      }
      const result = await this.run(this.config.generate, appDir, env);
      if (commandFailed(result)) return { status: 'failed', objects: [], error: commandError(result), result };
      try {
        const objects = parseManifests(commandOutput(result));
        const problems = applicableProblems(objects);
        if (problems.length > 0) return { status: 'failed', objects, error: `parsed, but the apply would fail: ${problems.join('; ')}`, result };
        return { status: objects.length === 0 ? 'zero-manifests' : 'manifests', objects, result };
      } catch (err) {
        return { status: 'failed', objects: [], error: (err as Error).message, result };
      }
    });
    return { ...outcome, durationMs: performance.now() - started };
  }

  /** GetParametersAnnouncement: dynamic entries first, then the static ones. */
  async parameters(repoDir: string, app: AppSpec): Promise<{ announcements: Announcement[]; result?: CommandResult }> {
    return this.withWorkdir(repoDir, app, async (appDir, env) => {
      const dynamic = this.config.parameters.dynamic;
      if (!dynamic) return { announcements: [...this.config.parameters.static] };
      const result = await this.run(dynamic, appDir, env);
      // plugin.go getParametersAnnouncement: dynamic entries first, static ones after (they take precedence).
      if (commandFailed(result)) throw new Error(`error executing dynamic parameter output command: ${commandError(result)}`);
      return { announcements: [...parseAnnouncements(commandOutput(result)), ...this.config.parameters.static], result };
    });
  }

  private run(cmd: PluginCommand, cwd: string, env: Record<string, string>): Promise<CommandResult> {
    const deadline = (this.options.deadlineMs ?? DEFAULT_DEADLINE_MS) - CMP_TIMEOUT_BUFFER_MS;
    return runPluginCommand(cmd, { cwd, env, deadlineMs: deadline, killGraceMs: this.options.killGraceMs ?? 5000, ...this.identity() });
  }

  private identity(): { uid?: number; gid?: number } {
    return this.options.uid === undefined ? {} : { uid: this.options.uid, gid: this.options.gid ?? this.options.uid };
  }

  /** A fresh extraction of the repository per request, removed afterwards (as the sidecar does). */
  private async withWorkdir<T>(repoDir: string, app: AppSpec, fn: (appDir: string, env: Record<string, string>) => Promise<T>): Promise<T> {
    const work = await mkdtemp(path.join(this.options.workRoot ?? os.tmpdir(), 'cmp-'));
    try {
      const root = path.join(work, 'repo');
      await extract(repoDir, root, this.config.preserveFileMode);
      if (this.options.uid !== undefined) await chownTree(work, this.options.uid, this.options.gid ?? this.options.uid);
      const appDir = path.resolve(root, app.path);
      if (appDir !== root && !appDir.startsWith(`${root}${path.sep}`)) throw new Error(`app path ${app.path} escapes the repository`);
      return await fn(appDir, pluginEnv(this.options.sidecarEnv, app));
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
}

/** Copies a tree; without preserveFileMode every file becomes 0644 (no exec bits) and every folder 0755. */
async function extract(from: string, to: string, preserveFileMode: boolean): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const e of await readdir(from, { withFileTypes: true })) {
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name);
    if (e.isSymbolicLink()) await symlink(await readlink(src), dst);
    else if (e.isDirectory()) await extract(src, dst, preserveFileMode);
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
