/**
 * `meshplane serve`: the Meshplane server (docs/server.md). The server modules (express,
 * prom-client, pino) are imported only inside run(), so `meshplane --help` and every other
 * command never load them.
 */
import { MeshplaneError } from '../../core/errors.js';
import { choice, parseFlags } from '../args.js';
import type { Command } from '../command.js';
import { reportError, type Io } from '../io.js';

/** Signals that start a graceful shutdown. Why both: Kubernetes sends SIGTERM, a terminal Ctrl-C sends SIGINT. */
const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Log levels (kept here so help does not load pino). */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;

/** One flag of serve, as data (type for parseArgs; default, description and environment variable for help). */
interface FlagDecl {
  type: 'string' | 'boolean';
  default?: string;
  description: string;
  env?: string;
}

/** Every flag of serve. */
const SERVE_FLAGS = {
  host: { type: 'string', default: '127.0.0.1', description: 'address to listen on (0.0.0.0 in a pod; a non-loopback address needs a token)' },
  port: { type: 'string', default: '8686', description: 'port to listen on (0 picks a free one)' },
  'token-file': { type: 'string', description: 'file holding the bearer token callers must send (MESHPLANE_TOKEN may hold the token itself)' },
  'insecure-allow-unauthenticated': { type: 'boolean', description: 'allow a non-loopback address without a token' },
  'tls-cert': { type: 'string', description: 'PEM certificate (chain) file: serve HTTPS (needs --tls-key)', env: 'MESHPLANE_TLS_CERT' },
  'tls-key': { type: 'string', description: 'PEM private key file of --tls-cert', env: 'MESHPLANE_TLS_KEY' },
  'max-body-bytes': { type: 'string', description: 'largest request body accepted' },
  'max-concurrent': { type: 'string', description: 'renders running at once' },
  workers: { type: 'string', description: 'render worker threads (0: render on the main thread)' },
  'max-queue': { type: 'string', description: 'requests waiting for a render slot before 503' },
  'deadline-ms': { type: 'string', description: 'time a request may wait and render before 503' },
  'cache-bytes': { type: 'string', description: 'byte budget of the answer cache' },
  'log-level': { type: 'string', default: 'info', description: 'fatal, error, warn, info, debug or silent' },
} as const satisfies Record<string, FlagDecl>;

/** The parseArgs options of {@link SERVE_FLAGS} (only the keys parseArgs knows). */
const PARSE_OPTIONS = Object.fromEntries(Object.entries(SERVE_FLAGS).map(([name, f]) => [name, { type: f.type }]));

/** The serve command. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the Meshplane HTTP server: render, check, diff and post-render for many callers, warm and cached',
  usage: 'meshplane serve [--host 127.0.0.1] [--port 8686] [--token-file <file>] [--insecure-allow-unauthenticated] [--tls-cert <file> --tls-key <file>] [--max-body-bytes N] [--max-concurrent N] [--workers N] [--max-queue N] [--deadline-ms N] [--cache-bytes N] [--log-level info]',
  examples: ['meshplane serve --port 8686', 'MESHPLANE_TOKEN=$(cat /var/run/secrets/meshplane/token) meshplane serve --host 0.0.0.0 --port 8686', 'meshplane serve --host 0.0.0.0 --token-file /var/run/secrets/meshplane/token --tls-cert /var/run/secrets/meshplane-tls/tls.crt --tls-key /var/run/secrets/meshplane-tls/tls.key'],
  async run(argv: string[], io: Io): Promise<number> {
    try {
      const { values, positionals } = parseFlags('serve', argv, PARSE_OPTIONS as Parameters<typeof parseFlags>[2]);
      if (positionals.length > 0) throw new MeshplaneError('usage', `meshplane serve: unexpected argument "${positionals[0]}"`, [], 'run `meshplane serve --help`');
      const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
      const port = whole('port', values.port, 0, 65535) ?? 8686;
      const logLevel = choice('serve', 'log-level', values['log-level'], LOG_LEVELS, 'info');
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
      return await serve(io, { host, port, token, limits, logLevel, ...opt('cacheBytes', cacheBytes), ...opt('workers', workers), ...(tls ? { tls } : {}) });
    } catch (err) {
      return reportError(io, err);
    }
  },
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
