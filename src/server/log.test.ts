/**
 * The request log as a log pipeline reads it: captured JSON lines of a real listener. Levels are
 * names, probes and scrapes are debug lines, everything else (and a failing probe) stays at info.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { listenTest, meshFiles, type TestServer } from '../../test/helpers/server.js';
import { createLogger } from './log.js';

interface Line {
  level: unknown;
  msg: string;
  route?: string;
  status?: string;
}

const parse = (logs: string[]): Line[] => logs.map((l) => JSON.parse(l) as Line);

describe('request log', () => {
  let t: TestServer;
  const lines: string[] = [];
  before(async () => {
    t = await listenTest({ logger: createLogger((l) => void lines.push(l), 'debug') });
  });
  after(() => t.close());

  it('writes level names, never pino numbers', () => {
    const out: string[] = [];
    const log = createLogger((l) => void out.push(l), 'debug');
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug'] as const) log[level]('x');
    assert.deepEqual(parse(out).map((l) => l.level), ['fatal', 'error', 'warn', 'info', 'debug']);
  });

  const table: Array<[string, () => Promise<unknown>, string, string]> = [
    ['GET /healthz', () => request(t.server).get('/healthz'), 'healthz', 'debug'],
    ['GET /readyz (ready)', () => request(t.server).get('/readyz'), 'readyz', 'debug'],
    ['GET /metrics', () => request(t.server).get('/metrics'), 'metrics', 'debug'],
    ['POST /v1/render', () => request(t.server).post('/v1/render').send({ files: meshFiles() }), 'render', 'info'],
    ['an unknown path', () => request(t.server).get('/nope'), 'other', 'info'],
  ];
  for (const [what, send, route, level] of table) {
    it(`${what} is logged at ${level}`, async () => {
      lines.length = 0;
      await send();
      const requests = parse(lines).filter((l) => l.msg === 'request');
      assert.deepEqual(requests.map((l) => [l.route, l.level]), [[route, level]]);
    });
  }

  it('a failing probe (/readyz 503 while draining) stays at info', async () => {
    lines.length = 0;
    t.ctx.state.draining = true;
    try {
      assert.equal((await request(t.server).get('/readyz')).status, 503);
    } finally {
      t.ctx.state.draining = false;
    }
    assert.deepEqual(parse(lines).filter((l) => l.msg === 'request').map((l) => [l.route, l.status, l.level]), [['readyz', '503', 'info']]);
  });

  it('at the default level (info), probes leave no line at all', async () => {
    const out: string[] = [];
    const quiet = await listenTest({ logger: createLogger((l) => void out.push(l), 'info') });
    try {
      await request(quiet.server).get('/healthz');
      await request(quiet.server).get('/readyz');
      assert.deepEqual(out, []);
    } finally {
      await quiet.close();
    }
  });
});
