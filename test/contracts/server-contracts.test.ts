/**
 * Server contracts over real HTTP: the header timeout fires near its documented value (not at
 * Node's 30 s checking interval), and invalid options are refused before the answer cache, so a
 * cached valid answer can never be handed to an invalid request.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import request from 'supertest';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { listenTest, meshFiles, type TestServer } from '../helpers/server.js';

/** Sends an unfinished request head and resolves with what the server wrote before closing. */
function unfinishedHead(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write('POST /v1/render HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'));
    let got = '';
    socket.setEncoding('utf8').on('data', (d: string) => (got += d));
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
  });
}

describe('header timeout over a real socket', () => {
  let s: RunningServer;
  before(async () => {
    // 300 ms header timeout: with Node's default 30 s checking interval the socket would stay open past this test's 20 s timeout.
    s = await startServer({ host: '127.0.0.1', port: 0, workers: 0, limits: { headersTimeoutMs: 300, requestTimeoutMs: 2_000 } });
  });
  after(() => s.shutdown('test done'));

  it('answers 408 and closes a client that never finishes its headers', { timeout: 20_000 }, async () => {
    assert.equal(s.server.headersTimeout, 300);
    const answer = await unfinishedHead(s.url);
    assert.match(answer, /^HTTP\/1\.1 408 /);
  });
});

describe('options are validated before the cache', () => {
  let t: TestServer;
  before(async () => {
    t = await listenTest();
  });
  after(() => t.close());

  const routes: Array<{ path: string; body: (o: Record<string, unknown>) => object }> = [
    { path: '/v1/render', body: (options) => ({ files: meshFiles(), options }) },
    { path: '/v1/check', body: (options) => ({ files: meshFiles(), options }) },
  ];
  for (const r of routes) {
    it(`${r.path}: a NUL now or kubeVersion is 400 after the same request without it was answered`, { timeout: 60_000 }, async () => {
      const ok = await request(t.url).post(r.path).send(r.body({}));
      assert.ok([200, 422].includes(ok.status), `${ok.status} ${ok.text.slice(0, 300)}`);
      const again = await request(t.url).post(r.path).send(r.body({}));
      assert.equal(again.status, ok.status, 'the cache answers the same request');
      for (const options of [{ now: '\u0000' }, { kubeVersion: '\u0000' }, { now: '' }, { now: '2026-13-01' }]) {
        const bad = await request(t.url).post(r.path).send(r.body(options));
        assert.equal(bad.status, 400, `${JSON.stringify(options)}: ${bad.text.slice(0, 300)}`);
        assert.match(String((bad.body as { error?: { code?: string } }).error?.code ?? bad.text), /usage|kube-version-invalid/);
      }
    });
  }
});
