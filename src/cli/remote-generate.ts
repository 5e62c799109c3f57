/**
 * Client mode of `meshplane generate` (`--server URL` or MESHPLANE_SERVER): the source and the
 * variables generate reads go to a Meshplane server (POST /v1/render), which answers with what a
 * local generate would have produced. A server that cannot answer (down, overloaded, failing,
 * refusing the token) never fails the sync: generate renders in-process and says so on stderr.
 * The exchange uses node:http (src/cli/http-post.ts), which a generate loads in ~1 ms.
 */
// fs.promises rather than node:fs/promises: loaded on first use, not with the generate bundle
// (see PROMISE_FILE_IO in src/core/read-input.ts).
import { promises as fsp } from 'node:fs';
import { MeshplaneError } from '../core/errors.js';
import { postText, type HttpAnswer } from './http-post.js';
import { answerErrorCode, answerInputError, isGenerateAnswer, listItems } from './server-answer.js';
import { generateEnv, runGenerate, type GenerateEnv, type GeneratePlan, type GenerateResult } from '../flows/generate.js';
import { startAheadDecision } from './start-ahead-record.js';
import type { KubeObject, SourceFile } from '../core/types.js';

/** The media type of the server's structured answer (manifests + report + notices + exit class). */
export const RESULT_MEDIA_TYPE = 'application/vnd.meshplane.result+json';

/** How long the client waits for the server before rendering in-process (Argo CD allows 60 s in all). */
export const SERVER_TIMEOUT_MS = 30_000;

/**
 * The largest answer taken from the server (a larger one means: render in-process). Why 128 MiB:
 * the answer carries the source's own objects besides the mesh and the report, and a server takes
 * sources of up to 32 MiB by default (`--max-body-bytes`); JSON escaping and the report stay well
 * within four times that.
 */
export const MAX_ANSWER_BYTES = 128 * 1024 * 1024;

/** Where and how to reach the server. */
export interface ServerTarget {
  url: URL;
  token?: string;
}

/** The server URL from `--server`, else MESHPLANE_SERVER; undefined when neither is set. */
export async function serverTarget(flag: unknown, env: GenerateEnv): Promise<ServerTarget | undefined> {
  const raw = typeof flag === 'string' ? flag : env.MESHPLANE_SERVER;
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new MeshplaneError('usage', `meshplane generate: --server (or MESHPLANE_SERVER) "${raw}" is not a URL`, [], 'e.g. --server http://127.0.0.1:8686');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new MeshplaneError('usage', `meshplane generate: --server must be an http:// or https:// URL (got ${url.protocol})`, [], 'e.g. --server http://127.0.0.1:8686');
  // Why refuse: node:http would send them as Basic credentials, in the clear on http://, to a server that reads a bearer token.
  if (url.username !== '' || url.password !== '') throw new MeshplaneError('usage', 'meshplane generate: --server (or MESHPLANE_SERVER) holds a user name or password', [], 'remove them from the URL; the server token goes in MESHPLANE_TOKEN or MESHPLANE_TOKEN_FILE');
  const token = await clientToken(env);
  return token === undefined ? { url } : { url, token };
}

async function clientToken(env: GenerateEnv): Promise<string | undefined> {
  if (env.MESHPLANE_TOKEN) return env.MESHPLANE_TOKEN;
  if (!env.MESHPLANE_TOKEN_FILE) return undefined;
  try {
    return (await fsp.readFile(env.MESHPLANE_TOKEN_FILE, 'utf8')).trim();
  } catch (err) {
    throw new MeshplaneError('usage', `cannot read MESHPLANE_TOKEN_FILE ${env.MESHPLANE_TOKEN_FILE}: ${(err as Error).message}`, [], 'point MESHPLANE_TOKEN_FILE at the file holding the server token, or unset it');
  }
}

/** Options of {@link generateVia}. */
export interface ViaOptions {
  emit: boolean;
  /** Writes one line on stderr. */
  warn(line: string): void;
}

/**
 * What the server did for this process's generate: answered (a render result, or an input error
 * the CLI prints as its own), or did not (and why). Undefined while no generate has gone to a
 * server; `unavailable` also after {@link serverAlreadyUnavailable}, without asking.
 */
export type ServerOutcome = { kind: 'answered' } | { kind: 'unavailable'; reason: string };

/**
 * This process's {@link ServerOutcome}, and a failure already met by an earlier attempt in the
 * same process (bin/meshplane's client bundle, src/cli/client-entry.ts), which the in-process
 * render reports instead of asking the server a second time.
 */
const exchange: { outcome?: ServerOutcome; knownFailure?: string } = {};

/** What the server did for this process's generate, once it was asked. */
export function serverOutcome(): ServerOutcome | undefined {
  return exchange.outcome;
}

/**
 * Says that this process already asked the server and got no answer (`reason`, for the warning):
 * the next {@link generateVia} renders in-process without asking again. bin/meshplane calls it
 * when the client bundle handed over, so a server that is down costs one deadline, not two.
 * `undefined` forgets it and the last outcome (tests).
 */
export function serverAlreadyUnavailable(reason: string | undefined): void {
  exchange.knownFailure = reason;
  if (reason === undefined) delete exchange.outcome;
}

