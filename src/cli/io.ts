/**
 * The I/O a command may use. Commands never touch process.* directly, so tests run them
 * in-process with captured streams, and stdout stays clean by construction.
 */
import type { Notice } from '../core/types.js';
import { formatError, formatPosition, MeshplaneError } from '../core/errors.js';

/** Streams and environment of one command run. */
export interface Io {
  /** Writes to stdout: manifests or the requested report, nothing else. */
  stdout(text: string): void;
  /** Writes to stderr: diagnostics and logs. */
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Reads all of stdin (post-render). */
  readStdin(): Promise<string>;
  /** True when stderr is a terminal (colour allowed). */
  isTTY: boolean;
}

/** Prints notices on stderr; info-level ones only when verbose. */
export function printNotices(io: Io, notices: Notice[], verbose: boolean): void {
  for (const n of notices) {
    if (n.level === 'info' && !verbose) continue;
    const at = n.where ? `${formatPosition(n.where)}: ` : '';
    io.stderr(`${n.level}: ${at}${n.message}\n`);
  }
}

/** Prints an error on stderr and returns exit code 2. Unexpected errors are reported as internal. */
export function reportError(io: Io, err: unknown): number {
  if (err instanceof MeshplaneError) {
    io.stderr(`${formatError(err)}\n`);
  } else {
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`error[internal]: ${message}\n  fix: this is a Meshplane bug; rerun with MESHPLANE_DEBUG=1 for a stack trace and report it\n`);
    if (process.env.MESHPLANE_DEBUG && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
  }
  return 2;
}
