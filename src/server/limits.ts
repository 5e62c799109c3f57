/**
 * The server's limits: body size, renders at once (with a bounded queue: beyond it 503 +
 * Retry-After), a deadline per request, and socket timeouts so a slow or silent client cannot
 * hold a connection. A render past its deadline is answered 503 at once, but keeps its slot
 * until it really ends: the count of running renders never lies about the work in progress.
 */
import type { Server, ServerOptions } from 'node:http';
import os from 'node:os';
import { HttpError } from './errors.js';

/** Every limit, in one place (flags of `meshplane serve` set them). */
export interface ServerLimits {
  maxBodyBytes: number;
  /** Renders running at once. */
  maxConcurrent: number;
  /** Requests waiting for a slot; the next one is refused with 503. */
  maxQueue: number;
  /** From arrival to answer, queue wait included. */
  deadlineMs: number;
  /** Seconds a refused client is told to wait. */
  retryAfterSeconds: number;
  /** Time to receive the request headers, and the whole request. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Idle time of a kept-alive connection. */
  keepAliveTimeoutMs: number;
}

/**
 * Defaults. Why these values: renders are CPU-bound and run one per worker thread, and one core
 * stays free for the main thread (cache hits, probes, I/O), so one render per core but one; 64
 * waiting covers a repo-server burst; 30 s leaves an Argo CD sync (60 s) time to fall back to an
 * in-process render; 32 MiB holds any real app source.
 */
export const DEFAULT_LIMITS: ServerLimits = {
  maxBodyBytes: 32 * 1024 * 1024,
  maxConcurrent: Math.max(1, os.availableParallelism() - 1),
  maxQueue: 64,
  deadlineMs: 30_000,
  retryAfterSeconds: 2,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
};

/**
 * Most often the server looks for requests past their header or request timeout. Why: Node
 * checks `headersTimeout` and `requestTimeout` only every `connectionsCheckingInterval`
 * (http.createServer option, default 30 000 ms; Node 20 docs, "http.createServer([options])"),
 * so with the default a 10 s header timeout fires anywhere between 10 and 40 s. Checking every
 * tenth of the header timeout (at most every second) makes it fire within 10 % of the documented value.
 */
const MAX_CHECK_INTERVAL_MS = 1_000;

/** The interval at which the server checks for timed-out requests (see {@link MAX_CHECK_INTERVAL_MS}). */
export function checkingIntervalMs(limits: ServerLimits): number {
  return Math.max(1, Math.min(MAX_CHECK_INTERVAL_MS, Math.floor(limits.headersTimeoutMs / 10)));
}

/**
 * Options for http.createServer: the timeouts, and the checking interval that can only be set
 * there. Node refuses a headersTimeout larger than a non-zero requestTimeout, so it is capped.
 */
export function serverOptions(limits: ServerLimits): ServerOptions {
  const headersTimeout = limits.requestTimeoutMs > 0 ? Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) : limits.headersTimeoutMs;
  return { headersTimeout, requestTimeout: limits.requestTimeoutMs, keepAliveTimeout: limits.keepAliveTimeoutMs, connectionsCheckingInterval: checkingIntervalMs(limits) };
}

/** Applies the socket timeouts to a listening server (the checking interval comes from {@link serverOptions}). */
export function applyServerTimeouts(server: Server, limits: ServerLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  // An idle socket (no bytes either way) is closed after the request timeout; renders answer well within it.
  server.setTimeout(limits.requestTimeoutMs + limits.deadlineMs);
}

interface Waiter {
  start: () => void;
}

/** Bounded concurrency with a bounded FIFO queue. */
export class RenderGate {
  running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private readonly limits: ServerLimits) {}

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Runs `work` in a slot before `deadline` (epoch ms). Throws 503 `overloaded` when the queue is
   * full, 503 `deadline-exceeded` when the deadline passes (waiting or running), and stops
   * waiting when `signal` aborts (the client went away).
   */
  async run<T>(work: () => Promise<T>, deadline: number, signal?: AbortSignal): Promise<T> {
    await this.acquire(deadline, signal);
    const task = work().finally(() => this.release());
    return raceDeadline(task, deadline, this.limits);
  }

  private acquire(deadline: number, signal?: AbortSignal): Promise<void> {
    if (this.running < this.limits.maxConcurrent) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.limits.maxQueue) return Promise.reject(overloaded(this.limits));
    return new Promise<void>((resolve, reject) => {
      const leave = (err: Error) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(err);
      };
      const onAbort = () => leave(new HttpError(499, 'request-invalid', 'the client closed the connection'));
      const timer = setTimeout(() => leave(deadlineExceeded(this.limits, 'waiting for a render slot')), Math.max(0, deadline - Date.now()));
      const waiter: Waiter = {
        start: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next.start();
    else this.running--;
  }
}

/** Resolves with `task` or rejects at the deadline; a late rejection of `task` is swallowed, never unhandled. */
export function raceDeadline<T>(task: Promise<T>, deadline: number, limits: ServerLimits): Promise<T> {
  task.catch(() => undefined);
  const left = deadline - Date.now();
  if (left <= 0) return Promise.reject(deadlineExceeded(limits, 'rendering'));
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(deadlineExceeded(limits, 'rendering')), left);
    task.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** 503 for a full queue. */
export function overloaded(limits: ServerLimits): HttpError {
  return new HttpError(503, 'overloaded', `the server is busy: ${limits.maxConcurrent} renders running and ${limits.maxQueue} waiting`, {
    headers: { 'retry-after': String(limits.retryAfterSeconds) },
    hint: `retry after ${limits.retryAfterSeconds} s, or render in-process (meshplane generate does so by itself)`,
  });
}

/** 503 for a request past its deadline. */
export function deadlineExceeded(limits: ServerLimits, phase: string): HttpError {
  return new HttpError(503, 'deadline-exceeded', `the request ran past its ${limits.deadlineMs} ms deadline while ${phase}`, {
    headers: { 'retry-after': String(limits.retryAfterSeconds) },
    hint: 'retry later; if it keeps happening, raise --deadline-ms or add server replicas',
  });
}
