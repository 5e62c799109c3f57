/**
 * POST /v1/render over a real listener (supertest on app.listen(0)): every status the route
 * answers, the stable error shape, limits (413, 503 + Retry-After, deadline), auth, and bad input
 * that must never crash the process or leave an unhandled rejection.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { generate, type GenerateResult } from '../flows/generate.js';
import { sourceFilesFromTexts } from '../pipeline/load.js';
import { ENVOY_FILTER, listenTest, meshFiles, rawText, type TestServer } from '../../test/helpers/server.js';
import { defaultCore, type ServerCore } from './core.js';
import { RESULT_MEDIA_TYPE } from '../cli/remote-generate.js';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (r) => unhandled.push(r));

const TOKEN = 'test-token-0123456789abcdef';

/** A core whose generate waits for `release()` (or a delay) and then answers `result`. */
function slowCore(result: () => GenerateResult, delayMs?: number): ServerCore & { release(): void; calls: number } {
  const waiting: Array<() => void> = [];
  const core = {
    ...defaultCore,
    calls: 0,
    release: () => waiting.splice(0).forEach((go) => go()),
    generate: async () => {
      core.calls++;
      await new Promise<void>((resolve) => (delayMs === undefined ? waiting.push(resolve) : setTimeout(resolve, delayMs)));
      return result();
    },
  };
  return core;
}

function errorShape(body: unknown): { code: string; message: string; hint: string | null; details: Array<Record<string, unknown>> } {
  const e = (body as { error: { code: string; message: string; hint: string | null; details: Array<Record<string, unknown>> } }).error;
  assert.equal(typeof e.code, 'string');
  assert.equal(typeof e.message, 'string');
  assert.ok(Array.isArray(e.details));
  for (const d of e.details) assert.deepEqual(Object.keys(d).sort(), ['hint', 'message', 'path', 'where']);
  return e;
}

