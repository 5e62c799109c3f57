/**
 * The other routes over a real listener: /v1/check, /v1/diff, /v1/post-render (raw YAML and
 * JSON forms), /healthz, /readyz (warm-up and drain), /metrics (cache hits, violations by rule).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { ENVOY_FILTER, listenTest, meshFiles, rawText, type TestServer } from '../../test/helpers/server.js';
import { defaultCore } from './core.js';
import { warmUp, warmupSource } from './warmup.js';

const revision = /revisions:\n\s+- (asm-1-\d+)/.exec(warmupSource()[0]?.text ?? '')?.[1] ?? 'asm-1-28';
const kube = /kubernetesVersion: "?([\d.]+)"?/.exec(warmupSource()[0]?.text ?? '')?.[1] ?? '1.32';
const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';

describe('routes', () => {
  let t: TestServer;
  before(async () => {
    t = await listenTest();
  });
  after(() => t.close());

  it('POST /v1/check: 200 with the JSON report, 422 with error findings', async () => {
    const ok = await request(t.server).post('/v1/check').send({ files: meshFiles() });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['meshplane-exit-code'], '0');
    assert.equal((ok.body as { mesh: string }).mesh, 'warm-up');
    const bad = await request(t.server).post('/v1/check').send({ files: meshFiles({ 'f.yaml': ENVOY_FILTER }) });
    assert.equal(bad.status, 422);
    assert.equal(bad.headers['meshplane-exit-code'], '1');
    const report = bad.body as { violations: Array<{ ruleId: string }> };
    assert.ok(report.violations.some((v) => v.ruleId === 'forbidden-kind'));
  });

  it('POST /v1/check: other formats keep their content type; ARGOCD_APP_PARAMETERS is refused (check does not read it)', async () => {
    const sarif = await request(t.server).post('/v1/check').send({ files: meshFiles(), options: { output: 'sarif' } });
    assert.equal(sarif.status, 200);
    assert.match(sarif.headers['content-type'] ?? '', /^application\/sarif\+json/);
    const refused = await request(t.server).post('/v1/check').send({ files: meshFiles(), env: { ARGOCD_APP_PARAMETERS: '[]' } });
    assert.equal(refused.status, 400);
  });

  it('POST /v1/diff: an empty base against a mesh is all additions (exit code 1); json output', async () => {
    const res = await request(t.server).post('/v1/diff').send({ base: null, head: { files: meshFiles() }, options: { output: 'json' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['meshplane-exit-code'], '1');
    const report = res.body as { kind: string; summary: { added: number; removed: number } };
    assert.equal(report.kind, 'DiffReport');
    assert.ok(report.summary.added > 10);
    assert.equal(report.summary.removed, 0);
    const same = await request(t.server).post('/v1/diff').send({ base: { files: meshFiles() }, head: { files: meshFiles() } }).buffer(true).parse(rawText);
    assert.equal(same.status, 200);
    assert.equal(same.headers['meshplane-exit-code'], '0');
  });

  it('POST /v1/diff: both sides null is a 400', async () => {
    const res = await request(t.server).post('/v1/diff').send({ base: null, head: null });
    assert.equal(res.status, 400);
  });

  it('POST /v1/post-render: a raw application/yaml stream with the mesh in the query', async () => {
    const res = await request(t.server).post(`/v1/post-render?revision=${revision}&kubeVersion=${kube}&labelRevision=${revision}`).set('content-type', 'application/yaml').send(NAMESPACE).buffer(true).parse(rawText);
    assert.equal(res.status, 200, String(res.body));
    assert.match(res.headers['content-type'] ?? '', /^application\/yaml/);
    assert.match(String(res.body), new RegExp(`istio.io/rev: ${revision}`));
  });

  it('POST /v1/post-render: JSON with the intent; a forbidden kind is a 422 and nothing passes', async () => {
    const intent = warmupSource()[0]?.text ?? '';
    const res = await request(t.server).post('/v1/post-render').send({ manifests: `${NAMESPACE}---\n# Source: shop/templates/extra.yaml\n${ENVOY_FILTER}`, intent });
    assert.equal(res.status, 422);
    const body = res.body as { error: { code: string }; violations: Array<{ ruleId: string; where?: { file: string; template?: string } }> };
    assert.equal(body.error.code, 'policy-violations');
    const found = body.violations.find((v) => v.ruleId === 'forbidden-kind');
    assert.deepEqual([found?.where?.file, found?.where?.template], ['<stdin>', 'shop/templates/extra.yaml'], 'the finding names the template of its document');
    assert.ok(!('output' in body));
  });

  // Hostile mesh context through the query (each parameter is a post-render flag): the error names
  // the flag, never a line of the <flags> document built from them; the same tag twice, a tag named
  // __proto__ and a tag on a revision the mesh does not install are refused, not dropped.
  const hostileQuery: Array<{ name: string; query: string; code: string; match: RegExp }> = [
    { name: 'a tag on a revision not installed', query: `revision=${revision}&tag=prod=asm-1-1&kubeVersion=${kube}`, code: 'intent-invalid', match: /\(--tag prod=asm-1-1\)$/ },
    { name: 'a tag named __proto__', query: `revision=${revision}&tag=__proto__=${revision}&kubeVersion=${kube}`, code: 'intent-invalid', match: /"__proto__" does not have the expected form/ },
    { name: 'one tag twice', query: `revision=${revision}&tag=prod=${revision}&tag=prod=asm-1-1&kubeVersion=${kube}`, code: 'usage', match: /--tag prod= is given twice/ },
  ];
  for (const c of hostileQuery) {
    it(`POST /v1/post-render: ${c.name} in the query is a 400 naming the flag`, async () => {
      const res = await request(t.server).post(`/v1/post-render?${c.query}`).set('content-type', 'application/yaml').send(NAMESPACE);
      assert.equal(res.status, 400);
      const error = (res.body as { error: { code: string; message: string; details: Array<{ where: unknown; message: string }> } }).error;
      assert.equal(error.code, c.code);
      assert.ok(!JSON.stringify(error).includes('<flags>'), JSON.stringify(error));
      assert.ok(error.details.every((d) => d.where === null));
      assert.match(c.code === 'usage' ? error.message : (error.details[0]?.message ?? ''), c.match);
    });
  }

  it('POST /v1/post-render: no mesh context is a 400 usage error', async () => {
    const res = await request(t.server).post('/v1/post-render').set('content-type', 'application/yaml').send(NAMESPACE);
    assert.equal(res.status, 400);
    assert.equal((res.body as { error: { code: string } }).error.code, 'usage');
  });

  it('GET /metrics: cache hits and misses by route, violations by rule, in-flight and queued', async () => {
    const body = { files: meshFiles({ 'extra.yaml': '# metrics case' }) };
    assert.equal((await request(t.server).post('/v1/render').send(body)).headers['meshplane-cache'], 'miss');
    assert.equal((await request(t.server).post('/v1/render').send(body)).headers['meshplane-cache'], 'hit');
    const m = (await request(t.server).get('/metrics')).text;
    assert.match(m, /meshplane_cache_hits_total\{route="render"\} 1\n/);
    assert.match(m, /meshplane_cache_misses_total\{route="render"\} 1\n/);
    assert.match(m, /meshplane_violations_total\{rule="forbidden-kind",severity="error"\} [1-9]/);
    assert.match(m, /meshplane_renders_in_flight 0/);
    assert.match(m, /meshplane_renders_queued 0/);
    assert.match(m, /meshplane_http_request_duration_seconds_bucket\{le="0.001",route="render",status="200"\}/);
  });
});

describe('error bodies', () => {
  // Its own server: the metrics test above counts the render route's cache misses.
  let t: TestServer;
  before(async () => {
    t = await listenTest();
  });
  after(() => t.close());

  it('POST /v1/render: 1,000 bad tag names (1,002 problems) answer the first 100 problems and the count of the rest', async () => {
    const [mesh] = warmupSource();
    const tags = Array.from({ length: 1_000 }, (_, i) => `    T${i}: ${revision}\n`).join('');
    const res = await request(t.server).post('/v1/render').send({ files: { [mesh?.path ?? 'mesh.yaml']: `${mesh?.text ?? ''}  tags:\n${tags}` } });
    assert.equal(res.status, 400);
    const details = (res.body as { error: { details: Array<{ message: string }> } }).error.details;
    assert.equal(details.length, 101);
    assert.equal(details.at(-1)?.message, '… and 902 more problems not listed');
  });

});

describe('probes', () => {
  it('/readyz is 503 until the warm-up render passed, then 200; 503 again while draining', async () => {
    const t = await listenTest({ ready: false });
    try {
      assert.equal((await request(t.server).get('/healthz')).status, 200);
      const before = await request(t.server).get('/readyz');
      assert.equal(before.status, 503);
      assert.equal((before.body as { status: string }).status, 'not-ready');
      assert.equal(await warmUp(t.ctx), true);
      assert.equal((await request(t.server).get('/readyz')).status, 200);
      t.ctx.state.draining = true;
      assert.equal((await request(t.server).get('/readyz')).status, 503);
      const refused = await request(t.server).post('/v1/render').send({ files: meshFiles() });
      assert.equal(refused.status, 503);
      assert.equal((refused.body as { error: { code: string } }).error.code, 'shutting-down');
    } finally {
      await t.close();
    }
  });

  it('/readyz stays 503 with the reason when the warm-up render fails', async () => {
    const t = await listenTest({ ready: false, core: { ...defaultCore, generate: async () => { throw new Error('templates broken'); } } });
    try {
      assert.equal(await warmUp(t.ctx), false);
      const res = await request(t.server).get('/readyz');
      assert.equal(res.status, 503);
      assert.match((res.body as { reason: string }).reason, /templates broken/);
    } finally {
      await t.close();
    }
  });
});
