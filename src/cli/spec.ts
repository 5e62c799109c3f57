/**
 * The shape of the declarative command table (src/cli/commands/table.ts): every command, its
 * subcommands, flags and positionals as plain data. Parsing (parse.ts), help (help.ts), shell
 * completion (completion.ts), docs/cli.md and the README command reference are all read from
 * this data, so a flag is declared once and described once.
 */
import type { Io } from './io.js';

/** One flag of a command. */
export interface FlagDef {
  type: 'string' | 'boolean';
  /** One-letter alias (`o` for `-o`). */
  short?: string;
  /** May be repeated; the values are collected in order. */
  multiple?: boolean;
  /** The value when neither the command line nor the environment sets it (applied by the parser, shown in help). */
  default?: string | boolean;
  /** The default in words when the handler computes it (`today (UTC)`); shown in help, never applied. */
  defaultText?: string;
  /** One line for help, completion and docs. */
  description: string;
  /** Placeholder in help (`--now YYYY-MM-DD`); default VALUE. */
  valueName?: string;
  /** The only values allowed; completion offers them. */
  choices?: readonly string[];
  /**
   * Environment variable(s) that set this flag when it is not given. The shell applies the first
   * one that is set, unless {@link FlagDef.envReadBy} says another layer reads it.
   */
  env?: string | readonly string[];
  /**
   * Who reads {@link FlagDef.env}: `shell` (default: parse.ts uses it as the flag's fallback),
   * `render` (the render reads it itself, beside the mesh.yaml field in {@link FlagDef.intentField};
   * the shell passes only the command-line value) or `color` (the colour decision, color.ts).
   */
  envReadBy?: 'shell' | 'render' | 'color';
  /** The mesh.yaml field this flag overrides (flag > environment > mesh.yaml > default). */
  intentField?: string;
  /** Deprecated spelling of another flag of the same command: accepted with a notice on stderr. */
  deprecatedFor?: string;
}

/** One positional argument. */
export interface PositionalDef {
  name: string;
  description: string;
  /** May be left out (`[dir]`); required otherwise (`<revision>`). */
  optional?: boolean;
  /** Takes every remaining argument. */
  variadic?: boolean;
  /** Shown in help when optional. */
  default?: string;
}

/** What a handler receives: the parsed command line. */
export interface Args {
  /** The command path as typed, e.g. `upgrade plan`. */
  command: string;
  /** Flag values after precedence (command line > environment > default), by long name. */
  values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  /** Flags given on the command line itself (not from the environment or a default). */
  given: ReadonlySet<string>;
  /** Positionals by their declared name (variadic ones as arrays). */
  positionals: Readonly<Record<string, string | string[] | undefined>>;
  /** Whether each stream may carry ANSI colour (color.ts). */
  color: { stdout: boolean; stderr: boolean };
  /** The whole command table (for `completion`; handed in so a handler never imports the table that loads it). */
  table: readonly CommandSpec[];
}

/** A command's behaviour: parsed arguments and I/O in, exit code out. */
export type Handler = (args: Args, io: Io) => Promise<number>;

/** One entry of the command table. */
export interface CommandSpec {
  name: string;
  summary: string;
  /** Longer help text (optional), printed under the summary. */
  description?: string;
  /** Flags of this command (every subcommand also accepts its parent's flags). */
  flags: Readonly<Record<string, FlagDef>>;
  positionals?: readonly PositionalDef[];
  /** Example invocations; each must parse (the registry test runs them through the parser). */
  examples: readonly string[];
  /** Subcommands (`upgrade plan`); a command with subcommands has no handler of its own. */
  subcommands?: readonly CommandSpec[];
  /** The handler module, imported only when the command runs (cold start of `generate`). */
  load?: () => Promise<Handler>;
  /** Where the README command reference links for details. */
  docs?: string;
}

/** Flags every command accepts (added by the shell; declared once here). */
export const GLOBAL_FLAGS: Readonly<Record<string, FlagDef>> = {
  color: {
    type: 'string', choices: ['auto', 'always', 'never'], default: 'auto', valueName: 'WHEN', env: ['NO_COLOR', 'FORCE_COLOR'], envReadBy: 'color',
    description: 'colour text output: auto (only on a terminal), always or never; decided for stdout and stderr separately',
  },
  help: { type: 'boolean', short: 'h', description: 'print this help' },
};

/** `--kube-version`, shared by every command that renders. */
export const KUBE_VERSION_FLAG: FlagDef = {
  type: 'string', valueName: 'VERSION', env: 'KUBE_VERSION', envReadBy: 'render', intentField: 'spec.cluster.kubernetesVersion',
  description: 'target Kubernetes version (1.32; v1.32.3 accepted); overrides KUBE_VERSION and mesh.yaml',
};

/** `--now`, shared by every command that checks exceptions against a date. */
export const NOW_FLAG: FlagDef = { type: 'string', valueName: 'YYYY-MM-DD', defaultText: 'today (UTC)', description: 'the date policy exceptions are checked against' };

/** `--verbose`, shared by the commands that print info notices. */
export const VERBOSE_FLAG: FlagDef = { type: 'boolean', default: false, description: 'also print info-level notices on stderr' };

/** `-o/--output` with the given formats; the first is the default. */
export function outputFlag(choices: readonly string[], description = 'output format'): FlagDef {
  return { type: 'string', short: 'o', choices, default: choices[0] as string, valueName: 'FORMAT', description };
}

/** The flags of a command path (parents first, then the global ones). */
export function flagsOf(path: readonly CommandSpec[]): Record<string, FlagDef> {
  return Object.assign({}, ...path.map((c) => c.flags), GLOBAL_FLAGS) as Record<string, FlagDef>;
}

/** The env variable names of a flag as a list. */
export function envNames(flag: FlagDef): readonly string[] {
  return flag.env === undefined ? [] : typeof flag.env === 'string' ? [flag.env] : flag.env;
}
