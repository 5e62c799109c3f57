/**
 * `meshplane serve`: the Meshplane server (docs/server.md). The server modules (express,
 * prom-client, pino) are imported only inside run(), so `meshplane --help` and every other
 * command never load them.
 */
import { MeshplaneError } from '../../core/errors.js';
import type { Handler } from '../spec.js';
import type { Io } from '../io.js';

/** Signals that start a graceful shutdown. Why both: Kubernetes sends SIGTERM, a terminal Ctrl-C sends SIGINT. */
const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Log levels (the command table lists the same; table.test.ts compares them). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;

/** The serve handler (flags: the `serve` entry of the command table). */
export const runServeCommand: Handler = async (args, io) => {
  const { values } = args;
  const host = values.host as string;
  const port = whole('port', values.port, 0, 65535) as number;
  const logLevel = values['log-level'] as (typeof LOG_LEVELS)[number];
  const { checkBind, loadToken } = await import('../../server/auth.js');
  const token = await loadToken(values['token-file'] as string | undefined, io.env);
  checkBind(host, token, values['insecure-allow-unauthenticated'] === true);
  const limits = {
    ...opt('maxBodyBytes', whole('max-body-bytes', values['max-body-bytes'], 1024, 2 ** 31)),
    ...opt('maxConcurrent', whole('max-concurrent', values['max-concurrent'], 1, 1024)),
    ...opt('maxQueue', whole('max-queue', values['max-queue'], 0, 100_000)),
    ...opt('deadlineMs', whole('deadline-ms', values['deadline-ms'], 100, 3_600_000)),
  };
  const cacheBytes = whole('cache-bytes', values['cache-bytes'], 0, 2 ** 40);
  const workers = whole('workers', values.workers, 0, 256);
  const { loadTls } = await import('../../server/tls.js');
  const tls = await loadTls(values['tls-cert'] as string | undefined, values['tls-key'] as string | undefined, io.env);
  return serve(io, { host, port, token, limits, logLevel, ...opt('cacheBytes', cacheBytes), ...opt('workers', workers), ...(tls ? { tls } : {}) });
};

interface ServeOptions {
  host: string;
  port: number;
  token: string | undefined;
  limits: Record<string, number>;
  cacheBytes?: number;
  workers?: number;
  logLevel: (typeof LOG_LEVELS)[number];
  tls?: { cert: Buffer; key: Buffer };
}

/** Starts the server and resolves with 0 once a stop signal has drained it. */
async function serve(io: Io, options: ServeOptions): Promise<number> {
  const { startServer } = await import('../../server/start.js');
  const { createLogger } = await import('../../server/log.js');
  const logger = createLogger((line) => io.stderr(line), options.logLevel);
  // Defence in depth: a stray rejection is a bug to log, never a reason to drop every request in flight.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason instanceof Error ? reason.message : String(reason) }, 'unhandled rejection'));
  const running = await startServer({ ...options, logger });
  const stopped = new Promise<string>((resolve) => {
    for (const signal of STOP_SIGNALS) process.once(signal, () => resolve(signal));
  });
  await running.shutdown(await stopped);
  return 0;
}

function whole(flag: string, raw: unknown, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new MeshplaneError('usage', `meshplane serve: --${flag} must be a whole number from ${min} to ${max} (got "${String(raw)}")`, [], 'run `meshplane serve --help`');
  }
  return n;
}

function opt(key: string, value: number | undefined): Record<string, number> {
  return value === undefined ? {} : { [key]: value };
}
