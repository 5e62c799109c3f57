/** Small pieces the route handlers share: the parsed JSON body and the day of the server's clock. */
import type { Request } from 'express';
import { HttpError } from '../errors.js';
import type { ServerContext } from '../context.js';

/** The JSON body, or 415 when the request was not sent as JSON. */
export function requireJson(req: Request): unknown {
  if (req.body === undefined || !req.is(['application/json', 'application/*+json'])) {
    throw new HttpError(415, 'unsupported-media-type', `this route takes a JSON body (got ${req.get('content-type') ?? 'no content type'})`, { hint: 'send Content-Type: application/json' });
  }
  return req.body;
}

/** YYYY-MM-DD of the server's clock: expiry and end-of-life change per day, so cache keys do too. */
export function dayOf(ctx: ServerContext): string {
  return ctx.clock().toISOString().slice(0, 10);
}
