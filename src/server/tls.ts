/**
 * The optional TLS of `meshplane serve`: a PEM certificate (chain) and key, usually the `tls.crt`
 * and `tls.key` of a kubernetes.io/tls Secret mounted as files. Given both, the server speaks
 * HTTPS so the bearer token never crosses the network in clear text. Both files are read and
 * checked once at start, so a wrong pair fails `serve` at once instead of every handshake later.
 */
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { MeshplaneError } from '../core/errors.js';

/** A certificate chain and its key, PEM. */
export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/**
 * Reads the pair from the flags, else from MESHPLANE_TLS_CERT / MESHPLANE_TLS_KEY; undefined when
 * neither is set (plain HTTP). Throws `usage` for half a pair, an unreadable file or a key that
 * does not belong to the certificate.
 */
export async function loadTls(certFlag: string | undefined, keyFlag: string | undefined, env: Record<string, string | undefined>): Promise<TlsFiles | undefined> {
  const certPath = certFlag ?? nonEmpty(env.MESHPLANE_TLS_CERT);
  const keyPath = keyFlag ?? nonEmpty(env.MESHPLANE_TLS_KEY);
  if (certPath === undefined && keyPath === undefined) return undefined;
  if (certPath === undefined || keyPath === undefined) {
    throw new MeshplaneError('usage', `meshplane serve: ${certPath === undefined ? '--tls-key' : '--tls-cert'} is set but ${certPath === undefined ? '--tls-cert' : '--tls-key'} is not`, [], 'give both --tls-cert and --tls-key (or MESHPLANE_TLS_CERT and MESHPLANE_TLS_KEY), e.g. tls.crt and tls.key of a mounted kubernetes.io/tls Secret');
  }
  const files = { cert: await read('--tls-cert', certPath), key: await read('--tls-key', keyPath) };
  try {
    createSecureContext(files);
  } catch (err) {
    throw new MeshplaneError('usage', `meshplane serve: --tls-cert ${certPath} and --tls-key ${keyPath} are not a usable pair: ${(err as Error).message}`, [], 'both must be PEM, and the key must be the private key of the first certificate in --tls-cert');
  }
  return files;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

async function read(flag: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new MeshplaneError('usage', `meshplane serve: cannot read ${flag} ${path}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`, [], `point ${flag} at a PEM file (e.g. from a mounted kubernetes.io/tls Secret)`);
  }
}
