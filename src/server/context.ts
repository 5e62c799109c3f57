/**
 * Everything the routes share: the core, limits, cache, gate, metrics, logger, token and
 * readiness. Built once per server; tests build their own with an injected core.
 */
import type { Logger } from 'pino';
import { meshplaneVersion } from '../flows/check-inputs.js';
import { buildInfo, catalogKnowledge } from './build-info.js';
import { AnswerCache, dataFingerprint } from './cache.js';
import { defaultCore, type ServerCore } from './core.js';
import { DEFAULT_LIMITS, RenderGate, type ServerLimits } from './limits.js';
import { createLogger } from './log.js';
import { createMetrics, type ServerMetrics } from './metrics.js';

/** Readiness: ready once templates loaded and the warm-up render passed; draining after SIGTERM. */
export interface ServerState {
  ready: boolean;
  draining: boolean;
  /** Requests received and not yet answered (shutdown waits for 0). */
  inFlight: number;
  /** Why the server is not ready (shown by /readyz). */
  reason: string;
}

/** The shared state of one server. */
export interface ServerContext {
  core: ServerCore;
  limits: ServerLimits;
  cache: AnswerCache;
  gate: RenderGate;
  metrics: ServerMetrics;
  logger: Logger;
  token: string | undefined;
  version: string;
  /** Version + shipped data fingerprint: part of every cache key. */
  fingerprint: string;
  state: ServerState;
  /** The clock (tests pin it); decides the day in cache keys. */
  clock: () => Date;
}

/** Options of {@link createContext}; everything has a default. */
export interface ContextOptions {
  core?: ServerCore;
  limits?: Partial<ServerLimits>;
  cacheBytes?: number;
  logger?: Logger;
  token?: string | undefined;
  clock?: () => Date;
}

/** Default cache budget. Why 256 MiB: a full mesh answer is ~0.2 MB, so ~1000 distinct answers, well under a 1 GiB pod limit. */
export const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024;

/** Builds a context (not ready: the warm-up sets `state.ready`). */
export function createContext(options: ContextOptions = {}): ServerContext {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const cache = new AnswerCache(options.cacheBytes ?? DEFAULT_CACHE_BYTES);
  const gate = new RenderGate(limits);
  const version = meshplaneVersion();
  return {
    core: options.core ?? defaultCore,
    limits,
    cache,
    gate,
    metrics: createMetrics(cache, gate, buildInfo(), catalogKnowledge()),
    logger: options.logger ?? createLogger((line) => void process.stderr.write(line), 'silent'),
    token: options.token,
    version,
    fingerprint: dataFingerprint(version),
    state: { ready: false, draining: false, inFlight: 0, reason: 'starting: the warm-up render has not finished' },
    clock: options.clock ?? (() => new Date()),
  };
}
