/**
 * Client mode against test servers (real listeners, injected cores): which answers are used,
 * which make generate render in-process (with one line on stderr), and the token.
 */
import { after, before, describe, it } from 'node:test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { MeshplaneError } from '../core/errors.js';
import { planGenerate, runGenerate, type GenerateResult } from '../flows/generate.js';
import { sourceFilesFromTexts } from '../pipeline/load.js';
import { defaultCore } from '../server/core.js';
import { HttpError } from '../server/errors.js';
import { listenTest, meshFiles, type TestServer } from '../../test/helpers/server.js';
import { generateVia, serverAlreadyUnavailable, serverOutcome, serverTarget } from './remote-generate.js';

const TOKEN = 'client-token-0123456789';
const files = sourceFilesFromTexts(Object.entries(meshFiles()));
const plan = () => planGenerate({}, { format: 'yaml' });

async function via(url: string, env: Record<string, string> = {}): Promise<{ result: GenerateResult; warnings: string[] }> {
  const warnings: string[] = [];
  const target = await serverTarget(url, env);
  const result = await generateVia(target, files, env, plan(), { emit: true, warn: (l) => void warnings.push(l) });
  return { result, warnings };
}

describe('generate --server', () => {
  let local: GenerateResult;
  const servers: TestServer[] = [];
  before(async () => {
    local = await runGenerate(files, {}, plan());
  });
  after(() => Promise.all(servers.map((s) => s.close())));

  const fallbacks: Array<[string, () => Promise<never>, RegExp]> = [
    ['an overloaded server (503)', async () => { throw new HttpError(503, 'overloaded', 'busy', { headers: { 'retry-after': '1' } }); }, /HTTP 503 overloaded/],
    ['a failing server (500)', async () => { throw new Error('boom'); }, /HTTP 500 internal/],
    ['a request shape the server refuses (400 request-invalid)', async () => { throw new HttpError(400, 'request-invalid', 'old server'); }, /HTTP 400 request-invalid/],
  ];
  for (const [name, generate, reason] of fallbacks) {
    it(`renders in-process after ${name}, and says why`, async () => {
      const t = await listenTest({ core: { ...defaultCore, generate } });
      servers.push(t);
      const { result, warnings } = await via(t.url);
      assert.equal(result.output, local.output);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? '', reason);
      assert.match(warnings[0] ?? '', /rendering in-process\n$/);
    });
  }

  it('uses the server answer when it answers (no warning), sending MESHPLANE_TOKEN', async () => {
    let calls = 0;
    const t = await listenTest({ token: TOKEN, core: { ...defaultCore, generate: async (...args) => { calls++; return defaultCore.generate(...args); } } });
    servers.push(t);
    const ok = await via(t.url, { MESHPLANE_TOKEN: TOKEN });
    assert.deepEqual(ok.warnings, []);
    assert.equal(calls, 1);
    assert.equal(ok.result.output, local.output);
    const refused = await via(t.url, { MESHPLANE_TOKEN: 'another-token-0123456789' });
    assert.match(refused.warnings[0] ?? '', /HTTP 401 unauthorized/);
    assert.equal(refused.result.output, local.output);
  });

  it('records what the server did (serverOutcome); after serverAlreadyUnavailable it is not asked again, and the warning carries the earlier reason', async () => {
    const t = await listenTest({});
    servers.push(t);
    assert.deepEqual((await via(t.url)).warnings, []);
    assert.deepEqual(serverOutcome(), { kind: 'answered' });
    serverAlreadyUnavailable('HTTP 503 overloaded');
    try {
      // The server would answer: a warning with the earlier reason means it was not asked.
      const { result, warnings } = await via(t.url);
      assert.equal(result.output, local.output);
      assert.deepEqual(warnings, [`warning: the Meshplane server at ${t.url}/ did not answer (HTTP 503 overloaded); rendering in-process\n`]);
      assert.deepEqual(serverOutcome(), { kind: 'unavailable', reason: 'HTTP 503 overloaded' });
    } finally {
      serverAlreadyUnavailable(undefined);
    }
    assert.deepEqual((await via(t.url)).warnings, [], 'forgotten: asked again, and answered');
    assert.deepEqual(serverOutcome(), { kind: 'answered' });
  });

  it('an input error answered by the server is thrown as the same MeshplaneError', async () => {
    const t = await listenTest({ core: { ...defaultCore, generate: async () => { throw new MeshplaneError('intent-invalid', 'bad intent', [{ where: { file: 'mesh.yaml', line: 3, column: 1 }, message: 'x', hint: 'y' }], 'fix it'); } } });
    servers.push(t);
    await assert.rejects(via(t.url), (e: unknown) => e instanceof MeshplaneError && e.code === 'intent-invalid' && e.hint === 'fix it' && e.details[0]?.where?.line === 3);
  });

  /** A plain HTTP listener answering every request with `status`, `headers` and `body` (not a Meshplane server). */
  async function answering(status: number, body: string, headers: Record<string, string> = {}): Promise<string> {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) } as TestServer);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const clean = () => JSON.parse(JSON.stringify({ ...local, objects: undefined })) as Record<string, unknown>;
  const odd: Array<[string, () => [number, string, Record<string, string>?], RegExp]> = [
    ['a redirect (not followed; the warning names where it points, without credentials or query)', () => [308, '', { location: 'https://u:p@mesh.example/v1/render?t=1' }], /HTTP 308, a redirect to https:\/\/mesh\.example\/, which is not followed: point --server/],
    ['a result whose notices are not notices', () => [200, JSON.stringify({ ...clean(), notices: [1] })], /HTTP 200 with an answer that is not a render result/],
    ['a result whose report is not a report', () => [200, JSON.stringify({ ...clean(), report: { x: 1 } })], /HTTP 200 with an answer that is not a render result/],
    ['a clean result without manifests', () => [200, JSON.stringify({ ...clean(), output: undefined })], /HTTP 200 with an answer that is not a render result/],
    ['an error code that is free text with a line break (left out of the line)', () => [503, JSON.stringify({ error: { code: 'busy\nwarning: forged', message: 'x' } })], /\(HTTP 503\); rendering in-process\n$/],
    ['a 400 without a Meshplane error (a proxy, not the server)', () => [400, JSON.stringify({ message: 'bad request' })], /\(HTTP 400\); rendering in-process/],
    ['a 400 with a code the CLI does not raise', () => [400, JSON.stringify({ error: { code: 'bad-request', message: 'x' } })], /\(HTTP 400 bad-request\); rendering in-process/],
    ['a 400 input error whose detail is not one', () => [400, JSON.stringify({ error: { code: 'intent-invalid', message: 'x', details: [null] } })], /\(HTTP 400 intent-invalid\); rendering in-process/],
    ['a relative redirect (resolved against the request)', () => [302, '', { location: '/oauth2/start?rd=x' }], /HTTP 302, a redirect to http:\/\/127\.0\.0\.1:\d+\/oauth2\/start, which/],
    ['a redirect that is not to http(s) (not named)', () => [302, '', { location: 'ftp://files.example/x' }], /HTTP 302, a redirect, which is not followed/],
  ];
  for (const [what, answer, reason] of odd) {
    it(`renders in-process after ${what}`, async () => {
      const [status, body, headers] = answer();
      const { result, warnings } = await via(await answering(status, body, headers));
      assert.equal(result.output, local.output);
      assert.equal(warnings.length, 1, warnings.join(''));
      assert.match(warnings[0] ?? '', reason);
      assert.equal((warnings[0] ?? '').split('\n').length, 2, 'one line');
    });
  }

  it('--output-dir: a clean answer whose manifests are not a JSON List renders in-process', async () => {
    const url = await answering(200, JSON.stringify({ ...clean(), output: 'not json' }));
    const warnings: string[] = [];
    const result = await generateVia(await serverTarget(url, {}), files, {}, plan(), { emit: false, warn: (l) => void warnings.push(l) });
    assert.equal(result.objects.length, local.objects.length);
    assert.match(warnings[0] ?? '', /HTTP 200 with manifests that are not a JSON List/);
  });

  it('refuses a --server with a user name or password (node:http would send them in the clear)', async () => {
    await assert.rejects(serverTarget('http://user:secret@127.0.0.1:8686', {}), (e: unknown) => e instanceof MeshplaneError && e.code === 'usage' && /user name or password/.test(e.message) && !/secret/.test(e.message));
    await assert.rejects(serverTarget(undefined, { MESHPLANE_SERVER: 'https://user@mesh.example' }), /user name or password/);
  });

  it('refuses a --server that is not an http(s) URL', async () => {
    await assert.rejects(serverTarget('ftp://x', {}), /http:\/\/ or https:\/\//);
    await assert.rejects(serverTarget('not a url', {}), /is not a URL/);
    assert.equal(await serverTarget(undefined, {}), undefined);
  });
});
