/**
 * `meshplane serve --tls-cert/--tls-key`: a spawned server with a self-signed certificate made by
 * openssl for 127.0.0.1, and the real client (`bin/meshplane generate --server https://…`) trusting
 * it through Node's own CA-bundle option, NODE_EXTRA_CA_CERTS. Without that bundle the client
 * refuses the certificate and renders in-process (it says so); plain HTTP to the port gets no answer.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MeshplaneError } from '../../src/core/errors.js';
import { loadTls } from '../../src/server/tls.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { parseLine, spawnServe, type SpawnedServer } from '../helpers/server.js';

const ENV = { KUBE_VERSION: 'v1.32.4', KUBE_API_VERSIONS: '' };
const TOKEN = 'tls-test-token-0123456789abcdef';

/** A self-signed P-256 certificate for IP 127.0.0.1 (and a second, unrelated key), in `dir`. */
function makeCert(dir: string): { cert: string; key: string; otherKey: string } {
  const cert = path.join(dir, 'tls.crt');
  const key = path.join(dir, 'tls.key');
  const otherKey = path.join(dir, 'other.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=meshplane-test', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', otherKey], { stdio: 'ignore' });
  return { cert, key, otherKey };
}

describe('meshplane serve over TLS', () => {
  let dir: string;
  let app: string;
  let files: ReturnType<typeof makeCert>;
  let srv: SpawnedServer;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mp-tls-'));
    files = makeCert(dir);
    await writeFile(path.join(dir, 'token'), TOKEN);
    app = path.join(dir, 'app');
    await cp(path.join(REPO_ROOT, 'examples', 'single-revision'), app, { recursive: true });
    srv = await spawnServe(['--tls-cert', files.cert, '--tls-key', files.key, '--token-file', path.join(dir, 'token')]);
  });
  after(async () => {
    srv.child.kill('SIGTERM');
    await srv.exited;
    await rm(dir, { recursive: true, force: true });
  });

  it('listens on https and says so in its listening line', () => {
    assert.match(srv.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const listening = srv.stderr().split('\n').map(parseLine).find((l) => l?.msg === 'listening');
    assert.equal(listening?.tls, true);
  });

  it('generate --server https://… with the CA bundle gets the server answer: same output as a local generate, and the server logged the render', async () => {
    const local = await runCli(['generate', app], { env: ENV });
    assert.equal(local.code, 0, local.stderr);
    const before = srv.stderr().length;
    const remote = await runCli(['generate', app, '--server', srv.url], { env: { ...ENV, MESHPLANE_TOKEN: TOKEN, NODE_EXTRA_CA_CERTS: files.cert } });
    assert.equal(remote.code, 0, remote.stderr);
    assert.doesNotMatch(remote.stderr, /did not answer/);
    assert.equal(remote.stdout, local.stdout);
    const served = srv.stderr().slice(before).split('\n').map(parseLine).filter((l) => l?.msg === 'request' && l.route === 'render');
    assert.deepEqual(served.map((l) => l?.status), ['200']);
  });

  it('without the CA bundle the client refuses the certificate and renders in-process, saying so', async () => {
    const remote = await runCli(['generate', app, '--server', srv.url], { env: { ...ENV, MESHPLANE_TOKEN: TOKEN, NODE_EXTRA_CA_CERTS: undefined } });
    assert.equal(remote.code, 0, remote.stderr);
    assert.match(remote.stderr, /the Meshplane server at https:\/\/127\.0\.0\.1:\d+\/? did not answer \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)/);
  });

  it('plain HTTP to the TLS port gets no HTTP answer', async () => {
    await assert.rejects(fetch(srv.url.replace('https:', 'http:') + '/healthz'));
  });

  const bad: Array<[string, () => Promise<unknown>, RegExp]> = [
    ['a certificate without its key', () => loadTls(files.cert, undefined, {}), /--tls-cert is set but --tls-key is not/],
    ['a key without its certificate (environment)', () => loadTls(undefined, undefined, { MESHPLANE_TLS_KEY: files.key }), /--tls-key is set but --tls-cert is not/],
    ['a key that is not the certificate\'s', () => loadTls(files.cert, files.otherKey, {}), /are not a usable pair/],
    ['a missing file', () => loadTls(path.join(dir, 'nope.crt'), files.key, {}), /cannot read --tls-cert .*nope\.crt: ENOENT/],
  ];
  for (const [what, load, message] of bad) {
    it(`refuses ${what} with a usage error`, async () => {
      await assert.rejects(load(), (e: unknown) => e instanceof MeshplaneError && e.code === 'usage' && message.test(e.message));
    });
  }

  it('reads the pair from MESHPLANE_TLS_CERT / MESHPLANE_TLS_KEY; nothing set means plain HTTP', async () => {
    const tls = await loadTls(undefined, undefined, { MESHPLANE_TLS_CERT: files.cert, MESHPLANE_TLS_KEY: files.key });
    assert.match(tls?.cert.toString() ?? '', /BEGIN CERTIFICATE/);
    assert.equal(await loadTls(undefined, undefined, {}), undefined);
  });
});
