/**
 * The server's one error shape, `{error: {code, message, hint, details: [{where, path, message,
 * hint}]}}`, and the mapping from what went wrong to an HTTP status: input errors (MeshplaneError,
 * the same codes the CLI prints) are 400, oversized input 413, overload and deadlines 503, bugs 500.
 */
import { listedDetails, MeshplaneError, type ErrorDetail } from '../core/errors.js';
import type { SourcePosition } from '../core/types.js';

/** Codes the server adds to the CLI's ErrorCode list: problems of the HTTP request, not of the mesh source. */
export type ServerErrorCode =
  | 'request-invalid'
  | 'body-too-large'
  | 'unsupported-media-type'
  | 'unauthorized'
  | 'not-found'
  | 'method-not-allowed'
  | 'overloaded'
  | 'deadline-exceeded'
  | 'shutting-down'
  | 'not-ready'
  | 'not-implemented'
  | 'policy-violations'
  | 'internal';

/** An error answered with a given status (and headers such as Retry-After). */
export class HttpError extends Error {
  readonly status: number;
  readonly code: ServerErrorCode;
  readonly details: ErrorDetail[];
  readonly hint: string | undefined;
  readonly headers: Record<string, string>;

  constructor(status: number, code: ServerErrorCode, message: string, options: { details?: ErrorDetail[]; hint?: string; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = options.details ?? [];
    this.hint = options.hint;
    this.headers = options.headers ?? {};
  }
}

/** One detail as sent: every key present (null when unknown), so clients can rely on the shape. */
export interface WireDetail {
  where: SourcePosition | null;
  path: string | null;
  message: string;
  hint: string | null;
}

/** The error body every non-2xx answer carries. */
export interface ErrorBody {
  error: { code: string; message: string; hint: string | null; details: WireDetail[] };
}

/** Builds the error body. */
export function errorBody(code: string, message: string, details: readonly ErrorDetail[] = [], hint?: string): ErrorBody {
  const wire = listedDetails(details).map((d) => ({ where: d.where ?? null, path: d.path ?? null, message: d.message, hint: d.hint ?? null }));
  return { error: { code, message, hint: hint ?? null, details: wire } };
}

/** An error turned into an answer. `internal` marks the ones that are bugs (logged with their stack). */
export interface ErrorAnswer {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  internal: boolean;
}

/**
 * Why these codes are not 400: `input-too-large` is the load limits (same as readSourceTree), so
 * 413; `template-failed` and `internal` are Meshplane bugs, so 500 like any unexpected error.
 */
const STATUS_OF_CODE: Readonly<Record<string, number>> = { 'input-too-large': 413, 'template-failed': 500, internal: 500 };

/** Maps anything thrown while answering to a status and the stable error body. */
export function answerFor(err: unknown, requestId: string): ErrorAnswer {
  if (err instanceof HttpError) return { status: err.status, body: errorBody(err.code, err.message, err.details, err.hint), headers: err.headers, internal: err.status >= 500 && err.code === 'internal' };
  if (err instanceof MeshplaneError) {
    const status = STATUS_OF_CODE[err.code] ?? 400;
    return { status, body: errorBody(err.code, err.message, err.details, err.hint), headers: {}, internal: status === 500 };
  }
  const parser = bodyParserError(err);
  if (parser) return { ...parser, headers: {}, internal: false };
  const hint = `this is a Meshplane bug: report it with the request id ${requestId} (the server log has the details)`;
  return { status: 500, body: errorBody('internal', 'the server failed to answer this request', [], hint), headers: {}, internal: true };
}

/** Errors raised by express's body parsers carry a `type`; each becomes a client error. */
function bodyParserError(err: unknown): { status: number; body: ErrorBody } | undefined {
  const e = err as { type?: unknown; status?: unknown; limit?: unknown; message?: unknown };
  if (!e || typeof e !== 'object' || typeof e.type !== 'string') return undefined;
  if (e.type === 'entity.too.large') {
    return { status: 413, body: errorBody('body-too-large', `the request body is over the server's ${String(e.limit)}-byte limit`, [], 'send a smaller source, or raise --max-body-bytes on the server') };
  }
  if (e.type === 'entity.parse.failed') {
    return { status: 400, body: errorBody('request-invalid', `the request body is not valid JSON: ${String(e.message)}`, [], 'send a JSON object, e.g. {"files": {"mesh.yaml": "..."}}') };
  }
  if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') {
    return { status: 415, body: errorBody('unsupported-media-type', String(e.message), [], 'send UTF-8 text, uncompressed or gzip/deflate encoded') };
  }
  const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 400;
  return { status, body: errorBody('request-invalid', `the request could not be read: ${String(e.message)}`) };
}

/** A 400 about the request's shape (a field of the wrong type, an unknown field). */
export function invalidRequest(message: string, path?: string, hint?: string): HttpError {
  const details: ErrorDetail[] = path === undefined ? [] : [{ path, message, ...(hint ? { hint } : {}) }];
  return new HttpError(400, 'request-invalid', message, { details, ...(hint ? { hint } : {}) });
}
