/**
 * `GET /healthz` (the process answers), `GET /readyz` (templates loaded, warm-up render passed,
 * not draining) and `GET /metrics` (Prometheus text). None needs the token: kubelet probes and
 * Prometheus scrapes carry none, and none of them reveals a source or a secret.
 */
import type { Request, Response } from 'express';
import type { ServerContext } from '../context.js';

/** GET /healthz. */
export function healthzRoute(ctx: ServerContext) {
  return (_req: Request, res: Response): void => {
    res.json({ status: 'ok', version: ctx.version });
  };
}

/** GET /readyz: 200 when ready, else 503 with the reason. */
export function readyzRoute(ctx: ServerContext) {
  return (_req: Request, res: Response): void => {
    const { ready, draining, reason } = ctx.state;
    if (ready && !draining) {
      res.json({ status: 'ready', version: ctx.version });
      return;
    }
    res.status(503).json({ status: draining ? 'draining' : 'not-ready', reason: draining ? 'shutting down: finishing the requests in flight' : reason });
  };
}

/** GET /metrics. */
export function metricsRoute(ctx: ServerContext) {
  return async (_req: Request, res: Response): Promise<void> => {
    const text = await ctx.metrics.registry.metrics();
    res.set('content-type', ctx.metrics.registry.contentType).send(text);
  };
}
