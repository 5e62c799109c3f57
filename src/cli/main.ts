/**
 * The CLI shell: finds the command path in the command table, prints help, parses the flags,
 * decides colour per stream, loads the handler and returns its exit code.
 */
import { MeshplaneError } from '../core/errors.js';
import { decodeUtf8, readStreamBounded } from '../core/read-input.js';
import { suggest } from '../pipeline/suggest.js';
import { colorFor, type ColorMode } from './color.js';
import { COMMAND_TABLE } from './commands/table.js';
import { commandHelp, globalHelp } from './help.js';
import { packageVersion } from './version-info.js';
import { DEFAULT_STDIN_BYTES, printNotices, processIo, reportError, stdinTimeoutMs, type Io } from './io.js';
import { commandName, parseCommandLine, quote, usageError } from './parse.js';
import type { Args, CommandSpec } from './spec.js';

/** Reads stdin to its end, stopping with an input error past `maxBytes` or past the time limit. */
async function readProcessStdin(maxBytes = DEFAULT_STDIN_BYTES): Promise<string> {
  const maxMs = stdinTimeoutMs(process.env.MESHPLANE_STDIN_TIMEOUT_SECONDS);
  const buf = await readStreamBounded(process.stdin, { shown: 'stdin', fix: 'pipe only the manifests of one release into meshplane' }, maxBytes, maxMs);
  return decodeUtf8(buf, 'stdin', {
    encoding: 'pipe UTF-8 text into meshplane (helm template and az aks show write it); convert other encodings first, e.g. with iconv',
    binary: 'pipe the YAML or JSON text the command reads (the manifests of one release, or az aks show JSON), not a binary file',
  });
}


/** Help text listing every command (printed on stdout for --help, stderr on misuse). */
export function helpText(): string {
  return globalHelp(COMMAND_TABLE, packageVersion());
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code. Without `io`,
 * it runs on the process: stdout is held until the command ends, then written in one checked
 * pass (exit 2 and one line on stderr when the write fails).
 */
export async function main(argv: string[], io?: Io): Promise<number> {
  if (io) return run(argv, io);
  const pio = processIo(readProcessStdin);
  return pio.finish(await run(argv, pio));
}

/** Words that ask for help wherever they stand before `--`. */
const HELP_WORDS = ['--help', '-h'];
/** Top-level flags that are not commands. */
const TOP_FLAGS = ['--help', '--version'];

async function run(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      io.stderr(helpText());
      return 2;
    }
    if (HELP_WORDS.includes(name)) return print(io, helpText());
    if (name === '--version') return print(io, `${packageVersion()}\n`);
    if (name.startsWith('-')) {
      const guess = name.startsWith('--') ? suggest(name, TOP_FLAGS) : TOP_FLAGS.find((f) => f[2] === name[1]);
      throw new MeshplaneError('usage', `unknown flag ${quote(name)} before the command${guess ? `; did you mean ${guess}?` : ''}`, [], 'run `meshplane --help`: flags come after the command (`meshplane generate --verbose`)');
    }
    if (name === 'help') return helpFor(rest, io);
    const { path, words } = resolvePath(name, rest);
    if (asksHelp(words)) return print(io, commandHelp(path));
    const last = path[path.length - 1] as CommandSpec;
    if (last.subcommands) throw usageError(commandName(path), `say what to do: ${last.subcommands.map((s) => s.name).join(', ')}`);
    const args = handlerArgs(path, words, io);
    const handler = await (path[0] as CommandSpec).load?.();
    if (!handler) return print(io, helpText());
    return await handler(args, io);
  } catch (err) {
    const code = reportError(io, err);
    // Loaded only here: the report writer brings node:crypto, which a generate never needs.
    if (name !== undefined && REPORTING_COMMANDS.includes(name)) await (await import('./report-file.js')).reportEarlyError(name, rest, io, err);
    return code;
  }
}

/**
 * Commands with a --report-file flag (the command table's), whose report also records an error
 * raised before they run (report-file.ts reportEarlyError): the report must not keep the previous
 * run's verdict when this one failed on its flags.
 */
const REPORTING_COMMANDS: readonly string[] = COMMAND_TABLE.filter((c) => 'report-file' in c.flags).map((c) => c.name);

/** True when a help word stands among a command's words before `--`: the command's help is printed instead. */
export function asksHelp(words: readonly string[]): boolean {
  return words.slice(0, until(words)).some((w) => HELP_WORDS.includes(w));
}

/**
 * What a command's handler is given: its words parsed against the command path (flags after
 * command line > environment > default), colour decided per stream, and the command table.
 * Prints the parser's notices (a deprecated flag...) on stderr.
 */
export function handlerArgs(path: readonly CommandSpec[], words: readonly string[], io: Io): Args {
  const parsed = parseCommandLine(path, words, io.env);
  printNotices(io, parsed.notices, false);
  const mode = (parsed.values.color ?? 'auto') as ColorMode;
  const color = { stdout: colorFor(mode, io.stdoutTTY ?? false, io.env), stderr: colorFor(mode, io.isTTY, io.env) };
  return { ...parsed, color, table: COMMAND_TABLE };
}

function print(io: Io, text: string): number {
  io.stdout(text);
  return 0;
}

function until(words: readonly string[]): number {
  const end = words.indexOf('--');
  return end < 0 ? words.length : end;
}

/** `meshplane help [command [subcommand]]`. */
function helpFor(words: string[], io: Io): number {
  const [first, ...more] = words.filter((w) => !HELP_WORDS.includes(w));
  if (first === undefined) return print(io, words.length > 0 ? commandHelp(resolvePath('help', []).path) : helpText());
  const { path, words: left } = resolvePath(first, more);
  if (left.length > 0) throw usageError('help', `unexpected argument ${quote(left[0] as string)}: \`meshplane ${commandName(path)}\` has no subcommands`);
  return print(io, commandHelp(path));
}

/** The command path named by the leading words (`upgrade plan`), and the words after it. */
export function resolvePath(name: string, rest: readonly string[]): { path: CommandSpec[]; words: string[] } {
  const spec = COMMAND_TABLE.find((c) => c.name === name);
  if (!spec) throw unknownName('unknown command', name, COMMAND_TABLE, 'run `meshplane --help` for the list of commands');
  const path = [spec];
  let words = [...rest];
  for (let last = spec; last.subcommands && words[0] !== undefined && !words[0].startsWith('-'); ) {
    const sub: CommandSpec | undefined = last.subcommands.find((s) => s.name === words[0]);
    if (!sub) throw unknownName(`unknown subcommand of \`meshplane ${commandName(path)}\``, words[0], last.subcommands, `run \`meshplane ${commandName(path)} --help\``);
    path.push(sub);
    words = words.slice(1);
    last = sub;
  }
  return { path, words };
}

function unknownName(what: string, word: string, among: readonly CommandSpec[], fix: string): MeshplaneError {
  const names = among.map((c) => c.name);
  const prefixed = names.filter((n) => n.startsWith(word) && word.length > 0);
  const guess = prefixed.length ? prefixed : [suggest(word, names)].filter((g): g is string => g !== undefined);
  return new MeshplaneError('usage', `${what} ${quote(word)}${guess.length ? `; did you mean ${guess.join(' or ')}?` : ''}`, [], fix);
}
