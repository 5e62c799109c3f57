import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { listenTest, meshFiles, type TestServer } from '../../test/helpers/server.js';

/** Posts raw bytes to /v1/render with the given headers; returns status and parsed body (or text). */
async function post(t: TestServer, body: Buffer, headers: Record<string, string>): Promise<{ status: number; text: string; code: string | undefined }> {
  const res = await fetch(`${t.url}/v1/render`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    code = undefined;
  }
  return { status: res.status, text, code };
}

describe('readBody: the one reader of HTTP request bodies', () => {
  let t: TestServer;
  const good = Buffer.from(JSON.stringify({ files: meshFiles() }));
  before(async () => {
    t = await listenTest({ limits: { maxBodyBytes: 1024 * 1024 } });
  });
  after(() => t.close());

  const corrupt: Array<[string, string, Buffer]> = [
    ['gzip that is not gzip', 'gzip', Buffer.from('not gzip at all')],
    ['truncated gzip', 'gzip', zlib.gzipSync(good).subarray(0, 40)],
    ['deflate that is not deflate', 'deflate', Buffer.from('not deflate')],
    ['br that is not br', 'br', Buffer.from('not brotli data, not at all')],
  ];
  for (const [name, encoding, body] of corrupt) {
    it(`400 request-invalid for ${name} (never 500)`, async () => {
      const r = await post(t, body, { 'content-encoding': encoding });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.code, 'request-invalid');
      assert.match(r.text, new RegExp(`not valid ${encoding} data`));
    });
  }

  for (const [encoding, compress] of [['gzip', zlib.gzipSync], ['deflate', zlib.deflateSync], ['br', zlib.brotliCompressSync]] as const) {
    it(`decodes a valid ${encoding} body`, async () => {
      const r = await post(t, compress(good), { 'content-encoding': encoding });
      assert.equal(r.status, 200, r.text.slice(0, 500));
    });
  }

  it('413 for a small gzip body that inflates past the limit (counted after decompression)', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
    assert.ok(bomb.length < 100 * 1024);
    const r = await post(t, bomb, { 'content-encoding': 'gzip' });
    assert.equal(r.status, 413);
    assert.equal(r.code, 'body-too-large');
  });

  it('415 for an encoding it does not decode', async () => {
    const r = await post(t, good, { 'content-encoding': 'compress' });
    assert.equal(r.status, 415);
  });

  it('400 for a body that is not UTF-8', async () => {
    const r = await post(t, Buffer.from([0x7b, 0xff, 0x7d]), {});
    assert.equal(r.status, 400);
    assert.equal(r.code, 'request-invalid');
  });

  it('alias amplification through the server is refused by the same expansion budget as the CLI (413)', async () => {
    const big = `x-big: &big [${Array.from({ length: 300 }, () => `"${'a'.repeat(1000)}"`).join(', ')}]`;
    const amp = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: amp, namespace: shop}\n${big}\ncopies: [${Array.from({ length: 99 }, () => '*big').join(', ')}]\n`;
    const r = await post(t, Buffer.from(JSON.stringify({ files: meshFiles({ 'apps/amp.yaml': amp }) })), {});
    assert.equal(r.status, 413, r.text);
    assert.equal(r.code, 'input-too-large');
  });

  it('keeps __proto__ keys of a manifest sent as JSON text', async () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: p, namespace: shop}\ndata:\n  __proto__: kept\n  constructor: kept-too\n';
    const r = await post(t, Buffer.from(JSON.stringify({ files: meshFiles({ 'apps/cm.yaml': cm }) })), {});
    assert.equal(r.status, 200, r.text.slice(0, 500));
    assert.match(r.text, /^ {2}__proto__: kept$/m);
    assert.match(r.text, /^ {2}constructor: kept-too$/m);
  });

  it('400 input-encoding for a lone surrogate in a file sent as JSON (never silently replaced)', async () => {
    const body = Buffer.from(JSON.stringify({ files: meshFiles({ 'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\ndata: {a: "x\ud800"}\n' }) }));
    const r = await post(t, body, {});
    assert.equal(r.status, 400, r.text);
    assert.equal(r.code, 'input-encoding');
  });
});
