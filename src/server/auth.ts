/**
 * Bearer-token auth. The token comes from `--token-file` or MESHPLANE_TOKEN and is compared in
 * constant time (both sides hashed first, so even the length does not leak). A server bound
 * beyond loopback without a token is refused unless `--insecure-allow-unauthenticated` says the
 * network itself is trusted. The token is never logged or echoed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { MeshplaneError } from '../core/errors.js';
import { HttpError } from './errors.js';

/** Shortest token accepted: 128 bits of base64 or hex is ~22-32 characters. */
export const MIN_TOKEN_LENGTH = 16;

/** Reads the token: the file wins over the variable; undefined when neither is set. */
export async function loadToken(tokenFile: string | undefined, env: Record<string, string | undefined>): Promise<string | undefined> {
  let token: string | undefined;
  if (tokenFile !== undefined) {
    try {
      token = (await readFile(tokenFile, 'utf8')).trim();
    } catch (err) {
      throw new MeshplaneError('usage', `meshplane serve: cannot read --token-file ${tokenFile}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`, [], 'point --token-file at a file holding the token (e.g. a mounted Secret)');
    }
  } else if (env.MESHPLANE_TOKEN !== undefined && env.MESHPLANE_TOKEN !== '') {
    token = env.MESHPLANE_TOKEN.trim();
  }
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new MeshplaneError('usage', `meshplane serve: the token is shorter than ${MIN_TOKEN_LENGTH} characters`, [], 'generate one with `openssl rand -hex 32`');
  }
  return token;
}

/** True for an address only this host can reach (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./i.test(h);
  return false;
}

/** Refuses a non-loopback bind without a token, unless explicitly allowed. */
export function checkBind(host: string, token: string | undefined, allowUnauthenticated: boolean): void {
  if (token !== undefined || allowUnauthenticated || isLoopback(host)) return;
  throw new MeshplaneError(
    'usage',
    `meshplane serve: refusing to listen on ${host} without a token: anyone who can reach it could use the server`,
    [],
    'set --token-file <file> or MESHPLANE_TOKEN (clients send it as MESHPLANE_TOKEN), bind to 127.0.0.1, or pass --insecure-allow-unauthenticated when a network policy already restricts access',
  );
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time comparison of a presented token with the expected one. */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Middleware requiring `Authorization: Bearer <token>` (a no-op without a token). */
export function requireToken(token: string | undefined) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (token === undefined) return next();
    const header = req.headers.authorization;
    const presented = typeof header === 'string' && /^bearer /i.test(header) ? header.slice(7).trim() : undefined;
    if (presented !== undefined && tokenMatches(presented, token)) return next();
    const message = presented === undefined ? 'this server requires a bearer token' : 'the bearer token is not valid';
    next(new HttpError(401, 'unauthorized', message, { headers: { 'www-authenticate': 'Bearer realm="meshplane"' }, hint: 'send Authorization: Bearer <token> (meshplane generate reads MESHPLANE_TOKEN or MESHPLANE_TOKEN_FILE)' }));
  };
}
