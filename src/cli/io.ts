/**
 * The I/O a command may use. Commands never touch process.* directly, so tests run them
 * in-process with captured streams, and stdout stays clean by construction.
 *
 * The process-backed Io holds stdout until the command has finished and then writes it in one
 * checked, synchronous pass ({@link writeAllSync}): a failed command never leaves half a render
 * behind, a partial write is continued until every byte is out, and a failed write (ENOSPC,
 * EPIPE, EIO, …) ends the run with exit 2 and one line on stderr. Signals keep their default
 * action (no handler is installed), so SIGTERM or SIGINT while a slow reader drains the output
 * ends the process at once with the shell status 128+signal and nothing more is written.
 */
import { fstatSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Notice } from '../core/types.js';
import { formatError, formatPosition, MeshplaneError } from '../core/errors.js';
import { terminalSafe } from '../core/terminal-text.js';

/** Streams and environment of one command run. */
export interface Io {
  /** Writes to stdout: manifests or the requested report, nothing else. */
  stdout(text: string): void;
  /** Writes to stderr: diagnostics and logs. */
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Reads all of stdin (post-render), bounded by `maxBytes`. */
  readStdin(maxBytes?: number): Promise<string>;
  /** True when stderr is a terminal. */
  isTTY: boolean;
  /** True when stdout is a terminal (colour on stdout is decided separately: src/cli/color.ts). */
  stdoutTTY?: boolean;
}

/** Prints notices on stderr; info-level ones only when verbose. */
export function printNotices(io: Io, notices: Notice[], verbose: boolean): void {
  for (const n of notices) {
    if (n.level === 'info' && !verbose) continue;
    const at = n.where ? `${formatPosition(n.where)}: ` : '';
    io.stderr(`${n.level}: ${terminalSafe(at + n.message)}\n`);
  }
}

/** Prints an error on stderr and returns exit code 2. Unexpected errors are reported as internal. */
export function reportError(io: Io, err: unknown): number {
  io.stderr(errorText(err));
  if (!(err instanceof MeshplaneError) && process.env.MESHPLANE_DEBUG && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
  return 2;
}

/** The text {@link reportError} prints for an error (without the debug stack trace), ending in a newline. */
export function errorText(err: unknown): string {
  if (err instanceof MeshplaneError) return `${formatError(err)}\n`;
  const message = err instanceof Error ? err.message : String(err);
  return `error[internal]: ${terminalSafe(message)}\n  fix: this is a Meshplane bug; rerun with MESHPLANE_DEBUG=1 for a stack trace and report it\n`;
}

/** A write to stdout that could not be completed. */
export class OutputError extends Error {
  readonly errno: string;
  constructor(errno: string, message: string) {
    super(message);
    this.name = 'OutputError';
    this.errno = errno;
  }
}

/** Pause between attempts when a non-blocking descriptor is full (EAGAIN): the reader is slow, not gone. */
const RETRY_PAUSE_MS = 5;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes every byte of `data` to `fd`, synchronously: short writes are continued where they
 * stopped and EAGAIN (a full non-blocking pipe) waits and retries. Any other failure throws an
 * {@link OutputError} naming the errno; the caller decides what that means for the run.
 */
export function writeAllSync(fd: number, data: Uint8Array): void {
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(fd, data, offset, data.length - offset);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
      if (code === 'EAGAIN' || code === 'EINTR') {
        Atomics.wait(pause, 0, 0, RETRY_PAUSE_MS);
        continue;
      }
      throw new OutputError(code, (err as Error).message);
    }
  }
}

/**
 * What a failed write to stdout means, in words a person can act on. Why these: the errnos a
 * full disk, a quota, a file size limit and a closed pipe give. A closed pipe keeps its own code
 * (`output-closed`, the reader stopped early); every other failure is `output-failed`.
 */
const OUTPUT_FAILURES: Readonly<Record<string, { code?: string; what: string; fix: string }>> = {
  EPIPE: { code: 'output-closed', what: 'stdout was closed before all of the output was written', fix: 'read the whole output (redirect it to a file instead of piping it into a command that stops early)' },
  ENOSPC: { what: 'no space left on the device stdout writes to; the output is incomplete', fix: 'free space on that file system or redirect the output elsewhere, then run again' },
  EDQUOT: { what: 'the disk quota of the file stdout writes to is exhausted; the output is incomplete', fix: 'free space within the quota or redirect the output elsewhere, then run again' },
  EFBIG: { what: 'the file stdout writes to reached its size limit; the output is incomplete', fix: 'redirect the output to a file system without that limit' },
};

