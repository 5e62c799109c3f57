/** The CLI shell: picks a command, wires real process I/O, and returns the exit code. */
import { readFileSync } from 'node:fs';
import { packagePath } from '../core/paths.js';
import { findCommand, loadAllCommands } from './commands/index.js';
import type { Io } from './io.js';

/**
 * A reader that closes stdout early (`meshplane generate | head`) makes writes fail with EPIPE,
 * which Node turns into an uncaught exception with a stack trace. Report it in one line and fail:
 * the output was cut short, so the run must not look successful.
 */
function onStdoutError(err: NodeJS.ErrnoException): void {
  if (err.code !== 'EPIPE') throw err;
  process.stderr.write('error[output-closed]: stdout was closed before all of the output was written\n  fix: read the whole output (redirect it to a file instead of piping it into a command that stops early)\n');
  process.exit(2);
}

/** Process-backed I/O. */
export function processIo(): Io {
  if (!process.stdout.listeners('error').includes(onStdoutError)) process.stdout.on('error', onStdoutError);
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    isTTY: process.stderr.isTTY === true,
  };
}

function version(): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
}

/** Help text listing every command (printed on stdout for --help, stderr on misuse). */
export async function helpText(): Promise<string> {
  const commands = await loadAllCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `meshplane ${version()}: the Istio service-mesh add-on, delivered through GitOps\n\nUsage: meshplane <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun \`meshplane <command> --help\` for a command's options.\nExit codes: 0 clean (warnings allowed), 1 policy violations (diff: changes), 2 invalid input, usage or internal error.\n`;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
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
    io.stderr(`error[usage]: unknown command "${name}"\n  fix: run \`meshplane --help\` for the list of commands\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.summary}\n\nUsage: ${command.usage}\n\nExamples:\n${command.examples.map((e) => `  ${e}`).join('\n')}\n`);
    return 0;
  }
  return command.run(rest, io);
}
