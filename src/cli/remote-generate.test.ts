/**
 * Client mode against test servers (real listeners, injected cores): which answers are used,
 * which make generate render in-process (with one line on stderr), and the token.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeshplaneError } from '../core/errors.js';
import { planGenerate, runGenerate, type GenerateResult } from '../flows/generate.js';
import { sourceFilesFromTexts } from '../pipeline/load.js';
import { defaultCore } from '../server/core.js';
import { HttpError } from '../server/errors.js';
import { listenTest, meshFiles, type TestServer } from '../../test/helpers/server.js';
import { generateVia, serverTarget } from './remote-generate.js';

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

  it('an input error answered by the server is thrown as the same MeshplaneError', async () => {
    const t = await listenTest({ core: { ...defaultCore, generate: async () => { throw new MeshplaneError('intent-invalid', 'bad intent', [{ where: { file: 'mesh.yaml', line: 3, column: 1 }, message: 'x', hint: 'y' }], 'fix it'); } } });
    servers.push(t);
    await assert.rejects(via(t.url), (e: unknown) => e instanceof MeshplaneError && e.code === 'intent-invalid' && e.hint === 'fix it' && e.details[0]?.where?.line === 3);
  });

  it('refuses a --server that is not an http(s) URL', async () => {
    await assert.rejects(serverTarget('ftp://x', {}), /http:\/\/ or https:\/\//);
    await assert.rejects(serverTarget('not a url', {}), /is not a URL/);
    assert.equal(await serverTarget(undefined, {}), undefined);
  });
});
