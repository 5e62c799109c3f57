/**
 * CMP emulator, part 2: running one plugin command the way argocd-cmp-server does. Modelled on
 * argoproj/argo-cd v3.5.1 `cmpserver/plugin/plugin.go` runCommand and `plugin_unix.go`, and on
 * Go's os/exec (the Go release Argo CD v3.5 builds with), each behaviour cited where it is written.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import type { PluginCommand } from './plugin-config.js';

/** How a command ended. */
export interface CommandResult {
  /** The command as Argo CD quotes it in errors (util/exec GetCommandArgsToLog). */
  display: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** True when the deadline fired before the command (and everything holding its output) ended. */
  timedOut: boolean;
  /** True when the group SIGKILL after the grace period fired before the output was closed. */
  killed: boolean;
  /** The environment the command ran with (exactly, nothing added). */
  env: Record<string, string>;
}

/** Where and as whom to run. */
export interface RunOptions {
  cwd: string;
  env: Record<string, string>;
  /** Milliseconds from now until the plugin context expires. */
  deadlineMs: number;
  /** Time between the group SIGTERM and the group SIGKILL (plugin.go runCommand: cleanupTimeout 5 s). */
  killGraceMs: number;
  /**
   * At the deadline, which of the two signals leaves first: the group SIGTERM (`'term'`) or the
   * direct child's SIGKILL (`'kill'`). Upstream they come from two goroutines woken by the same
   * ctx.Done(), so either can win; the first one to reach the child decides its exit status.
   */
  firstAtDeadline: 'term' | 'kill';
  uid?: number;
  gid?: number;
}

/**
 * Go's exec.LookPath against a PATH value: a name with a slash is used as it is. Why the
 * sidecar's PATH: exec.CommandContext resolves the name when the Cmd is built, from the
 * cmp-server's own environment, before runCommand sets cmd.Env (Go os/exec Command).
 */
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

/** Go's strconv.Quote for the characters a command line holds (printable non-ASCII is kept as is). */
function goQuote(s: string): string {
  const named: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\u0007': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };
  return `"${[...s].map((c) => named[c] ?? (c < ' ' || c === '\u007f' ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c)).join('')}"`;
}

/**
 * argv as Argo CD logs and quotes it in errors: v3.5.1 `util/exec/exec.go` GetCommandArgsToLog —
 * an empty argument as `""`, an argument holding white space Go-quoted, the rest as they are,
 * joined by spaces. cmd.Args[0] is command[0] as written, not the resolved path.
 */
export function argsToLog(argv: readonly string[]): string {
  return argv.map((a) => (a === '' ? '""' : /\s/u.test(a) ? goQuote(a) : a)).join(' ');
}

/** Go's names for the signals a plugin dies of (Go `syscall` zerrors_linux signals table), as `signal: <name>`. */
const GO_SIGNAL_NAMES: Readonly<Partial<Record<NodeJS.Signals, string>>> = {
  SIGKILL: 'killed', SIGTERM: 'terminated', SIGINT: 'interrupt', SIGHUP: 'hangup', SIGQUIT: 'quit',
  SIGABRT: 'aborted', SIGSEGV: 'segmentation fault', SIGPIPE: 'broken pipe', SIGBUS: 'bus error',
  SIGFPE: 'floating point exception', SIGILL: 'illegal instruction', SIGUSR1: 'user defined signal 1',
  SIGUSR2: 'user defined signal 2', SIGALRM: 'alarm clock', SIGTRAP: 'trace/breakpoint trap',
};

