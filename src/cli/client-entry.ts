/**
 * Entry of the client bundle (dist/src/bundle/client.cjs, built by scripts/bundle.mjs):
 * `meshplane generate` handed to a Meshplane server (--server or MESHPLANE_SERVER). Why a bundle
 * of its own: a generate the server answers needs the CLI's parser, the source read and the
 * exchange, not the template engine, the guardrails or the YAML library, and loading the whole
 * generate bundle with its code cache was most of what such a process cost
 * (docs/performance.md "The server as a cache"). It runs the generate command's own handler,
 * unchanged; the modules a generate the server answered never reaches are left out of it.
 *
 * Its result is used only when the server answered and the command ended without an error.
 * Anything else (the server did not answer, a usage or source error, a path that needs a module
 * left out) prints nothing: bin/meshplane then runs the whole command again in the full CLI,
 * telling it, when the server was asked and did not answer, not to ask a second time.
 */
import { processIo, type Io } from './io.js';
import { asksHelp, handlerArgs, resolvePath } from './main.js';
import { runGenerateCommand } from './commands/generate.js';
import { serverOutcome } from './remote-generate.js';

/** How the client ended: `answered` (everything written; the exit code) or `local` (nothing written: run the full CLI). */
export type ClientOutcome = { kind: 'answered'; code: number } | { kind: 'local'; serverFailure?: string };

/**
 * Runs `argv` (`generate ...`, without node and script) as the full CLI would, holding stderr
 * and stdout until it knows the server answered; then writes both (stdout in one checked pass).
 */
export async function clientMain(argv: readonly string[]): Promise<ClientOutcome> {
  const [name, ...rest] = argv;
  if (name !== 'generate') return { kind: 'local' };
  const held: string[] = [];
  const pio = processIo(() => Promise.reject(new Error('generate reads no stdin')));
  const io: Io = { ...pio, stderr: (text) => void held.push(text) };
  let code: number;
  try {
    const { path, words } = resolvePath(name, rest);
    if (asksHelp(words)) return { kind: 'local' };
    code = await runGenerateCommand(handlerArgs(path, words, io), io);
  } catch {
    return local();
  }
  if (serverOutcome()?.kind !== 'answered') return local();
  pio.stderr(held.join(''));
  return { kind: 'answered', code: pio.finish(code) };
}

function local(): ClientOutcome {
  const outcome = serverOutcome();
  return outcome?.kind === 'unavailable' ? { kind: 'local', serverFailure: outcome.reason } : { kind: 'local' };
}
