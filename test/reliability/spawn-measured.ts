/**
 * Runs `bin/meshplane` as a child process and measures what the reliability tests bound: wall
 * time, peak RSS (the child's /proc VmHWM high-water mark, polled; Linux only) and whether it
 * had to be killed. The environment is scrubbed of every variable Meshplane reads, so a
 * developer's or CI runner's KUBE_VERSION or ARGOCD_* never changes a result.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { closeSync, createReadStream, openSync, readFileSync } from 'node:fs';
import { BIN } from '../helpers/cli.js';

/** What a measured run produced. */
export interface MeasuredRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
  /** Peak resident set size in MB; undefined where /proc is not available. */
  peakRssMb: number | undefined;
  /** True when the run hit the timeout and was killed by this helper. */
  timedOut: boolean;
}

/** Options of {@link runMeasured}. */
export interface MeasuredOptions {
  cwd?: string;
  /** Added to the scrubbed environment. */
  env?: Record<string, string>;
  /** File piped to stdin (default: empty stdin). */
  stdinFile?: string;
  /**
   * Where the child's stdout goes: `pipe` (default, collected), `dev-full` (/dev/full: every
   * write fails with ENOSPC) or `closed` (a pipe whose reader is gone before the first write: EPIPE).
   */
  stdoutTo?: 'pipe' | 'dev-full' | 'closed';
  timeoutMs: number;
}

/** Prefixes and names of variables Meshplane reads (scrubbed from the inherited environment). */
const MESHPLANE_VARS = [/^KUBE_VERSION$/, /^KUBE_API_VERSIONS$/, /^ARGOCD_/, /^PARAM_/, /^MESHPLANE_/, /^NODE_OPTIONS$/, /^UPDATE_GOLDEN$/];

/** The inherited environment without any variable Meshplane reads. */
export function scrubbedEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !MESHPLANE_VARS.some((re) => re.test(k))) env[k] = v;
  return { ...env, ...extra };
}

function vmHwmMb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `bin/meshplane args`, bounded by `timeoutMs` (then SIGKILL), and measures it. */
export function runMeasured(args: string[], options: MeasuredOptions): Promise<MeasuredRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const sink = options.stdoutTo === 'dev-full' ? openSync('/dev/full', 'w') : 'pipe';
    const child = spawn(BIN, args, { cwd: options.cwd, env: scrubbedEnv(options.env), stdio: ['pipe', sink, 'pipe'] }) as ChildProcessByStdio<Writable, Readable | null, Readable>;
    if (typeof sink === 'number') closeSync(sink);
    let stdout = '';
    let stderr = '';
    let peak: number | undefined;
    let timedOut = false;
    if (options.stdoutTo === 'closed') child.stdout?.destroy();
    else child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const poll = setInterval(() => {
      const now = child.pid === undefined ? undefined : vmHwmMb(child.pid);
      if (now !== undefined) peak = Math.max(peak ?? 0, now);
    }, 10);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, elapsedMs: Number(process.hrtime.bigint() - started) / 1e6, peakRssMb: peak, timedOut });
    });
    child.stdin.on('error', () => undefined);
    if (options.stdinFile) createReadStream(options.stdinFile).on('error', reject).pipe(child.stdin);
    else child.stdin.end();
  });
}