describe('POST /v1/render', () => {
  let t: TestServer;
  let clean: GenerateResult;
  before(async () => {
    t = await listenTest();
    clean = await generate(sourceFilesFromTexts(Object.entries(meshFiles())), {}, { format: 'yaml' });
  });
  after(() => t.close());

  it('200: the manifests as application/yaml, exactly the core output, exit code 0', async () => {
    const res = await request(t.server).post('/v1/render').send({ files: meshFiles({ 'README.md': '# not read' }) }).buffer(true).parse(rawText);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /^application\/yaml/);
    assert.equal(res.headers['meshplane-exit-code'], '0');
    assert.equal(res.body, clean.output);
    assert.ok(parseAllDocuments(res.body as string).length > 10);
  });

  it('200 structured: output, notices, report and exit class for client mode', async () => {
    const res = await request(t.server).post('/v1/render').set('accept', RESULT_MEDIA_TYPE).send({ files: meshFiles(), options: { format: 'json' } });
    assert.equal(res.status, 200);
    const body = JSON.parse(res.text) as { exitClass: string; exitCode: number; output: string; report: { mesh: string }; notices: unknown[] };
    assert.equal(body.exitClass, 'clean');
    assert.equal(body.exitCode, 0);
    assert.equal((JSON.parse(body.output) as { kind: string }).kind, 'List');
    assert.equal(body.report.mesh, 'warm-up');
  });

  it('422: error findings withhold the output; details name rule, resource, file:line and fix', async () => {
    const res = await request(t.server).post('/v1/render').send({ files: meshFiles({ 'apps/filter.yaml': ENVOY_FILTER }) });
    assert.equal(res.status, 422);
    assert.equal(res.headers['meshplane-exit-code'], '1');
    const e = errorShape(res.body);
    assert.equal(e.code, 'policy-violations');
    const d = e.details.find((x) => String(x.message).startsWith('[forbidden-kind]'));
    assert.ok(d, JSON.stringify(e.details));
    assert.equal(d.path, 'networking.istio.io/EnvoyFilter/shop/lua');
    assert.deepEqual(d.where, { file: 'apps/filter.yaml', line: 1, column: 1 });
    assert.equal(typeof d.hint, 'string');
    assert.equal((res.body as { exitClass: string }).exitClass, 'violations');
  });

  const badRequests: Array<[string, unknown, string]> = [
    ['no intent in the files', { files: { 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n' } }, 'intent-missing'],
    ['files is a list', { files: ['mesh.yaml'] }, 'request-invalid'],
    ['files missing', {}, 'request-invalid'],
    ['a file content is a number', { files: { 'mesh.yaml': 42 } }, 'request-invalid'],
    ['path with ..', { files: { '../mesh.yaml': 'a: 1' } }, 'request-invalid'],
    ['absolute path', { files: { '/etc/mesh.yaml': 'a: 1' } }, 'request-invalid'],
    ['path with NUL', { files: { 'mesh\u0000.yaml': 'a: 1' } }, 'request-invalid'],
    ['path with a doubled slash', { files: { 'apps//a.yaml': 'a: 1' } }, 'request-invalid'],
    ['a path of 5000 bytes', { files: { [`${'a'.repeat(5000)}.yaml`]: 'a: 1' } }, 'request-invalid'],
    ['a file that is also a folder', { files: { 'a.yaml': 'x: 1', 'a.yaml/b.yaml': 'x: 1' } }, 'request-invalid'],
    ['NUL inside a manifest', { files: meshFiles({ 'bin.yaml': 'a\u0000b' }) }, 'yaml-invalid'],
    ['unknown top-level field', { files: meshFiles(), flies: {} }, 'request-invalid'],
    ['an env variable the route does not read', { files: meshFiles(), env: { HOME: '/root' } }, 'request-invalid'],
    ['an env value that is not a string', { files: meshFiles(), env: { KUBE_VERSION: 1.32 } }, 'request-invalid'],
    ['an unknown format', { files: meshFiles(), options: { format: 'xml' } }, 'usage'],
    ['a --now that is not a date', { files: meshFiles(), options: { now: 'tomorrow' } }, 'usage'],
    ['ARGOCD_APP_PARAMETERS that is not JSON', { files: meshFiles(), env: { ARGOCD_APP_PARAMETERS: '[{' } }, 'parameter-invalid'],
    ['a body that is a JSON array', [1, 2], 'request-invalid'],
  ];
  for (const [name, body, code] of badRequests) {
    it(`400 ${code}: ${name}`, async () => {
      const res = await request(t.server).post('/v1/render').send(body as object);
      assert.equal(res.status, 400, res.text);
      assert.equal(errorShape(res.body).code, code);
    });
  }

  it('400: malformed JSON', async () => {
    const res = await request(t.server).post('/v1/render').set('content-type', 'application/json').send('{"files": {');
    assert.equal(res.status, 400);
    assert.equal(errorShape(res.body).code, 'request-invalid');
  });

  it('413 input-too-large: more manifest files than readSourceTree accepts', async () => {
    const files = Object.fromEntries(Array.from({ length: 5001 }, (_, i) => [`f${i}.yaml`, '']));
    const res = await request(t.server).post('/v1/render').send({ files });
    assert.equal(res.status, 413);
    assert.equal(errorShape(res.body).code, 'input-too-large');
  });

  it('415: a body that is not JSON', async () => {
    const res = await request(t.server).post('/v1/render').set('content-type', 'text/plain').send('files');
    assert.equal(res.status, 415);
    assert.equal(errorShape(res.body).code, 'unsupported-media-type');
  });

  it('404 and 405 answer the error shape', async () => {
    const a = await request(t.server).get('/v2/render');
    assert.equal(a.status, 404);
    assert.equal(errorShape(a.body).code, 'not-found');
    const b = await request(t.server).get('/v1/render');
    assert.equal(b.status, 405);
    assert.equal(b.headers.allow, 'POST');
  });
});

describe('limits', () => {
  let clean: GenerateResult;
  before(async () => {
    clean = await generate(sourceFilesFromTexts(Object.entries(meshFiles())), {}, { format: 'yaml' });
  });

  it('413 body-too-large: a body over --max-body-bytes, huge strings included', async () => {
    const t = await listenTest({ limits: { maxBodyBytes: 64 * 1024 } });
    try {
      const res = await request(t.server).post('/v1/render').send({ files: { 'mesh.yaml': 'x'.repeat(200 * 1024) } });
      assert.equal(res.status, 413);
      assert.equal(errorShape(res.body).code, 'body-too-large');
    } finally {
      await t.close();
    }
  });

  it('503 overloaded with Retry-After once the slots and the queue are full; the others complete', async () => {
    const core = slowCore(() => clean);
    const t = await listenTest({ core, limits: { maxConcurrent: 1, maxQueue: 1, retryAfterSeconds: 7 } });
    try {
      const body = (n: number) => ({ files: meshFiles({ [`n${n}.yaml`]: `# ${n}` }) });
      const first = request(t.server).post('/v1/render').send(body(1)).then((r) => r);
      await waitFor(() => t.ctx.gate.running === 1);
      const second = request(t.server).post('/v1/render').send(body(2)).then((r) => r);
      await waitFor(() => t.ctx.gate.queued === 1);
      const third = await request(t.server).post('/v1/render').send(body(3));
      assert.equal(third.status, 503);
      assert.equal(third.headers['retry-after'], '7');
      assert.equal(errorShape(third.body).code, 'overloaded');
      core.release();
      await waitFor(() => core.calls === 2);
      core.release();
      assert.equal((await first).status, 200);
      assert.equal((await second).status, 200);
      const metrics = await request(t.server).get('/metrics');
      assert.match(metrics.text, /meshplane_shed_total\{reason="overloaded"\} 1/);
    } finally {
      core.release();
      await t.close();
    }
  });

  it('503 deadline-exceeded when the core runs past the deadline; the slot is held until it ends', async () => {
    const core = slowCore(() => clean, 600);
    const t = await listenTest({ core, limits: { deadlineMs: 150 } });
    try {
      const res = await request(t.server).post('/v1/render').send({ files: meshFiles() });
      assert.equal(res.status, 503);
      assert.equal(errorShape(res.body).code, 'deadline-exceeded');
      assert.ok(res.headers['retry-after']);
      assert.equal(t.ctx.gate.running, 1, 'the late render still holds its slot');
      await waitFor(() => t.ctx.gate.running === 0);
    } finally {
      await t.close();
    }
  });

  it('500 internal from a failing core: no internals leak to the client, the log has them', async () => {
    const core: ServerCore = { ...defaultCore, generate: async () => { throw new Error('secret-internal-detail'); } };
    const t = await listenTest({ core });
    try {
      const res = await request(t.server).post('/v1/render').send({ files: meshFiles() });
      assert.equal(res.status, 500);
      const e = errorShape(res.body);
      assert.equal(e.code, 'internal');
      assert.doesNotMatch(res.text, /secret-internal-detail/);
      assert.match(e.hint ?? '', new RegExp(String(res.headers['x-request-id'])));
      assert.ok(t.logs.some((l) => l.includes('secret-internal-detail') && l.includes('"level":"error"')));
      const again = await request(t.server).get('/healthz');
      assert.equal(again.status, 200, 'the process is still serving');
    } finally {
      await t.close();
    }
  });
});

describe('auth', () => {
  let t: TestServer;
  before(async () => {
    t = await listenTest({ token: TOKEN, core: { ...defaultCore, generate: async () => { throw new Error('not reached in these cases'); } } });
  });
  after(() => t.close());

  it('401 without a token, with WWW-Authenticate; the body is not parsed', async () => {
    const res = await request(t.server).post('/v1/render').set('content-type', 'application/json').send('{not json');
    assert.equal(res.status, 401);
    assert.match(res.headers['www-authenticate'] ?? '', /^Bearer/);
    assert.equal(errorShape(res.body).code, 'unauthorized');
  });

  it('401 with a wrong token, and the token never appears in answers or logs', async () => {
    const res = await request(t.server).post('/v1/render').set('authorization', 'Bearer wrong-token-0123456789').send({ files: {} });
    assert.equal(res.status, 401);
    assert.ok(!t.logs.join('').includes(TOKEN));
    assert.ok(!t.logs.join('').includes('wrong-token'));
  });

  it('accepted with the right token (the request reaches validation)', async () => {
    const res = await request(t.server).post('/v1/render').set('authorization', `Bearer ${TOKEN}`).send({ files: [] });
    assert.equal(res.status, 400);
    assert.equal(errorShape(res.body).code, 'request-invalid');
  });

  it('probes and metrics need no token', async () => {
    for (const p of ['/healthz', '/readyz', '/metrics']) assert.equal((await request(t.server).get(p)).status, 200, p);
  });
});

describe('process safety', () => {
  it('random bodies, JSON or not, get a 4xx with the error shape, never a 500 or a crash', async () => {
    const t = await listenTest();
    try {
      const anyJson = fc.jsonValue({ maxDepth: 4 });
      const filesLike = fc.record({ files: fc.dictionary(fc.string({ maxLength: 30 }), fc.oneof(fc.string({ maxLength: 200 }), anyJson)), env: fc.option(fc.dictionary(fc.string({ maxLength: 20 }), anyJson)) }, { requiredKeys: ['files'] });
      const body = fc.oneof(anyJson.map((v) => JSON.stringify(v)), filesLike.map((v) => JSON.stringify(v)), fc.string({ maxLength: 300 }));
      await fc.assert(
        fc.asyncProperty(body, async (text) => {
          const res = await request(t.server).post('/v1/render').set('content-type', 'application/json').send(text);
          assert.ok([400, 413, 422].includes(res.status), `${res.status} for ${text.slice(0, 200)}: ${res.text.slice(0, 300)}`);
          errorShape(res.body);
        }),
        { numRuns: 150 },
      );
      assert.equal((await request(t.server).get('/healthz')).status, 200);
    } finally {
      await t.close();
    }
  });

  it('left no unhandled rejection behind', () => {
    assert.deepEqual(unhandled, []);
  });
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
