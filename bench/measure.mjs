// Process measurements for `npm run bench`: wall time, CPU time and peak RSS of one child
// process. Peak RSS comes from GNU time (`/usr/bin/time -f`), which reads the kernel's
// ru_maxrss of the finished child, so it is exact; without GNU time the child's
// /proc/<pid>/status VmHWM (its high-water mark) is polled, which can miss the last few
// milliseconds of growth and is marked as such in the results.
// CPU and wall time come from bash around GNU time when both are there (bash 5 or later, for
// $EPOCHREALTIME): its `times` builtin prints the children's user and system time from getrusage
// to the millisecond (GNU time prints them in steps of 10 ms, a tenth of a `node -e 0`), and
// $EPOCHREALTIME read just before and after the command gives its wall time without the start of
// bash itself. Both include GNU time's own small share, on every side alike.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const GNU_TIME = '/usr/bin/time';
const BASH = '/bin/bash';
/** Runs "$@" and writes its wall-clock bounds and then `times` (the shell's and its children's CPU) to the file $1. */
const TIMES_SCRIPT = 'out=$1; shift; t0=$EPOCHREALTIME; "$@"; t1=$EPOCHREALTIME; { echo "$t0 $t1"; times; } > "$out"';

/** Variables Meshplane reads: removed from the children's environment so the caller's shell cannot change a figure. */
const MESHPLANE_VARS = [/^KUBE_VERSION$/, /^KUBE_API_VERSIONS$/, /^ARGOCD_/, /^PARAM_/, /^MESHPLANE_/, /^NODE_OPTIONS$/];

function childEnv(extra) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !MESHPLANE_VARS.some((re) => re.test(k))));
  return { ...env, ...extra };
}

/** How peak RSS is measured on this machine. */
export const RSS_METHOD = existsSync(GNU_TIME) ? 'gnu-time' : 'proc-vmhwm-poll';

/** Whether CPU and wall times come from bash (see the top of this file): bash 5 or later, for $EPOCHREALTIME. */
const BASH_TIMES = RSS_METHOD === 'gnu-time' && existsSync(BASH) && /^([5-9]|\d\d)\./.test(spawnSync(BASH, ['-c', 'echo $BASH_VERSION'], { encoding: 'utf8' }).stdout ?? '');

/** How wall and CPU times are measured on this machine: bash (1 ms CPU steps), GNU time (10 ms CPU steps), or the wall clock alone. */
export const TIME_METHOD = BASH_TIMES ? 'bash-times' : RSS_METHOD === 'gnu-time' ? 'gnu-time' : 'wall-only';

/**
 * Runs `cmd args` once. `stdin` is a file path (or undefined for /dev/null); stdout goes to
 * `stdoutFile` (default /dev/null). Returns { wallMs, cpuMs, rssKb, code, stderr }.
 */
export async function measure(cmd, args, options = {}) {
  const stdinFd = openSync(options.stdin ?? '/dev/null', 'r');
  const stdoutFd = openSync(options.stdoutFile ?? '/dev/null', 'w');
  const timeFile = path.join(os.tmpdir(), `meshplane-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const timesFile = `${timeFile}.times`;
  const gnu = [GNU_TIME, ['-f', '%U %S %M %x', '-o', timeFile, cmd, ...args]];
  const [file, argv] = RSS_METHOD !== 'gnu-time' ? [cmd, args] : BASH_TIMES ? [BASH, ['-c', TIMES_SCRIPT, 'bash', timesFile, ...gnu.flat()]] : gnu;
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
    const fine = BASH_TIMES ? readTimes(timesFile) : undefined;
    return { wallMs: fine?.wallMs ?? wallMs, cpuMs: fine?.cpuMs ?? (Number(user) + Number(sys)) * 1000, rssKb: Number(rss), code: signal ?? Number(exit), stderr };
  } finally {
    closeSync(stdinFd);
    closeSync(stdoutFd);
    rmSync(timeFile, { force: true });
    rmSync(timesFile, { force: true });
  }
}



/**
 * The wall and CPU milliseconds {@link TIMES_SCRIPT} wrote: the command's wall time, and the CPU
 * of the shell's children (GNU time and the command); undefined when the file does not parse.
 * Either decimal mark is read: bash writes the locale's.
 */
export function readTimes(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8').replace(/,/g, '.');
  } catch {
    return undefined;
  }
  const [bounds, , children] = text.trim().split('\n');
  const [t0, t1] = (bounds ?? '').split(' ').map(Number);
  const cpu = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(children ?? '');
  if (!cpu || !Number.isFinite(t0) || !Number.isFinite(t1)) return undefined;
  const seconds = (m, s) => Number(m) * 60 + Number(s);
  // Rounded to the microsecond: the sums of decimal seconds carry binary noise.
  const ms = (x) => Math.round(x * 1e6) / 1e3;
  return { wallMs: ms(t1 - t0), cpuMs: ms(seconds(cpu[1], cpu[2]) + seconds(cpu[3], cpu[4])) };
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
