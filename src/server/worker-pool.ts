/**
 * A fixed pool of render workers and the ServerCore that uses it. The render gate (limits.ts)
 * already bounds renders in flight to the pool size, so a task normally finds an idle worker;
 * the pool still queues, to stay correct if used alone. A worker that dies fails only its own
 * task and is replaced: the server keeps serving. A crash is an internal error; running out of
 * its heap is the input's doing (input-too-large, 413), not a Meshplane bug.
 */
import { Worker } from 'node:worker_threads';
import { MeshplaneError, type ErrorCode, type ErrorDetail } from '../core/errors.js';
import { SMALLER_REQUEST } from '../pipeline/heap-budget.js';
import type { ServerCore, ServerGenerateResult } from './core.js';
import type { CoreMethod, WireError, WireGenerateResult, WorkerReply, WorkerTask } from './render-worker.js';

/**
 * Heap of one worker. Why 1 GiB: a 64 MiB source (the load limit) of ordinary manifests parses
 * into a few hundred MB of objects. Many tiny objects cost far more per byte; the estimate of
 * src/pipeline/heap-budget.ts refuses most such sources before parsing, and one that passes it yet
 * reaches the limit (one map of long values) is answered as an input that is too large.
 */
export const WORKER_HEAP_MB = 1024;

/** The error of a task whose worker ran out of its heap: the input's size, said as such. */
export function heapExhausted(heapMb: number): MeshplaneError {
  return new MeshplaneError(
    'input-too-large',
    `the request needed more than the ${heapMb} MiB heap a render may use`,
    [],
    SMALLER_REQUEST,
  );
}

interface Slot {
  worker: Worker;
  busy?: { id: number; resolve: (v: unknown) => void; reject: (e: Error) => void };
}

interface Pending {
  task: WorkerTask;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/** Worker threads running the real core. */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Pending[] = [];
  private nextId = 1;
  private closing = false;

  constructor(readonly size: number, private readonly onWorkerExit: (detail: string) => void = () => undefined, private readonly heapMb = WORKER_HEAP_MB) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /** Runs one core method in a worker. */
  run(method: CoreMethod, args: unknown[]): Promise<unknown> {
    if (this.closing) return Promise.reject(new Error('the render pool is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ task: { id: this.nextId++, method, args }, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    this.closing = true;
    for (const p of this.waiting.splice(0)) p.reject(new Error('the render pool is closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(new URL('./render-worker.js', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: this.heapMb } });
    const slot: Slot = { worker };
    worker.on('message', (reply: WorkerReply) => this.settle(slot, reply));
    worker.on('error', (err: Error & { code?: unknown }) => {
      // Node's code for a worker stopped at its resourceLimits (worker_threads docs, 'ERR_WORKER_OUT_OF_MEMORY').
      const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.lose(slot, `render worker failed: ${err.message}`, oom ? heapExhausted(this.heapMb) : undefined);
    });
    worker.on('exit', (code) => this.lose(slot, `render worker exited with code ${code}`));
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const next = this.waiting.shift();
      if (!next) return;
      slot.busy = { id: next.task.id, resolve: next.resolve, reject: next.reject };
      slot.worker.postMessage(next.task);
    }
  }

  private settle(slot: Slot, reply: WorkerReply): void {
    const busy = slot.busy;
    if (!busy || busy.id !== reply.id) return;
    slot.busy = undefined;
    if (reply.ok) busy.resolve(reply.value);
    else busy.reject(fromWire(reply.error));
    this.dispatch();
  }

  /** A worker is gone: fail its task, and replace it unless the pool is closing. */
  private lose(slot: Slot, detail: string, cause?: MeshplaneError): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    slot.busy?.reject(cause ?? new Error(detail));
    slot.busy = undefined;
    if (this.closing) return;
    this.onWorkerExit(detail);
    this.slots[i] = this.spawn();
    this.dispatch();
  }
}

/** A wire error → the error the answer mapping understands. */
export function fromWire(e: WireError): Error {
  if (e.kind === 'meshplane') return new MeshplaneError(e.code as ErrorCode, e.message, e.details as ErrorDetail[], e.hint);
  const err = new Error(e.message);
  if (e.stack) err.stack = e.stack;
  return err;
}

/** A worker's generate result → the server's: the transferred bytes as a Buffer (no copy), `output` decoded lazily from them. */
export function fromWireGenerate(wire: WireGenerateResult): ServerGenerateResult {
  const { outputBytes, ...rest } = wire;
  const result = rest as unknown as ServerGenerateResult;
  if (outputBytes === undefined) return result;
  const bytes = Buffer.from(outputBytes.buffer, outputBytes.byteOffset, outputBytes.byteLength);
  let text: string | undefined;
  result.outputBytes = bytes;
  Object.defineProperty(result, 'output', { enumerable: true, configurable: true, get: () => (text ??= bytes.toString('utf8')) });
  return result;
}

/** The ServerCore running on a pool. */
export function workerCore(pool: WorkerPool): ServerCore {
  const call = <T>(method: CoreMethod, args: unknown[]) => pool.run(method, args) as Promise<T>;
  return {
    generate: async (...args) => fromWireGenerate(await call<WireGenerateResult>('generate', args)),
    check: (...args) => call('check', args),
    diff: (...args) => call('diff', args),
    postRender: (...args) => call('postRender', args),
    parallelism: pool.size,
    close: () => pool.close(),
  };
}
