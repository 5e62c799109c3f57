/**
 * Reading request bodies ({@link readBody}: bounded, decompressed, strictly decoded) and shape
 * checks for them: every field has one type, unknown fields are refused (a
 * mistyped option must not be ignored silently), and the environment holds only the variables
 * the route reads. Values are then checked by the same core functions the CLI uses.
 */
import type { Transform } from 'node:stream';
import zlib from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';
import { suggest } from '../pipeline/suggest.js';
import { HttpError, invalidRequest } from './errors.js';

/** A JSON object from a request. */
export type Json = Record<string, unknown>;

/** The body as an object with only `allowed` keys. */
export function objectWith(value: unknown, where: string, allowed: readonly string[]): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidRequest(`${where} must be a JSON object`, where);
  const obj = value as Json;
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    const guess = suggest(key.slice(0, 100), allowed);
    throw invalidRequest(`${where} has an unknown field "${key.slice(0, 100)}"${guess ? `; did you mean "${guess}"?` : ''}`, `${where}.${key.slice(0, 100)}`, `the fields are: ${allowed.join(', ')}`);
  }
  return obj;
}

/** An optional object field (absent or null → empty). */
export function optionalObject(obj: Json, key: string, where: string, allowed: readonly string[]): Json {
  const v = obj[key];
  return v === undefined || v === null ? {} : objectWith(v, `${where}.${key}`, allowed);
}

/** An optional string field. */
export function optionalString(obj: Json, key: string, where: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidRequest(`${where}.${key} must be a string`, `${where}.${key}`);
  return v;
}

/** An optional boolean field. */
export function optionalBoolean(obj: Json, key: string, where: string): boolean {
  const v = obj[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw invalidRequest(`${where}.${key} must be true or false`, `${where}.${key}`);
  return v;
}

/** An optional list of strings. */
export function optionalStrings(obj: Json, key: string, where: string): string[] {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidRequest(`${where}.${key} must be a list of strings`, `${where}.${key}`);
  return v as string[];
}

/** An optional whole number in [min, max]. */
export function optionalInteger(obj: Json, key: string, where: string, min: number, max: number): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalidRequest(`${where}.${key} must be a whole number from ${min} to ${max}`, `${where}.${key}`);
  return v;
}

/** `env`: string values only, and only the variables `accepts` names (the route's inputs). */
export function environment(obj: Json, where: string, accepts: (name: string) => boolean, names: string): Record<string, string> {
  const raw = obj.env;
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidRequest(`${where}.env must be an object of variable → value`, `${where}.env`);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw as Json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!accepts(name)) throw invalidRequest(`${where}.env.${name.slice(0, 100)} is not a variable this route reads`, `${where}.env.${name.slice(0, 100)}`, `send only ${names}`);
    if (typeof value !== 'string') throw invalidRequest(`${where}.env.${name} must be a string`, `${where}.env.${name}`);
    out[name] = value;
  }
  return out;
}

/** The env names of check, diff and post-render. Why these two: the only variables those commands read (the cluster's version and served APIs). */
export const CLUSTER_ENV = ['KUBE_VERSION', 'KUBE_API_VERSIONS'];

/** True for KUBE_VERSION and KUBE_API_VERSIONS. */
export function isClusterEnvName(name: string): boolean {
  return CLUSTER_ENV.includes(name);
}

/** Media types read as JSON (as express.json reads them). */
export const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * Content-Encodings the server decodes. Why these three: the encodings of RFC 9110 section 8.4.1 that
 * HTTP clients send (curl --compressed, Go's net/http, Node's fetch); `identity` is no encoding.
 */
const DECODERS: Readonly<Record<string, () => Transform>> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/** The body reader's limits: bytes after decoding (the wire bytes are never more than that for any real encoder). */
export interface BodyLimits {
  maxBodyBytes: number;
}

function bodyTooLarge(limit: number): HttpError {
  return new HttpError(413, 'body-too-large', `the request body is over the server's ${limit}-byte limit (counted after decompression)`, { hint: 'send a smaller source, or raise --max-body-bytes on the server' });
}

/**
 * Reads a request body: the one reader for HTTP input. Bytes are counted on the wire and after
 * decoding (a small gzip bomb stops at the limit, not after inflating), a corrupt or truncated
 * gzip/deflate/br body is a 400 naming the encoding, an unknown encoding or charset a 415, and
 * the text must be UTF-8. JSON bodies become `req.body` as parsed JSON (keys such as
 * `__proto__` stay own properties), YAML bodies a string; other media types leave it undefined.
 */
export function readBody(limits: BodyLimits, yamlTypes: readonly string[]) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const isJson = req.is([...JSON_TYPES]) !== false && req.is([...JSON_TYPES]) !== null;
    const isYaml = !isJson && req.is([...yamlTypes]) !== false && req.is([...yamlTypes]) !== null;
    if (!isJson && !isYaml) return next();
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.get('content-type') ?? '')?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      return next(new HttpError(415, 'unsupported-media-type', `unsupported charset "${charset.slice(0, 40)}"`, { hint: 'send UTF-8 text' }));
    }
    const encoding = (req.get('content-encoding') ?? 'identity').trim().toLowerCase();
    const decoder = encoding === 'identity' || encoding === '' ? undefined : DECODERS[encoding];
    if (encoding !== 'identity' && encoding !== '' && !decoder) {
      return next(new HttpError(415, 'unsupported-media-type', `unsupported content encoding "${encoding.slice(0, 40)}"`, { hint: 'send the body uncompressed or with gzip, deflate or br' }));
    }
    collect(req, decoder?.(), encoding, limits.maxBodyBytes)
      .then((buf) => {
        req.body = isJson ? parseJson(buf) : decodeText(buf);
      })
      .then(() => next(), next);
  };
}

function collect(req: Request, decoder: Transform | undefined, encoding: string, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      return reject(bodyTooLarge(limit));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const fail = (err: unknown) => {
      if (done) return;
      done = true;
      req.unpipe();
      decoder?.destroy();
      req.resume();
      reject(err);
    };
    const out = decoder ?? req;
    out.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return fail(bodyTooLarge(limit));
      chunks.push(chunk);
    });
    out.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks, size));
    });
    out.on('error', (err: Error) => fail(decoder ? corrupt(encoding, err) : err));
    req.on('aborted', () => fail(new HttpError(400, 'request-invalid', 'the client closed the connection before the body ended')));
    if (decoder) {
      let wire = 0;
      req.on('data', (c: Buffer) => {
        wire += c.length;
        if (wire > limit) fail(bodyTooLarge(limit));
      });
      req.on('error', (err: Error) => fail(err));
      req.pipe(decoder);
    }
  });
}

function corrupt(encoding: string, err: Error): HttpError {
  const reason = (err.message || 'invalid data').split('\n')[0]?.slice(0, 200) ?? 'invalid data';
  return new HttpError(400, 'request-invalid', `the request body is not valid ${encoding} data: ${reason}`, { hint: `send the body compressed with ${encoding} (complete, not truncated), or drop the Content-Encoding header and send it uncompressed` });
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeText(buf: Buffer): string {
  try {
    return strictUtf8.decode(buf);
  } catch {
    throw new HttpError(400, 'request-invalid', 'the request body is not valid UTF-8', { hint: 'send UTF-8 text' });
  }
}

function parseJson(buf: Buffer): unknown {
  const text = decodeText(buf);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpError(400, 'request-invalid', `the request body is not valid JSON: ${(err as Error).message.slice(0, 200)}`, { hint: 'send a JSON object, e.g. {"files": {"mesh.yaml": "..."}}' });
  }
}
