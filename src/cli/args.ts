/**
 * Legacy flag parsing (node parseArgs). The CLI itself parses from the command table
 * (src/cli/parse.ts); `parseFlags` stays only so commands written against the old interface
 * compile until they are ported to the table (docs/cli.md, "Adding a command"); `choice` is used
 * by the server routes.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { MeshplaneError } from '../core/errors.js';

/** Options spec for {@link parseFlags}. */
export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

/** Parsed flags and positionals. */
export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** Parses argv strictly; unknown flags and missing values are usage errors naming the command. */
export function parseFlags(command: string, argv: string[], options: FlagSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (err) {
    throw new MeshplaneError('usage', `meshplane ${command}: ${(err as Error).message}`, [], `run \`meshplane ${command} --help\``);
  }
}

/** Reads a string flag, rejecting values outside `allowed` with the list of allowed ones. */
export function choice<T extends string>(command: string, flag: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new MeshplaneError('usage', `meshplane ${command}: --${flag} must be one of ${allowed.join(', ')} (got "${String(value)}")`, [], `run \`meshplane ${command} --help\``);
}
