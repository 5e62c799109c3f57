/**
 * The Express app: probes and metrics, then the four computing routes behind the token, the
 * drain guard and a body parser with the size limit. Every error, thrown or rejected, ends in
 * one handler that answers the stable error shape; nothing a client sends can crash the process.
 */
import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { facts, type RouteName } from './answer.js';
import { requireToken } from './auth.js';
import type { ServerContext } from './context.js';
import { answerFor, HttpError } from './errors.js';
import { checkRoute } from './routes/check.js';
import { diffRoute } from './routes/diff.js';
import { healthzRoute, metricsRoute, readyzRoute } from './routes/health.js';
import { postRenderRoute, YAML_TYPES } from './routes/post-render.js';
import { renderRoute } from './routes/render.js';
import { readBody } from './request.js';

/** The computing routes, by path: the four operations of docs/design.md ("Contracts"), each one module in routes/. */
const ROUTES: ReadonlyArray<[string, RouteName, (ctx: ServerContext) => (req: Request, res: Response) => Promise<void>]> = [
  ['/v1/render', 'render', renderRoute],
  ['/v1/check', 'check', checkRoute],
  ['/v1/diff', 'diff', diffRoute],
  ['/v1/post-render', 'post-render', postRenderRoute],
];

/** Builds the app of a server context. */
export function createApp(ctx: ServerContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(arrival(ctx));
  app.get('/healthz', label('healthz'), healthzRoute(ctx));
  app.get('/readyz', label('readyz'), readyzRoute(ctx));
  app.get('/metrics', label('metrics'), metricsRoute(ctx));
  const body = readBody(ctx.limits, YAML_TYPES);
  for (const [path, name, handler] of ROUTES) {
    app.post(path, label(name), requireToken(ctx.token), notDraining(ctx), body, handler(ctx));
    app.all(path, label(name), (_req, _res, next) => next(new HttpError(405, 'method-not-allowed', `${path} takes POST`, { headers: { allow: 'POST' } })));
  }
  app.use((req, _res, next) => next(new HttpError(404, 'not-found', `no route ${req.method} ${req.path.slice(0, 200)}`, { hint: 'the routes are POST /v1/render, /v1/check, /v1/diff, /v1/post-render and GET /healthz, /readyz, /metrics' })));
  app.use(errorHandler(ctx));
  return app;
}

/**
 * Routes logged at debug when answered below 500. Why these: kubelet probes and Prometheus
 * scrapes arrive every few seconds per replica and would drown the request log at info; a probe
 * that fails (5xx) or is cut off is still logged at info.
 */
const QUIET_ROUTES: ReadonlySet<RouteName> = new Set(['healthz', 'readyz', 'metrics']);

function label(route: RouteName) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    facts(res).route = route;
    next();
  };
}

/** A request id that is safe to log and echo: the caller's X-Request-Id when it looks like one. */
function requestId(req: Request): string {
  const given = req.get('x-request-id');
  return given !== undefined && /^[A-Za-z0-9._:-]{1,64}$/.test(given) ? given : randomUUID();
}

/** Records arrival; on the way out, counts, times and logs the request (never its body or headers). */
function arrival(ctx: ServerContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const f = facts(res);
    Object.assign(f, { id: requestId(req), route: 'other', arrived: Date.now() });
    res.set('x-request-id', f.id);
    if (ctx.state.draining) res.set('connection', 'close');
    const start = process.hrtime.bigint();
    let done = false;
    ctx.state.inFlight++;
    const finish = (outcome: 'answered' | 'aborted') => {
      if (done) return;
      done = true;
      ctx.state.inFlight--;
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const status = outcome === 'aborted' ? 'aborted' : String(res.statusCode);
      ctx.metrics.requests.inc({ route: f.route, method: req.method, status });
      ctx.metrics.requestSeconds.observe({ route: f.route, status }, seconds);
      const line = { reqId: f.id, method: req.method, route: f.route, status, ms: Math.round(seconds * 1e4) / 10, cache: f.cache, exitCode: f.exitCode, bytesIn: Number(req.get('content-length') ?? 0), bytesOut: Number(res.get('content-length') ?? 0) };
      if (QUIET_ROUTES.has(f.route) && outcome === 'answered' && res.statusCode < 500) ctx.logger.debug(line, 'request');
      else ctx.logger.info(line, 'request');
    };
    res.on('finish', () => finish('answered'));
    res.on('close', () => finish(res.writableFinished ? 'answered' : 'aborted'));
    next();
  };
}

function notDraining(ctx: ServerContext) {
  return (_req: Request, _res: Response, next: NextFunction): void => {
    if (!ctx.state.draining) return next();
    next(new HttpError(503, 'shutting-down', 'the server is shutting down', { headers: { 'retry-after': String(ctx.limits.retryAfterSeconds), connection: 'close' }, hint: 'retry: another replica (or an in-process render) will answer' }));
  };
}

function errorHandler(ctx: ServerContext) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    const f = facts(res);
    const answer = answerFor(err, f.id);
    if (answer.status === 503) ctx.metrics.shed.inc({ reason: answer.body.error.code });
    if (answer.internal) ctx.logger.error({ reqId: f.id, route: f.route, err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) }, 'internal error');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(answer.status).set(answer.headers).json(answer.body);
  };
}