/**
 * Runs one plugin command to completion (or until killed) and collects its output.
 *
 * - argv = command[1:] + args, no shell, cwd = the app path, stdin empty, env exactly `opts.env`
 *   (plugin.go runCommand: exec.CommandContext(ctx, command[0], append(command[1:], args...)),
 *   cmd.Env = env, cmd.Dir = path; no Stdin → /dev/null).
 * - Its own process group (plugin_unix.go newSysProcAttr: Setpgid true).
 * - At the deadline, two things at once: exec.CommandContext's Cancel, Process.Kill — SIGKILL to
 *   the direct child only (Go os/exec Cmd.Cancel default); and runCommand's goroutine on
 *   ctx.Done() — SIGTERM to the whole group (sysCallTerm(-pid)), then after cleanupTimeout (5 s)
 *   SIGKILL to the group (sysCallKill(-pid)). So grandchildren get SIGTERM at the deadline and
 *   SIGKILL 5 s later; the direct child dies at once, of whichever signal reaches it first
 *   (`opts.firstAtDeadline`): "signal: killed" usually, "signal: terminated" when the group's
 *   SIGTERM wins and the child does not handle it.
 * - The result waits for stdout/stderr to close, not just for the child: stdout and stderr are
 *   bytes.Buffers, so Go copies them through pipes and Cmd.Wait waits for the copies (no
 *   WaitDelay is set). A grandchild still holding stdout keeps the request waiting. Node's
 *   'close' event has the same meaning.
 * - The same goroutine also fires when the request ends normally (the context is cancelled by
 *   `defer cancel()` in generateManifestGeneric), so leftovers in the group get SIGTERM, then
 *   SIGKILL after the grace period, once a request is over: modelled after 'close' too.
 */
export function runPluginCommand(cmd: PluginCommand, opts: RunOptions): Promise<CommandResult> {
  const argv = [...cmd.command.slice(1), ...cmd.args];
  const display = argsToLog([...cmd.command, ...cmd.args]);
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
    let closed = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const signal = (pid: number, sig: NodeJS.Signals): void => {
      try {
        process.kill(pid, sig);
      } catch {
        // gone already (Go ignores these errors too: `_ = sysCallTerm(...)`)
      }
    };
    /** runCommand's goroutine: group SIGTERM now, group SIGKILL after the grace period. */
    const groupCleanup = (): void => {
      signal(-(child.pid as number), 'SIGTERM');
      setTimeout(() => {
        if (!closed) killed = true;
        signal(-(child.pid as number), 'SIGKILL');
      }, opts.killGraceMs).unref();
    };
    const killChild = (): void => {
      if (child.exitCode === null && child.signalCode === null) signal(child.pid as number, 'SIGKILL');
    };
    const deadline = setTimeout(() => {
      timedOut = true;
      if (opts.firstAtDeadline === 'term') {
        groupCleanup();
        killChild();
      } else {
        killChild();
        groupCleanup();
      }
    }, Math.max(0, opts.deadlineMs));
    child.on('error', (err) => {
      clearTimeout(deadline);
      reject(err);
    });
    child.on('close', (code, sig) => {
      closed = true;
      clearTimeout(deadline);
      if (!timedOut) groupCleanup();
      resolve({ display, code, signal: sig, stdout, stderr, durationMs: performance.now() - started, timedOut, killed, env: opts.env });
    });
  });
}

/**
 * The error text of a failed command: v3.5.1 plugin.go CmdError.Error — "`<args>` failed
 * <cause>", then ": <stderr>" only when strings.TrimSpace(stderr) is not empty. The cause is what
 * Cmd.Wait returned: Go's ExitError text ("exit status N", "signal: killed"), or — when the
 * child happened to exit 0 although the deadline had fired — the context's error.
 */
export function commandError(r: CommandResult): string {
  const cause = r.signal ? `signal: ${GO_SIGNAL_NAMES[r.signal] ?? r.signal}` : r.code !== 0 ? `exit status ${r.code}` : r.timedOut ? 'context deadline exceeded' : '';
  const err = r.stderr.trim();
  return `\`${r.display}\` failed ${cause}${err === '' ? '' : `: ${err}`}`;
}

/** True when runCommand returns an error for this result (non-zero exit, a signal, or the deadline). */
export function commandFailed(r: CommandResult): boolean {
  return r.code !== 0 || r.signal !== null || r.timedOut;
}

/** runCommand's stdout: the output with one trailing newline removed (strings.TrimSuffix(output, "\n")). */
export function commandOutput(r: CommandResult): string {
  return r.stdout.endsWith('\n') ? r.stdout.slice(0, -1) : r.stdout;
}
