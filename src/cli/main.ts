/** The CLI shell: picks a command, wires real process I/O, and returns the exit code. */
import { readFileSync } from 'node:fs';
import { packagePath } from '../core/paths.js';
import { decodeUtf8, readStreamBounded } from '../core/read-input.js';
import { terminalSafe } from '../core/terminal-text.js';
import { findCommand, loadAllCommands } from './commands/index.js';
import { DEFAULT_STDIN_BYTES, processIo, stdinTimeoutMs, type Io } from './io.js';

/** Reads stdin to its end, stopping with an input error past `maxBytes` or past the time limit. */
async function readProcessStdin(maxBytes = DEFAULT_STDIN_BYTES): Promise<string> {
  const maxMs = stdinTimeoutMs(process.env.MESHPLANE_STDIN_TIMEOUT_SECONDS);
  const buf = await readStreamBounded(process.stdin, { shown: 'stdin', fix: 'pipe only the manifests of one release into meshplane' }, maxBytes, maxMs);
  return decodeUtf8(buf, 'stdin');
}

function version(): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
}

/** Help text listing every command (printed on stdout for --help, stderr on misuse). */
export async function helpText(): Promise<string> {
  const commands = await loadAllCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `meshplane ${version()}: the Istio service-mesh add-on, delivered through GitOps\n\nUsage: meshplane <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun \`meshplane <command> --help\` for a command's options.\nExit codes: 0 clean (warnings allowed), 1 policy violations (diff: changes), 2 invalid input, usage, internal error or stdout that could not be written.\nStdout is written only after the command has finished; killed by a signal (SIGTERM, SIGINT), the process ends at once with the shell status 128+signal and writes nothing more.\n`;
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

async function run(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(await helpText());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === 'version') {
    io.stdout(`${version()}\n`);
    return 0;
  }
  const command = await findCommand(name);
  if (!command) {
    io.stderr(`error[usage]: unknown command "${terminalSafe(name)}"\n  fix: run \`meshplane --help\` for the list of commands\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.summary}\n\nUsage: ${command.usage}\n\nExamples:\n${command.examples.map((e) => `  ${e}`).join('\n')}\n`);
    return 0;
  }
  return command.run(rest, io);
}
