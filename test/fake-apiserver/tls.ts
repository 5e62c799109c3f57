/**
 * A throwaway certificate authority and server certificate for the fake API server, made with
 * the `openssl` CLI at test time (nothing secret is committed). The server certificate is valid
 * for 127.0.0.1 and localhost, for one day. When no openssl is on PATH, {@link testCertificates}
 * returns undefined and the fake server falls back to plain HTTP (the tests say so in their names).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** PEM texts of the CA certificate and the server's certificate and key. */
export interface TestCertificates {
  caPem: string;
  certPem: string;
  keyPem: string;
}

let cached: TestCertificates | null | undefined;

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
}

function generate(): TestCertificates {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mp-fake-ca-'));
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=meshplane-fake-apiserver-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
    openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=fake-apiserver'], dir);
    writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
    const serial = `0x${Date.now().toString(16)}`;
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', serial, '-out', 'server.crt', '-days', '1', '-extfile', 'ext.cnf'], dir);
    const read = (f: string): string => readFileSync(path.join(dir, f), 'utf8');
    return { caPem: read('ca.crt'), certPem: read('server.crt'), keyPem: read('server.key') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The certificates (made once per test process), or undefined when openssl is unavailable. */
export function testCertificates(): TestCertificates | undefined {
  if (cached === undefined) {
    try {
      cached = generate();
    } catch {
      cached = null;
    }
  }
  return cached ?? undefined;
}
