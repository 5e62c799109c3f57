/**
 * The path every computing route takes: cache lookup → (miss) a slot in the render gate before
 * the request's deadline → the core → cache store → the answer, with the exit class in a header.
 * Only deterministic answers (200 and 422) are cached; errors are computed again each time.
 */
import type { Request, Response } from 'express';
import type { Violation } from '../rules/types.js';
import type { CachedAnswer } from './cache.js';
import type { ServerContext } from './context.js';
import { errorBody, type ErrorBody } from './errors.js';

/** The routes, as metric and log labels. */
export type RouteName = 'render' | 'check' | 'diff' | 'post-render' | 'healthz' | 'readyz' | 'metrics' | 'other';

/** An answer before it is sent (same shape as a cached one). */
export type Answer = CachedAnswer;

/** Request facts recorded on arrival (res.locals). */
export interface RequestFacts {
  id: string;
  route: RouteName;
  arrived: number;
  cache?: 'hit' | 'miss';
  exitCode?: number;
}

/** The facts of a request. */
export function facts(res: Response): RequestFacts {
  return res.locals as RequestFacts;
}

/** Header carrying the CLI exit code an answer stands for (0 clean, 1 violations or diff changes). */
export const EXIT_CODE_HEADER = 'meshplane-exit-code';

/** Answers from the cache or by computing; errors propagate to the error handler. */
export async function answerWith(ctx: ServerContext, req: Request, res: Response, key: string, compute: () => Promise<Answer>): Promise<void> {
  const f = facts(res);
  const hit = ctx.cache.get(key);
  if (hit) {
    ctx.metrics.cacheHits.inc({ route: f.route });
    f.cache = 'hit';
    return send(res, hit);
  }
  ctx.metrics.cacheMisses.inc({ route: f.route });
  f.cache = 'miss';
  const aborted = new AbortController();
  res.on('close', () => aborted.abort());
  const answer = await ctx.gate.run(() => timed(ctx, f.route, compute), f.arrived + ctx.limits.deadlineMs, aborted.signal);
  if (answer.status === 200 || answer.status === 422) ctx.cache.set(key, answer);
  send(res, answer);
}

async function timed(ctx: ServerContext, route: RouteName, compute: () => Promise<Answer>): Promise<Answer> {
  const end = ctx.metrics.renderSeconds.startTimer({ route });
  try {
    const answer = await compute();
    end({ outcome: answer.status === 200 ? 'clean' : 'violations' });
    return answer;
  } catch (err) {
    end({ outcome: 'error' });
    throw err;
  }
}

function send(res: Response, answer: Answer): void {
  facts(res).exitCode = answer.exitCode;
  res.status(answer.status).set('content-type', answer.contentType).set(EXIT_CODE_HEADER, String(answer.exitCode)).set('meshplane-cache', facts(res).cache ?? 'miss').send(answer.body);
}

/** A JSON answer. */
export function jsonAnswer(status: number, exitCode: number, value: unknown, contentType = 'application/json; charset=utf-8'): Answer {
  return { status, exitCode, contentType, body: Buffer.from(`${JSON.stringify(value)}\n`, 'utf8') };
}

/** A text answer. */
export function textAnswer(status: number, exitCode: number, text: string, contentType: string): Answer {
  return { status, exitCode, contentType, body: Buffer.from(text, 'utf8') };
}

/** The error body of a 422: one detail per error-severity finding (the resource as `path`). */
export function violationsError(violations: readonly Violation[]): ErrorBody {
  const errors = violations.filter((v) => v.severity === 'error');
  const details = errors.map((v) => ({ ...(v.where ? { where: v.where } : {}), path: v.resource, message: `[${v.ruleId}] ${v.message}`, hint: v.remediation }));
  const message = `${errors.length} guardrail finding${errors.length === 1 ? '' : 's'} of severity error: the output is withheld (fail closed)`;
  return errorBody('policy-violations', message, details, 'fix the findings, or add a spec.policy.exceptions entry with a reason and an expiry date');
}

/** Counts findings per rule and severity in the metrics. */
export function countViolations(ctx: ServerContext, violations: readonly Violation[]): void {
  for (const v of violations) ctx.metrics.violations.inc({ rule: v.ruleId, severity: v.severity });
}
