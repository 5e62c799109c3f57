/**
 * CMP emulator, part 2: running one plugin command the way argocd-cmp-server's runCommand does
 * (docs/design.md, "Argo CD config-management plugins"): command[0] looked up on the sidecar's PATH and exec'd with
 * argv command[1:] + args (no shell), cwd = the app path, stdin empty, its own process group; at
 * the deadline (the request deadline minus 100 ms) SIGTERM goes to the whole group and, if it is
 * still alive after the grace period (5 s), SIGKILL.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import type { PluginCommand } from './plugin-config.js';

/** How a command ended. */
export interface CommandResult {
  /** `meshplane generate` as Argo CD quotes it in errors. */
  display: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** True when the deadline fired. */
  timedOut: boolean;
  /** True when SIGKILL was needed after SIGTERM. */
  killed: boolean;
}

/** Where and as whom to run. */
export interface RunOptions {
  cwd: string;
  env: Record<string, string>;
  /** Milliseconds from now until the plugin context expires. */
  deadlineMs: number;
  /** Time between SIGTERM and SIGKILL (argocd-cmp-server: 5 s). */
  killGraceMs: number;
  uid?: number;
  gid?: number;
}

/** Go's exec.LookPath against a PATH value: a name with a slash is used as it is. */
export function lookPath(name: string, pathValue: string): string {
  if (name.includes('/')) return name;
  for (const dir of pathValue.split(':').filter((d) => d !== '')) {
    const candidate = path.join(dir, name);
    try {
      if (statSync(candidate).isFile()) {
        accessSync(candidate, constants.X_OK);
        return candidate;
      }
    } catch {
      // not here; keep looking
    }
  }
  throw new Error(`exec: "${name}": executable file not found in $PATH`);
}

/** Runs one plugin command to completion (or until killed) and collects its output. */
export function runPluginCommand(cmd: PluginCommand, opts: RunOptions): Promise<CommandResult> {
  const argv = [...cmd.command.slice(1), ...cmd.args];
  const display = [...cmd.command, ...cmd.args].join(' ');
  const file = lookPath(cmd.command[0] as string, opts.env.PATH ?? '');
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, {
      cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid ?? opts.uid } : {}),
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let killed = false;
    let graceTimer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const signalGroup = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-(child.pid as number), signal);
      } catch {
        // the group is gone already
      }
    };
    const deadline = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGTERM');
      graceTimer = setTimeout(() => {
        killed = true;
        signalGroup('SIGKILL');
      }, opts.killGraceMs);
    }, Math.max(0, opts.deadlineMs));
    child.on('error', (err) => {
      clearTimeout(deadline);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      if (graceTimer) clearTimeout(graceTimer);
      resolve({ display, code, signal, stdout, stderr, durationMs: performance.now() - started, timedOut, killed });
    });
  });
}

/** Argo CD's error text for a failed command: "`cmd args` failed exit status N: stderr". */
export function commandError(r: CommandResult): string {
  const status = r.timedOut ? 'context deadline exceeded' : r.signal ? `signal: ${r.signal}` : `exit status ${r.code}`;
  return `\`${r.display}\` failed ${status}: ${r.stderr.trim()}`;
}
