/** `meshplane completion bash|zsh|fish`: the shell completion script, generated from the command table. */
import { completionScript, SHELLS, type Shell } from '../completion.js';
import { quote, usageError } from '../parse.js';
import type { Handler } from '../spec.js';

/** The completion handler (the `completion` entry of the command table). */
export const runCompletionCommand: Handler = async (args, io) => {
  const shell = args.positionals.shell as string;
  if (!(SHELLS as readonly string[]).includes(shell)) throw usageError('completion', `unknown shell ${quote(shell)}: bash, zsh or fish`);
  io.stdout(completionScript(shell as Shell, args.table));
  return 0;
};
