// Process measurements for `npm run bench`: wall time, CPU time and peak RSS of one child
// process. Peak RSS comes from GNU time (`/usr/bin/time -f`), which reads the kernel's
// ru_maxrss of the finished child, so it is exact; without GNU time the child's
// /proc/<pid>/status VmHWM (its high-water mark) is polled, which can miss the last few
// milliseconds of growth and is marked as such in the results.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const GNU_TIME = '/usr/bin/time';

/** Variables Meshplane reads: removed from the children's environment so the caller's shell cannot change a figure. */
const MESHPLANE_VARS = [/^KUBE_VERSION$/, /^KUBE_API_VERSIONS$/, /^ARGOCD_/, /^PARAM_/, /^MESHPLANE_/, /^NODE_OPTIONS$/];

function childEnv(extra) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !MESHPLANE_VARS.some((re) => re.test(k))));
  return { ...env, ...extra };
}

/** How peak RSS is measured on this machine. */
export const RSS_METHOD = existsSync(GNU_TIME) ? 'gnu-time' : 'proc-vmhwm-poll';

/**
 * Runs `cmd args` once. `stdin` is a file path (or undefined for /dev/null); stdout goes to
 * `stdoutFile` (default /dev/null). Returns { wallMs, cpuMs, rssKb, code, stderr }.
 */
export async function measure(cmd, args, options = {}) {
  const stdinFd = openSync(options.stdin ?? '/dev/null', 'r');
  const stdoutFd = openSync(options.stdoutFile ?? '/dev/null', 'w');
  const timeFile = path.join(os.tmpdir(), `meshplane-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const [file, argv] = RSS_METHOD === 'gnu-time' ? [GNU_TIME, ['-f', '%U %S %M %x', '-o', timeFile, cmd, ...args]] : [cmd, args];
  try {
    const started = process.hrtime.bigint();
    const child = spawn(file, argv, { cwd: options.cwd, env: childEnv(options.env), stdio: [stdinFd, stdoutFd, 'pipe'] });
    const poll = RSS_METHOD === 'gnu-time' ? undefined : pollHwm(child.pid);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    const [code, signal] = await new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c, s) => resolve([c, s]));
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (RSS_METHOD !== 'gnu-time') {
      clearInterval(poll.timer);
      return { wallMs, cpuMs: undefined, rssKb: poll.peak || undefined, code: code ?? signal, stderr };
    }
    const [user, sys, rss, exit] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ');
    return { wallMs, cpuMs: (Number(user) + Number(sys)) * 1000, rssKb: Number(rss), code: signal ?? Number(exit), stderr };
  } finally {
    closeSync(stdinFd);
    closeSync(stdoutFd);
    rmSync(timeFile, { force: true });
  }
}

function pollHwm(pid) {
  const state = { peak: 0, timer: undefined };
  const read = () => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) state.peak = Math.max(state.peak, Number(m[1]));
    } catch {
      // the child has exited; the last value read stands
    }
  };
  state.timer = setInterval(read, 5);
  return state;
}

/** The median of numbers (undefined entries are ignored; undefined when none are left). */
export function median(values) {
  const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return undefined;
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** The largest number (undefined entries are ignored). */
export function max(values) {
  const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  return xs.length ? Math.max(...xs) : undefined;
}
