/**
 * An evaluation started before its input is known. libjsonnet spends most of an evaluation of the
 * templates setting up its standard library and reading the bundle before it first needs the
 * input (docs/performance.md), so a `generate` starts the evaluation first and works the input
 * out while that set-up runs on the addon's thread. The bundle asks for its input through a
 * native function (src/engine/bundle.ts `nativeInputBundle`); this module answers it.
 *
 * Shared by the template engine (`prestart`) and the CLI's start-ahead step, which starts one
 * before the rest of the CLI is loaded; it imports nothing of Meshplane.
 */
import type { JsonnetVm } from './addon.js';

/** The native function through which a bundle made by `nativeInputBundle` asks for its input. */
export const INPUT_CALLBACK = 'meshplane_input';

/** The stack depth every evaluation runs with (libjsonnet's default, 500, said explicitly: the templates recurse little). */
export const MAX_STACK = 500;

/** An evaluation waiting for its input, or running, or done. */
export interface StartedEvaluation {
  /** The snippet it evaluates, and the file name its errors name: whoever supplies the input checks they are the ones it would evaluate. */
  readonly text: string;
  readonly filename: string;
  /** Hands over the input (a JSON string); `running` is called once the evaluation has taken it. */
  supply(json: string, running?: () => void): void;
  /** Refuses the input: the evaluation ends with an error as soon as it asks (the error is swallowed). */
  refuse(reason: Error): void;
  /** The evaluation's output; rejects when it fails or was refused. */
  readonly result: Promise<string>;
  /** True once the evaluation has asked for its input (libjsonnet's set-up is over). */
  readonly asked: () => boolean;
  /** True once {@link result} has settled: the addon's thread is free again. */
  readonly settled: () => boolean;
}

/**
 * Starts evaluating `text` on `vm`, which asks for its input through {@link INPUT_CALLBACK}.
 * Undefined when the addon has no native callbacks. The caller must eventually supply or refuse
 * the input: until then the evaluating thread blocks, and Node cannot exit while it does.
 */
export function startEvaluation(vm: JsonnetVm, text: string, filename: string): StartedEvaluation | undefined {
  const register = vm._nativeCallback;
  if (typeof register !== 'function') return undefined;
  let resolveInput!: (json: string) => void;
  let rejectInput!: (reason: Error) => void;
  const input = new Promise<string>((resolve, reject) => {
    resolveInput = resolve;
    rejectInput = reject;
  });
  // A refusal is an answer the addon receives, not an error of this process.
  input.catch(() => undefined);
  // Why the order matters: the addon calls back on the main thread, so the evaluation waits for
  // the main thread to be free; the caller's `running` work must not run before the evaluation
  // has its input, or it would hold the evaluation up.
  const state: { asked: boolean; running?: (() => void) | undefined; settled: boolean } = { asked: false, settled: false };
  vm.setMaxStack(MAX_STACK);
  register.call(vm, INPUT_CALLBACK, () => {
    state.asked = true;
    const running = state.running;
    state.running = undefined;
    if (running) setImmediate(running);
    return input;
  });
  const result = vm.evaluateSnippet(text, filename);
  const settle = () => {
    state.settled = true;
  };
  // Marked handled: a refused evaluation rejects and nobody awaits it.
  result.then(settle, settle);
  return {
    text,
    filename,
    result,
    asked: () => state.asked,
    settled: () => state.settled,
    supply(json, running) {
      resolveInput(json);
      if (state.asked) running?.();
      else state.running = running;
    },
    refuse(reason) {
      rejectInput(reason);
    },
  };
}
