/**
 * Entry of the client bundle (dist/src/bundle/client.cjs, built by scripts/bundle.mjs):
 * `meshplane generate` handed to a Meshplane server (--server or MESHPLANE_SERVER). Why a bundle
 * of its own: a generate the server answers needs the CLI's parser, the source read and the
 * exchange, not the template engine, the guardrails or the YAML library, and loading the whole
 * generate bundle with its code cache was most of what such a process cost
 * (docs/performance.md "The server as a cache"). It runs the generate command's own handler,
 * unchanged; the modules a generate the server answered never reaches are left out of it.
 *
 * It finishes the command itself when the server answered (a render result, or an input error
 * the CLI prints as its own) or when the command fails with an error of the CLI's own before
 * that (a usage error, an unreadable source): the full CLI would print the same. Anything else
 * (the server did not answer, `--help`, a path that reaches a module left out, which is empty
 * there and so fails with a TypeError) prints nothing and hands over: bin/meshplane then runs
 * the whole command in the full CLI, telling it, when the server was asked and did not answer,
 * not to ask a second time. Until it knows which, it holds stdout and stderr.
 */
import { MeshplaneError } from '../core/errors.js';
import { processIo, reportError, type Io } from './io.js';
import { asksHelp, handlerArgs, resolvePath } from './main.js';
import { runGenerateCommand } from './commands/generate.js';
import { serverOutcome } from './remote-generate.js';

/**
 * How the client ended: `done` (everything written; the exit code; `answered` when the server
 * answered) or `hand-over` (nothing written: run the full CLI; why the server did not answer,
 * when it was asked).
 */
export type ClientOutcome = { kind: 'done'; code: number; answered: boolean } | { kind: 'hand-over'; serverFailure?: string };

/**
 * Runs `argv` (`generate ...`, without node and script) as the full CLI would, holding stderr
 * and stdout until it knows whether it finishes the command; then writes both (stdout in one
 * checked pass).
 */
export async function clientMain(argv: readonly string[]): Promise<ClientOutcome> {
  const [name, ...rest] = argv;
  if (name !== 'generate') return { kind: 'hand-over' };
  const held: string[] = [];
  const pio = processIo(() => Promise.reject(new Error('generate reads no stdin')));
  const io: Io = { ...pio, stderr: (text) => void held.push(text) };
  let code: number;
  let failed = false;
  try {
    const { path, words } = resolvePath(name, rest);
    if (asksHelp(words)) return { kind: 'hand-over' };
    code = await runGenerateCommand(handlerArgs(path, words, io), io);
  } catch (err) {
    if (!(err instanceof MeshplaneError)) return handOver();
    failed = true;
    code = reportError(io, err);
  }
  const answered = serverOutcome()?.kind === 'answered';
  // Defensive: the handler returns only with the server's answer (rendering in-process fails here), or has thrown.
  if (!answered && !failed) return handOver();
  pio.stderr(held.join(''));
  return { kind: 'done', code: pio.finish(code), answered };
}

/** Nothing was written: the full CLI runs the command, told why the server did not answer when it was asked. */
function handOver(): ClientOutcome {
  const outcome = serverOutcome();
  return outcome?.kind === 'unavailable' ? { kind: 'hand-over', serverFailure: outcome.reason } : { kind: 'hand-over' };
}