/** Generates through the server when one is set and answers, else in-process. */
export async function generateVia(target: ServerTarget | undefined, files: SourceFile[], env: GenerateEnv, plan: GeneratePlan, options: ViaOptions): Promise<GenerateResult> {
  if (target) {
    const known = exchange.knownFailure;
    const answer: Answer = known === undefined ? await askServer(target, files, env, plan, options.emit) : { kind: 'unavailable', reason: known };
    exchange.outcome = answer.kind === 'unavailable' ? { kind: 'unavailable', reason: answer.reason } : { kind: 'answered' };
    if (answer.kind === 'input-error') throw answer.error;
    if (answer.kind === 'result') return answer.result;
    options.warn(`warning: the Meshplane server at ${shownUrl(target.url)} did not answer (${answer.reason}); rendering in-process\n`);
  }
  // One render in this process: start the evaluation ahead (RunGenerateOptions.prestart), unless
  // the start-ahead step ran before the CLI was loaded (it started one, or its record expects
  // the evaluation on disk) or is turned off.
  const prestart = startAheadDecision() === undefined && env.MESHPLANE_START_AHEAD !== 'off';
  return runGenerate(files, env, plan, { emit: options.emit, prestart });
}

/** The render route, relative to the server URL. */
const RENDER_PATH = 'v1/render';

/** Error codes about the HTTP request itself (server limits, protocol), not about the mesh source. */
const SERVER_SIDE_CODES = ['request-invalid', 'body-too-large', 'unsupported-media-type'];

type Answer = { kind: 'result'; result: GenerateResult } | { kind: 'input-error'; error: MeshplaneError } | { kind: 'unavailable'; reason: string };

async function askServer(target: ServerTarget, files: SourceFile[], env: GenerateEnv, plan: GeneratePlan, emit: boolean): Promise<Answer> {
  // --output-dir needs the objects: ask for the JSON List and parse it back.
  const format = emit ? plan.flags.format : 'json';
  const options = { format, now: plan.flags.now ?? plan.now.toISOString().slice(0, 10), ...(plan.flags.kubeVersion !== undefined ? { kubeVersion: plan.flags.kubeVersion } : {}) };
  const body = JSON.stringify({ files: Object.fromEntries(files.map((f) => [f.path, f.text])), env: generateEnv(env), options });
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: RESULT_MEDIA_TYPE };
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  const url = new URL(RENDER_PATH, withSlash(target.url));
  const outcome = await postText(url, body, headers, { timeoutMs: SERVER_TIMEOUT_MS, maxBytes: MAX_ANSWER_BYTES });
  if (outcome.kind === 'failed') return { kind: 'unavailable', reason: outcome.reason };
  return readAnswer(outcome.answer, emit, url);
}

function readAnswer(res: HttpAnswer, emit: boolean, requestUrl: URL): Answer {
  if (res.status >= 300 && res.status < 400) return { kind: 'unavailable', reason: `HTTP ${res.status}, a redirect${redirectTarget(res.location, requestUrl)}, which is not followed: point --server (or MESHPLANE_SERVER) at the server itself` };
  let payload: unknown;
  try {
    payload = JSON.parse(res.body) as unknown;
  } catch {
    return { kind: 'unavailable', reason: `HTTP ${res.status} with a body that is not JSON` };
  }
  const code = answerErrorCode(payload);
  // An input error is definitive (a local render would say the same); a request the server could
  // not take (its own body limit, a shape it does not know) is not: render locally instead.
  if ((res.status === 400 || res.status === 413) && !SERVER_SIDE_CODES.includes(code)) {
    const input = answerInputError(payload);
    if (input) return { kind: 'input-error', error: new MeshplaneError(input.code, input.message, input.details, input.hint) };
  }
  if ((res.status !== 200 && res.status !== 422) || !isGenerateAnswer(payload)) return { kind: 'unavailable', reason: `HTTP ${res.status}${code ? ` ${code}` : ''}${res.status === 200 || res.status === 422 ? ' with an answer that is not a render result' : ''}` };
  const result = payload;
  if (result.exitClass === 'clean' && !emit) {
    const items = listItems(result.output as string);
    if (items === undefined) return { kind: 'unavailable', reason: `HTTP ${res.status} with manifests that are not a JSON List` };
    result.objects = items as KubeObject[];
  }
  if (!emit) delete result.output;
  return { kind: 'result', result: { ...result, objects: result.objects ?? [] } };
}

/**
 * Where a redirect points, for the warning: as a server address (the `v1/render` it was asked for
 * taken off, so it can go into --server as is), scheme, host and path only (no credentials, no
 * query); nothing when it is not an http(s) URL, relative ones resolved against the request.
 */
function redirectTarget(location: string | undefined, requestUrl: URL): string {
  if (location === undefined) return '';
  let url: URL;
  try {
    url = new URL(location, requestUrl);
  } catch {
    return '';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return '';
  if (url.pathname.endsWith(`/${RENDER_PATH}`)) url.pathname = url.pathname.slice(0, -RENDER_PATH.length);
  return ` to ${shownUrl(url)}`;
}

/** The URL without credentials, query or fragment (safe for logs). */
function shownUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function withSlash(url: URL): URL {
  const u = new URL(url.href);
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u;
}
