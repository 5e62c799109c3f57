/**
 * `--report-file`: a copy of what a command printed on stderr (its findings, notices or error),
 * kept in a file for a caller that throws stderr away. Why it exists: Helm 4 runs a post-renderer
 * plugin with its stderr collected into a buffer nothing reads, and reports a failure only as
 * `plugin "<name>" exited with error` (helm v4.2.4 internal/plugin/runtime_subprocess.go,
 * runPostrenderer and executeCmd). The file is replaced atomically on every run, clean runs too,
 * so it never shows the findings of an earlier release.
 */
import path from 'node:path';
import { MeshplaneError } from '../core/errors.js';
import { checkReplaceable, replaceFileAtomically, type WriteTarget } from '../core/write-atomic.js';
import { errorText, type Io } from './io.js';

/**
 * The most a report file holds, in bytes. Why 1 MiB: thousands of findings fit; a stream with more
 * is cut there (stderr still has all of it) rather than writing without bound.
 */
export const MAX_REPORT_BYTES = 1024 * 1024;

/** What each exit code means, in the report's first line. */
const OUTCOME: Record<number, string> = {
  0: 'clean: the manifests were passed on',
  1: 'guardrail violations: nothing was passed on',
  2: 'invalid input, usage or internal error: nothing was passed on',
};

/** The report: a line naming the command and its exit code, then what it printed on stderr, cut at {@link MAX_REPORT_BYTES}. */
export function reportText(command: string, exitCode: number, stderr: string): string {
  const head = `meshplane ${command}: exit ${exitCode} (${OUTCOME[exitCode] ?? 'see the lines below'})\n`;
  const body = stderr === '' ? 'nothing was printed on stderr\n' : stderr;
  const full = head + body;
  if (Buffer.byteLength(full, 'utf8') <= MAX_REPORT_BYTES) return full;
  const tail = `… cut at ${MAX_REPORT_BYTES} bytes: the rest was printed on stderr only\n`;
  const room = MAX_REPORT_BYTES - Buffer.byteLength(head + tail, 'utf8');
  // Cut at the last line end inside the room (a character split by the byte cut lies after it).
  const cut = Buffer.from(body, 'utf8').subarray(0, room).toString('utf8');
  const lineEnd = cut.lastIndexOf('\n');
  return head + (lineEnd >= 0 ? cut.slice(0, lineEnd + 1) : '') + tail;
}

/** The report file as errors name it, resolved against the working directory. */
function reportTarget(given: string, io: Io): { abs: string; target: WriteTarget } {
  return { abs: path.resolve(io.cwd, given), target: { shown: `--report-file ${given}`, fix: 'pass a path in a folder that exists and is writable' } };
}

/** Errors whose report {@link withReportFile} has written already (so {@link reportEarlyError} leaves the file alone). */
const written = new WeakSet<object>();

/**
 * The report file a command line names before it is parsed: the last `--report-file X` or
 * `--report-file=X` before `--`, else MESHPLANE_REPORT_FILE; undefined for none (or an empty one).
 */
export function reportFileOf(words: readonly string[], env: Readonly<Record<string, string | undefined>>): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < words.length && words[i] !== '--'; i++) {
    const w = words[i] as string;
    if (w === '--report-file') found = words[++i];
    else if (w.startsWith('--report-file=')) found = w.slice('--report-file='.length);
  }
  const given = found ?? env.MESHPLANE_REPORT_FILE;
  return given ? given : undefined;
}

/**
 * Writes the report of an error raised before the command ran (an unknown flag, a bad value: the
 * parser's), when the words or the environment name a report file, so that a caller that throws
 * stderr away (Helm 4) still finds why, instead of the previous run's report. A failure to write
 * it is printed too; the exit code is the error's (2) either way.
 */
export async function reportEarlyError(command: string, words: readonly string[], io: Io, err: unknown): Promise<void> {
  if (err !== null && typeof err === 'object' && written.has(err)) return;
  const given = reportFileOf(words, io.env);
  if (given === undefined) return;
  const { abs, target } = reportTarget(given, io);
  await replaceFileAtomically(abs, reportText(command, 2, errorText(err)), target).catch((writeErr: unknown) => io.stderr(errorText(writeErr)));
}

/** A command's run given an Io (the handler without the report). */
export type Run = (io: Io) => Promise<number>;

/**
 * Runs `run` and writes the report to `given` (resolved against the working directory): stderr
 * goes out as it is printed and is recorded, stdout is held until the report is written, so a
 * failed write leaves stdout empty (exit 2). An error thrown by `run` is written to the report
 * and thrown on, for the shell to print.
 */
export async function withReportFile(command: string, given: string, io: Io, run: Run): Promise<number> {
  if (given === '') throw new MeshplaneError('usage', `meshplane ${command}: --report-file needs a file path`, [], 'e.g. --report-file meshplane-report.txt, or leave out the flag (and MESHPLANE_REPORT_FILE)');
  const { abs, target } = reportTarget(given, io);
  await checkReplaceable(abs, target);
  const recorded: string[] = [];
  const held: string[] = [];
  const tee: Io = { ...io, stderr: (t) => { recorded.push(t); io.stderr(t); }, stdout: (t) => void held.push(t) };
  let code: number;
  try {
    code = await run(tee);
  } catch (err) {
    await replaceFileAtomically(abs, reportText(command, 2, recorded.join('') + errorText(err)), target).catch((writeErr: unknown) => io.stderr(errorText(writeErr)));
    if (err !== null && typeof err === 'object') written.add(err);
    throw err;
  }
  await replaceFileAtomically(abs, reportText(command, code, recorded.join('')), target);
  for (const t of held) io.stdout(t);
  return code;
}
