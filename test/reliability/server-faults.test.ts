/**
 * Server faults (docs/design.md, "Contracts", Server): a real `meshplane serve` process survives clients that
 * disconnect mid-request (mid-body, and after the body while the render runs) and a burst far
 * beyond its queue (503 + Retry-After for the excess, no other failure), and afterwards answers
 * health probes and renders correctly, logs no crash, and stops cleanly on SIGTERM.
 * Skipped with a note while `meshplane serve` is not registered.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import { COMMAND_TABLE } from '../../src/cli/commands/table.js';
import { BIN } from '../helpers/cli.js';
import { scrubbedEnv } from './spawn-measured.js';

const HAS_SERVE = COMMAND_TABLE.some((c) => c.name === 'serve');
const SKIP = HAS_SERVE ? false : '`meshplane serve` is not registered yet: not available yet';

/** Limits small enough that a burst overflows them: one render at a time, two waiting. */
const MAX_CONCURRENT = 1;
const MAX_QUEUE = 2;

function intent(name: string): string {
  return `apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: ${name}}\nspec:\n  mode: Istio\n  istio: {revisions: [asm-1-30]}\n  cluster: {kubernetesVersion: "1.33"}\n`;
}

/** A render request body; a distinct mesh name makes a distinct (uncached) render. */
function renderBody(name: string): string {
  return JSON.stringify({ files: { 'mesh.yaml': intent(name) } });
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(port: number, method: string, path: string, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends a full render request, then drops the connection `afterMs` later, before any answer. */
function abandonAfterBody(port: number, body: string, afterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/render', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    req.on('error', () => resolve());
    req.on('response', () => resolve());
    req.on('close', () => resolve());
    req.end(body, () => setTimeout(() => req.destroy(), afterMs));
  });
}

/** Announces a large body, sends part of it, and drops the connection. */
function abandonMidBody(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('POST /v1/render HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 200000\r\n\r\n{"files": {"mesh.yaml": "apiVersion: ');
      setTimeout(() => socket.destroy(), 30);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}

describe('meshplane serve under faults', { skip: SKIP }, () => {
  let server: ChildProcess | undefined;
  let port = 0;
  let stderr = '';
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> = Promise.resolve({ code: null, signal: null });

  before(async () => {
    const child = spawn(BIN, ['serve', '--port', '0', '--max-concurrent', String(MAX_CONCURRENT), '--max-queue', String(MAX_QUEUE)], { env: scrubbedEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening" log line:\n${stderr}`)), 30_000);
      child.stderr?.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        const m = /"port":(\d+)[^\n]*"listening"|"msg":"listening"[^\n]*"port":(\d+)/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1] ?? m[2]));
        }
      });
    });
    for (let i = 0; i < 300; i++) {
      if ((await call(port, 'GET', '/readyz')).status === 200) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the server never became ready:\n${stderr}`);
  });

  after(async () => {
    if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  });

  it('survives clients that disconnect mid-body and mid-render', { timeout: 120_000 }, async () => {
    for (let i = 0; i < 5; i++) await abandonMidBody(port);
    for (let i = 0; i < 5; i++) await abandonAfterBody(port, renderBody(`gone-${i}`), 10 + i * 40);
    const health = await call(port, 'GET', '/healthz');
    assert.equal(health.status, 200);
    const ok = await call(port, 'POST', '/v1/render', renderBody('after-disconnects'));
    assert.equal(ok.status, 200, ok.body.slice(0, 500));
    assert.match(ok.body, /meshplane\.io\/mesh: after-disconnects/);
    assert.match(ok.body, /kind: Deployment\n/);
  });

  it('sheds a burst beyond its queue with 503 + Retry-After, and nothing else fails', { timeout: 180_000 }, async () => {
    const burst = 16;
    const replies = await Promise.all(Array.from({ length: burst }, (_, i) => call(port, 'POST', '/v1/render', renderBody(`burst-${i}`))));
    const statuses = replies.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 200 || s === 503), `only 200 and 503: ${statuses.join(' ')}`);
    const shed = replies.filter((r) => r.status === 503);
    assert.ok(shed.length >= burst - (MAX_CONCURRENT + MAX_QUEUE) - 2, `most of the burst is shed: ${statuses.join(' ')}`);
    assert.ok(statuses.filter((s) => s === 200).length >= 1, 'some of the burst is served');
    for (const r of shed) assert.ok(Number(r.headers['retry-after']) > 0, 'a 503 says when to retry');
    assert.equal((await call(port, 'GET', '/healthz')).status, 200);
    assert.equal((await call(port, 'GET', '/readyz')).status, 200);
    const ok = await call(port, 'POST', '/v1/render', renderBody('after-burst'));
    assert.equal(ok.status, 200, ok.body.slice(0, 500));
  });

  it('logged no crash, and stops cleanly on SIGTERM', { timeout: 60_000 }, async () => {
    server?.kill('SIGTERM');
    const end = await exited;
    assert.equal(end.code, 0, stderr.slice(-2000));
    assert.doesNotMatch(stderr, /uncaught|unhandled|FATAL|^\s+at /im);
  });
});
