/**
 * The one command-line parser: argv + a command path from the table → {@link Args}. Flags follow
 * the usual GNU forms (`--name value`, `--name=value`, `-o value`, `--` ends the flags). Every
 * mistake is a `usage` error naming the command, the offending word and, when a known name is
 * close, the name that was probably meant. Precedence of every flag: command line > environment
 * variable (when the shell reads it, {@link FlagDef.envReadBy}) > default; the mesh.yaml layer is
 * applied by the render (docs/cli.md).
 */
import { MeshplaneError } from '../core/errors.js';
import type { Notice } from '../core/types.js';
import { suggest } from '../pipeline/suggest.js';
import { envNames, flagsOf, type Args, type CommandSpec, type FlagDef } from './spec.js';

/** The parse result: everything a handler needs except the colour decision, plus notices for stderr. */
export interface Parsed extends Omit<Args, 'color' | 'table'> {
  notices: Notice[];
}

type Values = Record<string, string | boolean | string[] | undefined>;

/** The command path as typed (`upgrade plan`). */
export function commandName(path: readonly CommandSpec[]): string {
  return path.map((c) => c.name).join(' ');
}

/** A usage error of `command`, with the help hint. */
export function usageError(command: string, message: string): MeshplaneError {
  return new MeshplaneError('usage', `meshplane ${command}: ${message}`, [], `run \`meshplane ${command} --help\``);
}

/** Parses `argv` (the words after the command path) against the flags and positionals of `path`. */
export function parseCommandLine(path: readonly CommandSpec[], argv: readonly string[], env: Record<string, string | undefined>): Parsed {
  const command = commandName(path);
  const flags = flagsOf(path);
  const values: Values = {};
  const given = new Set<string>();
  const words: string[] = [];
  const notices: Notice[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      words.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const spelled = word.startsWith('--') ? (eq > 0 ? word.slice(0, eq) : word) : word;
    let name = findFlag(command, flags, spelled);
    const def = flags[name] as FlagDef;
    if (def.deprecatedFor) {
      notices.push({ level: 'warning', message: `${spelled} is deprecated; use ${flagLabel(def.deprecatedFor, flags[def.deprecatedFor] as FlagDef)}` });
      name = def.deprecatedFor;
    }
    const inline = word.startsWith('--') && eq > 0 ? word.slice(eq + 1) : undefined;
    given.add(name);
    if (def.type === 'boolean') {
      if (inline !== undefined) throw usageError(command, `${spelled} takes no value (got "${inline}")`);
      values[name] = true;
      continue;
    }
    const value = inline ?? argv[i + 1];
    if (value === undefined || (inline === undefined && value.startsWith('-') && value !== '-')) {
      throw usageError(command, `${spelled} needs a value${def.valueName ? ` (${def.valueName})` : ''}${value !== undefined ? `; write ${spelled}=${value} if "${value}" is the value` : ''}`);
    }
    if (inline === undefined) i++;
    values[name] = def.multiple ? [...((values[name] as string[] | undefined) ?? []), value] : value;
  }
  applyEnvironment(command, flags, values, given, env, notices);
  for (const [name, def] of Object.entries(flags)) if (values[name] === undefined && def.default !== undefined) values[name] = def.default;
  for (const [name, def] of Object.entries(flags)) checkChoices(command, name, def, values[name], given.has(name));
  return { command, values, given, positionals: assignPositionals(command, path[path.length - 1] as CommandSpec, words), notices };
}

/** `-o, --output` or `--output`. */
export function flagLabel(name: string, def: FlagDef): string {
  return def.short ? `-${def.short}/--${name}` : `--${name}`;
}

function findFlag(command: string, flags: Record<string, FlagDef>, spelled: string): string {
  if (spelled.startsWith('--')) {
    const name = spelled.slice(2);
    if (Object.hasOwn(flags, name)) return name;
    const guess = suggest(name, Object.keys(flags));
    throw usageError(command, `unknown flag ${quote(spelled)}${guess ? `; did you mean --${guess}?` : ''}`);
  }
  const letter = spelled.slice(1);
  const found = Object.entries(flags).find(([, d]) => d.short === letter);
  if (found && letter.length === 1) return found[0];
  const likely = Object.keys(flags).filter((n) => n.startsWith(letter.slice(0, 1)) && !flags[n]?.deprecatedFor && n !== 'help');
  const hint = likely.length ? `; did you mean ${likely.map((n) => `--${n}`).join(' or ')}?` : '';
  throw usageError(command, `unknown flag ${quote(spelled)}${hint}`);
}

/** Command line > environment: fills flags the shell reads from the environment; notes overrides. */
function applyEnvironment(command: string, flags: Record<string, FlagDef>, values: Values, given: Set<string>, env: Record<string, string | undefined>, notices: Notice[]): void {
  for (const [name, def] of Object.entries(flags)) {
    const reader = def.envReadBy ?? 'shell';
    if (reader === 'color' || def.intentField !== undefined) continue;
    const set = envNames(def).find((e) => env[e] !== undefined && env[e] !== '');
    if (set === undefined) continue;
    const fromEnv = env[set] as string;
    if (given.has(name)) {
      const flagValue = values[name];
      if (String(flagValue) !== fromEnv) notices.push({ level: 'warning', message: `--${name} ${Array.isArray(flagValue) ? flagValue.join(',') : String(flagValue)} overrides ${set}=${fromEnv}` });
      continue;
    }
    if (reader !== 'shell') continue;
    values[name] = def.type === 'boolean' ? envBoolean(command, set, fromEnv) : def.multiple ? fromEnv.split(',') : fromEnv;
  }
}

function envBoolean(command: string, name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw usageError(command, `${name} is "${raw}", not true or false`);
}

function checkChoices(command: string, name: string, def: FlagDef, value: Values[string], fromFlag: boolean): void {
  if (!def.choices || value === undefined) return;
  for (const v of Array.isArray(value) ? value : [String(value)]) {
    if (def.choices.includes(v)) continue;
    const guess = suggest(v, def.choices);
    const source = fromFlag ? `--${name}` : `${envNames(def).join(' or ')} (for --${name})`;
    throw usageError(command, `${source} must be one of ${def.choices.join(', ')} (got ${quote(v)})${guess ? `; did you mean ${guess}?` : ''}`);
  }
}

function assignPositionals(command: string, spec: CommandSpec, words: string[]): Args['positionals'] {
  const out: Record<string, string | string[] | undefined> = {};
  const defs = spec.positionals ?? [];
  let i = 0;
  for (const def of defs) {
    if (def.variadic) {
      out[def.name] = words.slice(i);
      i = words.length;
    } else {
      out[def.name] = words[i];
      if (words[i] !== undefined) i++;
    }
    if (!def.optional && (out[def.name] === undefined || (def.variadic && (out[def.name] as string[]).length === 0))) {
      throw usageError(command, `missing argument <${def.name}> (${def.description})`);
    }
  }
  if (i < words.length) {
    const extra = words.slice(i).map(quote).join(' ');
    const takes = defs.length === 0 ? 'takes no arguments' : `takes ${defs.map((d) => (d.optional ? `[${d.name}]` : `<${d.name}>`)).join(' ')}`;
    throw usageError(command, `unexpected argument ${extra}: \`meshplane ${command}\` ${takes}`);
  }
  return out;
}

/** A user's word in double quotes (the error formatter escapes control characters). */
export function quote(word: string): string {
  return `"${word}"`;
}
