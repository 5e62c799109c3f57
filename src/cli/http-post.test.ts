/**
 * postText against real listeners on 127.0.0.1 that misbehave on purpose: every way an exchange
 * can end is an outcome, never a rejection or a hang, and an answer is read whole and bounded.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { postText, type PostOutcome } from './http-post.js';

const LIMITS = { timeoutMs: 2_000, maxBytes: 1024 };
const servers: Server[] = [];
const sockets = new Set<Socket>();
after(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

/** An HTTP listener answering with `handler`; resolves to its URL. */
async function httpServer(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<URL> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => handler(req, body, res));
  });
  return listen(server);
}

/** A raw TCP listener that writes `reply` (then ends or hangs); for answers no HTTP server would send. */
async function rawServer(reply: string, then: 'end' | 'destroy' | 'hang'): Promise<URL> {
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => {
      socket.write(reply);
      if (then === 'end') socket.end();
      if (then === 'destroy') socket.destroy();
    });
  });
  return listen(server);
}

async function listen(server: Server): Promise<URL> {
  servers.push(server);
  server.on('connection', (s: Socket) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/render`);
}

describe('postText', () => {
  it('sends the body with its length and headers on one closed connection, and reads the answer whole', async () => {
    let seen: { method?: string; url?: string; headers?: IncomingMessage['headers']; body?: string } = {};
    const url = await httpServer((req, body, res) => {
      seen = { method: req.method, url: req.url, headers: req.headers, body };
      res.writeHead(422, { 'content-type': 'application/json' }).end('{"answer":"ü"}');
    });
    const outcome = await postText(url, '{"files":{"ä":"x"}}', { 'content-type': 'application/json', authorization: 'Bearer t' }, LIMITS);
    assert.deepEqual(outcome, { kind: 'answer', answer: { status: 422, body: '{"answer":"ü"}' } });
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/v1/render');
    assert.equal(seen.body, '{"files":{"ä":"x"}}');
    assert.equal(seen.headers?.['content-length'], String(Buffer.byteLength('{"files":{"ä":"x"}}')));
    assert.equal(seen.headers?.authorization, 'Bearer t');
    assert.equal(seen.headers?.connection, 'close');
  });

  it('a redirect is an answer with where it points, not followed', async () => {
    let asked = 0;
    const url = await httpServer((_req, _body, res) => {
      asked++;
      res.writeHead(308, { location: 'https://user:pw@elsewhere.example/v1/render?x=1' }).end();
    });
    const outcome = await postText(url, '{}', {}, LIMITS);
    assert.deepEqual(outcome, { kind: 'answer', answer: { status: 308, body: '', location: 'https://user:pw@elsewhere.example/v1/render?x=1' } });
    assert.equal(asked, 1);
  });

  it('takes an answer of exactly maxBytes', async () => {
    const url = await httpServer((_req, _body, res) => res.end('x'.repeat(LIMITS.maxBytes)));
    const outcome = await postText(url, '{}', {}, LIMITS);
    assert.equal(outcome.kind === 'answer' ? outcome.answer.body.length : -1, LIMITS.maxBytes);
  });

  it('a header no request may carry (a token with a line break) is a reason, sent nowhere', async () => {
    let asked = 0;
    const url = await httpServer((_req, _body, res) => {
      asked++;
      res.end('{}');
    });
    const outcome = await postText(url, '{}', { authorization: 'Bearer a\nb' }, LIMITS);
    assert.deepEqual(outcome, { kind: 'failed', reason: 'ERR_INVALID_CHAR' });
    assert.equal(asked, 0);
  });

  const failures: Array<[string, () => Promise<URL>, RegExp]> = [
    ['a refused connection', async () => {
      const url = await httpServer(() => undefined);
      await new Promise((resolve) => servers.pop()?.close(resolve));
      return url;
    }, /^ECONNREFUSED$/],
    ['a server that never answers (the deadline)', () => httpServer(() => undefined), /^no answer within 0\.3 s$/],
    ['an answer one byte over maxBytes', () => httpServer((_req, _body, res) => res.end('x'.repeat(LIMITS.maxBytes + 1))), /^HTTP 200 with an answer over 1024 bytes$/],
    ['a chunked answer that grows past maxBytes', () => httpServer((_req, _body, res) => {
      res.write('x'.repeat(1000));
      setTimeout(() => res.end('x'.repeat(1000)), 20);
    }), /^HTTP 200 with an answer over 1024 bytes$/],
    ['an answer cut short of its Content-Length', () => rawServer('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"a":', 'destroy'), /^HTTP 200 answer cut short$/],
    ['a status line that is not HTTP', () => rawServer('SSH-2.0-OpenSSH\r\n', 'end'), /^HPE_/],
    ['a connection switched to another protocol (101): at once, not at the deadline', () => rawServer('HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n', 'hang'), /^HTTP 101: the server switched the connection to another protocol$/],
    ['a Content-Length over maxBytes: refused before the body is read', () => rawServer('HTTP/1.1 200 OK\r\ncontent-length: 999999999\r\n\r\n{', 'hang'), /^HTTP 200 with an answer over 1024 bytes$/],
    ['headers that never end (the deadline)', () => rawServer('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n', 'hang'), /^no answer within 0\.3 s$/],
  ];
  for (const [what, start, reason] of failures) {
    it(`ends with a reason, not a rejection: ${what}`, async () => {
      const url = await start();
      const outcome: PostOutcome = await postText(url, '{}', {}, { ...LIMITS, timeoutMs: 300 });
      assert.equal(outcome.kind, 'failed', JSON.stringify(outcome));
      assert.match(outcome.kind === 'failed' ? outcome.reason : '', reason);
    });
  }
});
