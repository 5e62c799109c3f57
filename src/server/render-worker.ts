/**
 * A render worker (worker_threads): runs the real core (src/server/core.ts) off the main thread,
 * so a render's CPU work (YAML parsing, schema checks, jsonnet, emitting) never delays cached
 * answers, probes or other requests. Messages in: `{id, method, args}`; out: `{id, ok, value}` or
 * `{id, ok: false, error}` with a MeshplaneError's code, details and hint kept for the answer.
 */
import { parentPort } from 'node:worker_threads';
import { MeshplaneError } from '../core/errors.js';
import { defaultCore, type ServerCore } from './core.js';

/** The core operations a worker runs. */
export type CoreMethod = 'generate' | 'check' | 'diff' | 'postRender';

/** A task sent to a worker. */
export interface WorkerTask {
  id: number;
  method: CoreMethod;
  args: unknown[];
}

/** An error as it crosses the thread boundary. */
export type WireError =
  | { kind: 'meshplane'; code: string; message: string; details: unknown[]; hint?: string | undefined }
  | { kind: 'other'; message: string; stack?: string | undefined };

/** A worker's reply. */
export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

/**
 * A generate result as it crosses the thread boundary: the output as UTF-8 bytes whose buffer is
 * transferred, not copied. Why: structured-cloning a full mesh's ~0.2 MB of text, then encoding
 * it again on the main thread for the socket, cost more main-thread time per fleet render than
 * anything else there (profiled, canary example); the bytes are what the answer sends anyway.
 */
export interface WireGenerateResult {
  outputBytes?: Uint8Array;
  [field: string]: unknown;
}

/** An error → its wire form. */
export function toWire(err: unknown): WireError {
  if (err instanceof MeshplaneError) return { kind: 'meshplane', code: err.code, message: err.message, details: err.details, hint: err.hint };
  return err instanceof Error ? { kind: 'other', message: err.message, stack: err.stack } : { kind: 'other', message: String(err) };
}

/**
 * Runs one task on the in-thread core; the objects of a generate stay here (answers never need
 * them) and its output becomes bytes (see {@link WireGenerateResult}).
 */
export async function runTask(core: ServerCore, task: WorkerTask): Promise<unknown> {
  const call = core[task.method] as (...args: unknown[]) => Promise<unknown>;
  const value = await call(...task.args);
  if (task.method !== 'generate') return value;
  const { output, ...rest } = value as { output?: string };
  const wire: WireGenerateResult = { ...rest, objects: [] };
  if (output !== undefined) wire.outputBytes = new TextEncoder().encode(output);
  return wire;
}

/** The buffers a reply can transfer instead of copying (a generate's output bytes). */
export function transferList(value: unknown): ArrayBuffer[] {
  const bytes = (value as WireGenerateResult | undefined)?.outputBytes;
  // Only a buffer the bytes own whole: transferring a shared one (a pool) would detach its other users.
  const whole = bytes instanceof Uint8Array && bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole ? [bytes.buffer as ArrayBuffer] : [];
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (task: WorkerTask) => {
    runTask(defaultCore, task).then(
      (value) => port.postMessage({ id: task.id, ok: true, value } satisfies WorkerReply, transferList(value)),
      (err: unknown) => port.postMessage({ id: task.id, ok: false, error: toWire(err) } satisfies WorkerReply),
    );
  });
}