/** The one-line error (plus its fix) printed when stdout cannot be written. */
export function outputFailure(err: OutputError): string {
  const known = OUTPUT_FAILURES[err.errno];
  const what = known?.what ?? `writing stdout failed (${err.errno}); the output is incomplete`;
  const fix = known?.fix ?? 'check the device or pipe stdout goes to, then run again';
  return `error[${known?.code ?? 'output-failed'}]: ${what}\n  fix: ${fix}\n`;
}

/** An Io whose stdout is held until {@link ProcessIo.finish}. */
export interface ProcessIo extends Io {
  /** Writes the held stdout and returns the exit code of the run: `code`, or 2 when writing failed. */
  finish(code: number): number;
}

/** Bytes of stdin post-render accepts by default: the same bound as a whole source tree. */
export const DEFAULT_STDIN_BYTES = 64 * 1024 * 1024;

/**
 * Seconds stdin may stay open by default. Why 60: Argo CD's repo-server gives a whole render 60 s
 * by default, and Helm writes the release and closes stdin at once, so a pipe still open after
 * that is a writer that will never finish.
 */
export const DEFAULT_STDIN_TIMEOUT_SECONDS = 60;

/** The stdin time limit in ms from MESHPLANE_STDIN_TIMEOUT_SECONDS (a positive number), else the default. */
export function stdinTimeoutMs(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_STDIN_TIMEOUT_SECONDS * 1000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new MeshplaneError('usage', `MESHPLANE_STDIN_TIMEOUT_SECONDS="${terminalSafe(raw)}" is not a positive number of seconds`, [], `unset it (default ${DEFAULT_STDIN_TIMEOUT_SECONDS} s) or set e.g. MESHPLANE_STDIN_TIMEOUT_SECONDS=120`);
  }
  return seconds * 1000;
}

/**
 * True when `fd` is a terminal. Why not `tty.isatty` directly: loading node:tty also loads
 * node:net (~6 ms of a cold generate), and under Argo CD or a redirect the descriptors are
 * pipes or files. Every terminal is a character device, so only a character device is asked,
 * and on Linux not one of the memory devices (/dev/null, the usual redirect of a script).
 */
export function isTerminal(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice()) return false;
    if (process.platform === 'linux' && linuxMajor(st.rdev) === LINUX_MEMORY_DEVICES) return false;
  } catch {
    return false;
  }
  return (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(fd);
}

/**
 * Linux's major number of its memory devices: /dev/mem, /dev/null, /dev/zero, /dev/full,
 * /dev/random, /dev/urandom, /dev/kmsg… (the kernel's Documentation/admin-guide/devices.txt,
 * "1 char Memory devices"). None of them is a terminal.
 */
export const LINUX_MEMORY_DEVICES = 1;

/** The major number of a Linux device number, as glibc's `major()` splits it (12 bits at 8, the rest from bit 32). */
export function linuxMajor(rdev: number): number {
  return ((rdev >>> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff);
}

/** Process-backed I/O (stdout held until finish, stderr written at once). */
export function processIo(readStdin: (maxBytes?: number) => Promise<string>): ProcessIo {
  const held: string[] = [];
  const stderr = (t: string): void => {
    try {
      writeAllSync(2, Buffer.from(t, 'utf8'));
    } catch {
      // Nowhere left to report a broken stderr; the exit code still tells.
    }
  };
  return {
    stdout: (t) => void held.push(t),
    stderr,
    env: process.env,
    cwd: process.cwd(),
    readStdin,
    isTTY: isTerminal(2),
    stdoutTTY: isTerminal(1),
    finish(code) {
      const out = Buffer.from(held.join(''), 'utf8');
      held.length = 0;
      try {
        writeAllSync(1, out);
      } catch (err) {
        if (!(err instanceof OutputError)) throw err;
        stderr(outputFailure(err));
        return 2;
      }
      return code;
    },
  };
}
