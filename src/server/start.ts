/**
 * Starting and stopping a server: render workers, listen, warm up (then /readyz turns ready), and
 * on SIGTERM or SIGINT drain: /readyz turns 503, the listener stops accepting, requests in flight finish, idle
 * kept-alive connections close, and the returned promise resolves so the process exits 0.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { MeshplaneError } from '../core/errors.js';
import { createApp } from './app.js';
import { createContext, type ContextOptions, type ServerContext } from './context.js';
import type { ServerCore } from './core.js';
import { applyServerTimeouts, DEFAULT_LIMITS, serverOptions } from './limits.js';
import { workerCore, WorkerPool } from './worker-pool.js';
import { warmUp } from './warmup.js';

/** A listening server. */
export interface RunningServer {
  server: Server;
  ctx: ServerContext;
  /** `http://host:port` as bound (port 0 resolved). */
  url: string;
  /** Resolves when the warm-up ended (true when ready). */
  warm: Promise<boolean>;
  /** Drains and closes; resolves once every connection is closed. */
  shutdown(reason: string): Promise<void>;
}

/** Where to listen, and the context options. */
export interface StartOptions extends ContextOptions {
  host: string;
  port: number;
  /** Render worker threads (default: one per render slot); 0 renders on the main thread. */
  workers?: number;
  /** PEM certificate chain and private key: serve HTTPS instead of HTTP (docs/server.md, "TLS"). */
  tls?: { cert: Buffer | string; key: Buffer | string };
}

/** Poll interval while draining. Why 25 ms: short next to any render, negligible CPU. */
const DRAIN_POLL_MS = 25;

/** Listens on host:port and starts the warm-up. Throws `usage` when the address cannot be bound. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const ctx = createContext({ ...options, core: options.core ?? renderCore(options) });
  const server = listener(options, ctx);
  applyServerTimeouts(server, ctx.limits);
  try {
    await listen(server, options.host, options.port);
  } catch (err) {
    await ctx.core.close?.();
    throw err;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${options.tls ? 'https' : 'http'}://${host}:${address.port}`;
  ctx.logger.info({ host: address.address, port: address.port, tls: options.tls !== undefined, auth: ctx.token ? 'bearer-token' : 'none', limits: ctx.limits }, 'listening');
  const warm = warmUp(ctx);
  let closing: Promise<void> | undefined;
  const shutdown = (reason: string) => (closing ??= drain(server, ctx, reason, warm));
  return { server, ctx, url, warm, shutdown };
}

/**
 * The HTTP server, or the HTTPS one when a certificate is given. An https.Server is an http.Server
 * with a TLS handshake in front (same request, timeout and connection-closing API), so the rest
 * of the lifecycle treats both alike.
 */
function listener(options: StartOptions, ctx: ServerContext): Server {
  const app = createApp(ctx);
  if (!options.tls) return createServer(serverOptions(ctx.limits), app);
  return createTlsServer({ ...serverOptions(ctx.limits), cert: options.tls.cert, key: options.tls.key }, app);
}

/** The core of a started server: the real core in worker threads, unless workers is 0. */
function renderCore(options: StartOptions): ServerCore | undefined {
  const workers = options.workers ?? options.limits?.maxConcurrent ?? DEFAULT_LIMITS.maxConcurrent;
  if (workers === 0) return undefined;
  const pool = new WorkerPool(workers, (detail) => options.logger?.error({ detail }, 'render worker replaced'));
  return workerCore(pool);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(new MeshplaneError('usage', `meshplane serve: cannot listen on ${host}:${port}: ${err.code ?? err.message}`, [], err.code === 'EADDRINUSE' ? 'pick a free --port, or stop the process using it' : 'check --host and --port'));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * Stops accepting, waits for the work in flight and the warm-up renders (bounded by the deadline),
 * then closes what is left. Why the warm-up too: its renders go to the workers outside the gate,
 * and terminating a worker while the jsonnet addon evaluates on its thread aborts the whole
 * process (a SIGTERM right after start ended in SIGABRT, "terminate called after throwing an
 * instance of 'Napi::Error'", instead of exit 0).
 */
async function drain(server: Server, ctx: ServerContext, reason: string, warm: Promise<boolean>): Promise<void> {
  ctx.state.draining = true;
  ctx.logger.info({ reason, inFlight: ctx.state.inFlight, queued: ctx.gate.queued }, 'shutting down: finishing requests in flight');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const giveUp = Date.now() + ctx.limits.deadlineMs + ctx.limits.requestTimeoutMs;
  let warming = true;
  void warm.finally(() => (warming = false));
  while ((ctx.state.inFlight > 0 || ctx.gate.running > 0 || warming) && Date.now() < giveUp) await sleep(DRAIN_POLL_MS);
  if (ctx.state.inFlight > 0) ctx.logger.warn({ inFlight: ctx.state.inFlight }, 'drain time is up: closing the remaining connections');
  server.closeAllConnections();
  await closed;
  await ctx.core.close?.();
  ctx.logger.info({}, 'stopped');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
