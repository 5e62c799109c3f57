import type { Io } from './io.js';

/** A CLI command: help text as data plus a handler that returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Example invocations, shown in help and the README. */
  examples: string[];
  run(argv: string[], io: Io): Promise<number>;
}
