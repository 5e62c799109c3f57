/**
 * One HTTP(S) POST for the client mode of `meshplane generate`: a deadline over the whole exchange
 * and a bound on the answer, plain data out.
 *
 * Why node:http and not fetch: Node's fetch is undici, which takes ~30 ms to load and parses HTTP
 * with a WebAssembly module that V8 compiles on a worker thread; Node waits for that compilation
 * when the process exits, ~100 ms on the bench machine. A generate handed to a warm server then
 * cost more than rendering in-process (docs/performance.md "The server as a cache").
 */
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';

/** An answer read whole: the status, the body as text, and where a redirect points (never followed). */
export interface HttpAnswer {
  status: number;
  body: string;
  location?: string;
}

/** What {@link postText} ends with: an answer, or why there is none (for the one-line warning). */
export type PostOutcome = { kind: 'answer'; answer: HttpAnswer } | { kind: 'failed'; reason: string };

/** The bounds of one exchange. */
export interface PostLimits {
  /** From the request's start to the answer's last byte. */
  timeoutMs: number;
  /** The largest answer body taken; a larger one is dropped. */
  maxBytes: number;
}

/**
 * POSTs `body` to `url` (http: or https:, Node's default CA store and NODE_EXTRA_CA_CERTS) and
 * reads the answer. Never rejects: a refused connection, a deadline passed, an answer over
 * `maxBytes` or a broken stream are a `failed` outcome with its reason. One connection, closed
 * after the answer (no keep-alive socket outlives the exchange).
 */
export function postText(url: URL, body: string, headers: Record<string, string>, limits: PostLimits): Promise<PostOutcome> {
  // Loaded here, not at the top: a generate that renders in-process never loads them (the bundle keeps no import()).
  const load = createRequire(import.meta.url);
  const transport = (url.protocol === 'https:' ? load('node:https') : load('node:http')) as typeof import('node:http');
  return new Promise<PostOutcome>((resolve) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: PostOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    let request: ReturnType<typeof transport.request>;
    try {
      request = transport.request(url, {
        method: 'POST',
        agent: false,
        headers: { ...headers, connection: 'close', 'content-length': String(Buffer.byteLength(body)) },
      });
    } catch (err) {
      // Refused before anything was sent, e.g. a token with a character no header may hold.
      finish({ kind: 'failed', reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message });
      return;
    }
    timer = setTimeout(() => {
      finish({ kind: 'failed', reason: `no answer within ${limits.timeoutMs / 1000} s` });
      request.destroy();
    }, limits.timeoutMs);
    request.on('error', (err: NodeJS.ErrnoException) => finish({ kind: 'failed', reason: err.code ?? err.message }));
    request.on('response', (response) => readBody(response, limits.maxBytes, finish, () => request.destroy()));
    // Node closes a connection switched to another protocol (101) when nothing listens for 'upgrade',
    // without an error or a response (Node v20 docs, http.ClientRequest "Event: 'upgrade'").
    request.on('upgrade', (response: IncomingMessage) => {
      finish({ kind: 'failed', reason: `HTTP ${response.statusCode ?? 101}: the server switched the connection to another protocol` });
      request.destroy();
    });
    // Any other way the exchange can end unseen; after a complete answer, `finish` has already run.
    request.on('close', () => finish({ kind: 'failed', reason: 'the connection closed before an answer' }));
    request.end(body);
  });
}

/** Collects `response` up to `maxBytes` and ends the exchange through `finish`. */
function readBody(response: IncomingMessage, maxBytes: number, finish: (o: PostOutcome) => void, abort: () => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    // Refused before a byte of it is read.
    finish({ kind: 'failed', reason: `HTTP ${response.statusCode ?? 0} with an answer over ${maxBytes} bytes` });
    abort();
    return;
  }
  response.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) {
      finish({ kind: 'failed', reason: `HTTP ${response.statusCode ?? 0} with an answer over ${maxBytes} bytes` });
      abort();
      return;
    }
    chunks.push(chunk);
  });
  response.on('error', (err: NodeJS.ErrnoException) => finish({ kind: 'failed', reason: err.code ?? err.message }));
  response.on('aborted', () => finish({ kind: 'failed', reason: `HTTP ${response.statusCode ?? 0} answer cut short` }));
  response.on('end', () => {
    if (!response.complete) return finish({ kind: 'failed', reason: `HTTP ${response.statusCode ?? 0} answer cut short` });
    const location = response.headers.location;
    finish({ kind: 'answer', answer: { status: response.statusCode ?? 0, body: Buffer.concat(chunks, size).toString('utf8'), ...(location !== undefined ? { location } : {}) } });
  });
}
