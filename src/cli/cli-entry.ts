/**
 * What bin/meshplane loads: the CLI's `main`, the switch of the on-disk render cache, and the
 * hand-over of the start-ahead step (./start-ahead.ts). One module so that the bundled build
 * (scripts/bundle.mjs) and the compiled dist/ expose the same functions from the same module
 * instance.
 */
import { defaultEngine, evaluationsInFlight } from '../engine/template-engine.js';
import type { GenerateEnv } from '../core/generate-env.js';
import type { StartAhead } from './start-ahead.js';
import { noteStartAhead } from './start-ahead-record.js';
import { emitterWarmedUp } from '../flows/generate.js';

export { main } from './main.js';
export { enableDiskCache } from '../engine/template-engine.js';
export { serverAlreadyUnavailable } from './remote-generate.js';

/**
 * Hands the start-ahead step's outcome to this process's CLI: the template engine adopts a
 * started evaluation, and generate keeps the record key. Call after {@link enableDiskCache}
 * (which replaces the process-wide engine).
 */
export function adoptStartAhead(outcome: StartAhead, env: GenerateEnv): void {
  noteStartAhead(outcome, env);
  if (outcome.started) defaultEngine().adopt(outcome.started);
}

/** Refuses every evaluation the process-wide engine holds unused (bin/meshplane, after an uncaught error). */
export function releaseEvaluations(): void {
  defaultEngine().release();
}

/**
 * True when nothing of the process still runs on the addon's thread, so bin/meshplane may end a
 * finished `generate` at once instead of waiting for Node's own shutdown work.
 */
export function quiescent(): boolean {
  return evaluationsInFlight() === 0;
}

/**
 * Two lines for MESHPLANE_DEBUG: the process-wide engine's evaluations, and whether the emitter
 * was warmed up (only while an evaluation ran: a render the caches answered skips it).
 */
export function engineDebugLine(): string {
  const s = defaultEngine().stats;
  return `debug: engine: evaluations ${s.misses - s.diskHits}, from disk ${s.diskHits}, adopted ${s.adopted}, prestarted ${s.prestarted}, released ${s.released}\ndebug: emitter warm-up: ${emitterWarmedUp() ? 'ran' : 'skipped'}\n`;
}
