import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DiskCache, openDiskCache, preparePrivateDir } from './disk-cache.js';
import { cacheKey, JsonnetEngine } from './template-engine.js';
import { render } from '../pipeline/render.js';
import { readSourceTree } from '../pipeline/load.js';
import { packagePath } from '../core/paths.js';

function scratch(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mp-disk-cache-'));
  chmodSync(dir, 0o700);
  return dir;
}

const key = (n: number | string): string => createHash('sha256').update(String(n)).digest('hex');

describe('DiskCache', () => {
  it('stores and returns a payload, in a 0700 folder with 0600 entries', () => {
    const dir = path.join(scratch(), 'cache');
    const cache = openDiskCache(dir);
    assert.ok(cache);
    cache.set(key(1), '{"a":1}');
    assert.equal(cache.get(key(1)), '{"a":1}');
    assert.equal(cache.get(key(2)), undefined);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(path.join(dir, key(1))).mode & 0o777, 0o600);
    assert.deepEqual(cache.stats, { hits: 1, misses: 1, corrupt: 0, writeErrors: 0 });
  });

  it('returns a payload of any text as it was stored (the checksum covers its UTF-8 bytes)', () => {
    const cache = openDiskCache(path.join(scratch(), 'cache'));
    assert.ok(cache);
    const payloads = ['', 'ü€😀\n"\\', '\n'.repeat(70), 'x'.repeat(200_000), '{"lone":"\ud800"}'];
    for (const [i, p] of payloads.entries()) {
      assert.equal(cache.set(key(`u${i}`), p), true);
      assert.equal(cache.get(key(`u${i}`)), p.replace('\ud800', '\ufffd'), JSON.stringify(p.slice(0, 20)));
    }
    assert.equal(cache.stats.corrupt, 0);
  });

  it('touch marks an entry used without reading it; a missing entry or a name that is not a key is left alone', () => {
    const cache = openDiskCache(path.join(scratch(), 'cache'));
    assert.ok(cache);
    cache.set(key(1), 'x');
    const file = path.join(cache.dir, key(1));
    const past = new Date('2026-01-01T00:00:00Z');
    utimesSync(file, past, past);
    cache.touch(key(1));
    assert.ok(statSync(file).mtimeMs > past.getTime());
    cache.touch(key(2));
    cache.touch('../escape');
    assert.equal(existsSync(path.join(cache.dir, key(2))), false);
    assert.deepEqual(cache.stats, { hits: 0, misses: 0, corrupt: 0, writeErrors: 0 });
  });

  it('set says whether it wrote', () => {
    const cache = openDiskCache(path.join(scratch(), 'cache'));
    assert.ok(cache);
    assert.equal(cache.set(key(1), 'x'), true);
    assert.equal(cache.get(key(1)), 'x');
    assert.equal(cache.set('not-a-key', 'x'), false);
  });

  it('a FIFO named like an entry is a miss at once, not a wait for a writer', () => {
    // In a child with a time limit: a blocking open would stop this test runner too.
    const dir = path.join(scratch(), 'cache');
    const cache = openDiskCache(dir);
    assert.ok(cache);
    assert.equal(spawnSync('mkfifo', [path.join(dir, key(1))]).status, 0, 'mkfifo is needed for this test');
    const module = fileURLToPath(new URL('./disk-cache.js', import.meta.url));
    const script = `import(${JSON.stringify(module)}).then(({ openDiskCache }) => process.stdout.write(String(openDiskCache(${JSON.stringify(dir)}).get(${JSON.stringify(key(1))}))))`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.signal, null, 'not killed by the time limit');
    assert.equal(r.stdout, 'undefined', r.stderr);
  });

  it('drops a corrupt or truncated entry and reports a miss', () => {
    const cases: Array<[string, (text: string) => string]> = [
      ['payload changed', (t) => t.replace('"a":1', '"a":2')],
      ['truncated', (t) => t.slice(0, t.length - 3)],
      ['checksum line missing', (t) => t.slice(65)],
      ['empty', () => ''],
      ['binary garbage', () => '\u0000\u00ff'.repeat(40)],
    ];
    for (const [name, corrupt] of cases) {
      const cache = openDiskCache(path.join(scratch(), 'c'))!;
      cache.set(key(1), '{"a":1}');
      const file = path.join(cache.dir, key(1));
      writeFileSync(file, corrupt(readFileSync(file, 'utf8')));
      assert.equal(cache.get(key(1)), undefined, name);
      assert.equal(cache.stats.corrupt, 1, name);
      assert.equal(existsSync(file), false, `${name}: the bad entry is removed`);
    }
  });

  it('refuses an entry whose payload is not UTF-8, even with a matching checksum (never decoded with replacement characters)', () => {
    const cache = openDiskCache(path.join(scratch(), 'c'))!;
    const payload = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const file = path.join(cache.dir, key(1));
    writeFileSync(file, Buffer.concat([Buffer.from(`${createHash('sha256').update(payload).digest('hex')}\n`), payload]));
    assert.equal(cache.get(key(1)), undefined);
    assert.equal(cache.stats.corrupt, 1);
    assert.equal(existsSync(file), false);
  });

  it('ignores keys that are not a hex SHA-256 (no path tricks)', () => {
    const cache = openDiskCache(path.join(scratch(), 'c'))!;
    for (const bad of ['../x', 'a'.repeat(63), `${key(1)}/..`, key(1).toUpperCase()]) {
      cache.set(bad, 'x');
      assert.equal(cache.get(bad), undefined, bad);
    }
    assert.deepEqual(readdirSync(cache.dir), []);
  });

  it('evicts the least recently used entries beyond the entry bound', () => {
    const cache = new DiskCache(scratch(), { maxEntries: 3, maxBytes: 1 << 20 });
    for (let i = 0; i < 5; i++) {
      cache.set(key(i), `{"i":${i}}`);
      const t = new Date(Date.now() - (10 - i) * 1000);
      utimesSync(path.join(cache.dir, key(i)), t, t);
    }
    // key(0..1) were evicted on the way; a hit refreshes key(2), so key(3) is the oldest next.
    assert.ok(cache.get(key(2)));
    cache.set(key(9), '{"i":9}');
    const left = readdirSync(cache.dir).sort();
    assert.deepEqual(left, [key(2), key(4), key(9)].sort());
  });

  it('evicts beyond the byte bound', () => {
    const cache = new DiskCache(scratch(), { maxEntries: 100, maxBytes: 1000 });
    for (let i = 0; i < 6; i++) {
      cache.set(key(i), JSON.stringify('x'.repeat(300)));
      const t = new Date(Date.now() - (10 - i) * 1000);
      utimesSync(path.join(cache.dir, key(i)), t, t);
    }
    const sizes = readdirSync(cache.dir).map((n) => statSync(path.join(cache.dir, n)).size);
    assert.ok(sizes.reduce((a, b) => a + b, 0) <= 1000);
    assert.equal(sizes.length, 2);
  });

  it('removes stale temporary files left by a writer that died', () => {
    const cache = new DiskCache(scratch(), { maxEntries: 10, maxBytes: 1 << 20 });
    const stale = path.join(cache.dir, `.${key(1)}.123.abc.tmp`);
    writeFileSync(stale, 'partial');
    const old = new Date(Date.now() - 3600_000);
    utimesSync(stale, old, old);
    cache.set(key(2), '{}');
    assert.equal(existsSync(stale), false);
  });

  it('refuses a folder that is not private to this uid', () => {
    const base = scratch();
    const open = path.join(base, 'open');
    mkdirSync(open, { mode: 0o755 });
    chmodSync(open, 0o755);
    assert.equal(preparePrivateDir(open), false, 'group/other may read it');
    const target = path.join(base, 'target');
    mkdirSync(target, { mode: 0o700 });
    const link = path.join(base, 'link');
    symlinkSync(target, link);
    assert.equal(preparePrivateDir(link), false, 'a symbolic link');
    const file = path.join(base, 'file');
    writeFileSync(file, '');
    assert.equal(preparePrivateDir(file), false, 'a file');
    assert.equal(openDiskCache(open), undefined);
  });

  it('refuses a folder owned by another uid', (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to give a folder away');
    const other = path.join(scratch(), 'other');
    mkdirSync(other, { mode: 0o700 });
    chownSync(other, 12345, 12345);
    assert.equal(preparePrivateDir(other), false);
  });

  it('fails open when its folder disappears', () => {
    const dir = path.join(scratch(), 'gone');
    const cache = openDiskCache(dir)!;
    rmSync(dir, { recursive: true });
    cache.set(key(1), '{}');
    assert.equal(cache.get(key(1)), undefined);
    assert.equal(cache.stats.writeErrors, 1);
  });
});

describe('cacheKey', () => {
  it('changes with every part: templates, input, code version', () => {
    const base = cacheKey('bundle', '{"a":1}', 'v1');
    const variants = [cacheKey('bundle2', '{"a":1}', 'v1'), cacheKey('bundle', '{"a":2}', 'v1'), cacheKey('bundle', '{"a":1}', 'v2'), cacheKey('bundl', 'e{"a":1}', 'v1')];
    for (const v of variants) assert.notEqual(v, base);
    assert.equal(cacheKey('bundle', '{"a":1}', 'v1'), base);
    assert.match(base, /^[0-9a-f]{64}$/);
  });

  it('changes with every outside input that reaches the templates', async () => {
    const files = await readSourceTree(packagePath('examples', 'canary'));
    const mesh = files.find((f) => f.path === 'mesh.yaml');
    assert.ok(mesh);
    // Without a pinned Kubernetes version, KUBE_VERSION and --kube-version decide it; without the
    // revision tags, which must point at installed revisions, so the revisions parameter below may drop one.
    const unpinned = files.map((f) => (f === mesh ? { ...f, text: f.text.replace(/^ {2}cluster:\n {4}kubernetesVersion:.*\n/m, '').replace(/^ {2}tags:\n(?: {4}.*\n)+/m, '') } : f));
    const inputOf = async (over: { files?: typeof files; env?: Record<string, unknown>; overrides?: unknown[] }) =>
      JSON.stringify((await render({ files: over.files ?? unpinned, env: { now: new Date('2026-06-01'), KUBE_VERSION: 'v1.32.3', ...(over.env ?? {}) }, ...(over.overrides ? { overrides: over.overrides as never } : {}) })).input);
    const base = await inputOf({});
    const variants: Record<string, string> = {
      'intent bytes': await inputOf({ files: unpinned.map((f) => (f.path === 'mesh.yaml' ? { ...f, text: f.text.replace(/name: prod/, 'name: prod2') } : f)) }),
      KUBE_VERSION: await inputOf({ env: { KUBE_VERSION: 'v1.31.4' } }),
      '--kube-version flag': await inputOf({ env: { KUBE_VERSION: undefined, kubeVersionFlag: '1.31' } }),
      'Argo CD parameter override (ARGOCD_APP_PARAMETERS / PARAM_*)': await inputOf({ overrides: [{ path: ['spec', 'istio', 'revisions'], value: ['asm-1-30'], source: 'PARAM_ISTIO_REVISIONS' }] }),
    };
    for (const [name, input] of Object.entries(variants)) assert.notEqual(cacheKey('b', input, 'v'), cacheKey('b', base, 'v'), name);
  });
});

describe('JsonnetEngine with a disk cache', () => {
  function templates(body: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mp-tpl-'));
    writeFileSync(path.join(dir, 'main.jsonnet'), body);
    return dir;
  }

  it('answers a second process (a new engine) from disk, and re-evaluates when the templates change', async () => {
    const dir = scratch();
    const tpl = templates('function(input) [{ n: input.n * 2 }]');
    const first = new JsonnetEngine({ templatesDir: tpl, diskCache: openDiskCache(path.join(dir, 'c')) });
    assert.deepEqual(await first.render({ n: 2 }), [{ n: 4 }]);
    assert.equal(first.stats.diskHits, 0);
    const second = new JsonnetEngine({ templatesDir: tpl, diskCache: openDiskCache(path.join(dir, 'c')) });
    assert.deepEqual(await second.render({ n: 2 }), [{ n: 4 }]);
    assert.equal(second.stats.diskHits, 1);
    writeFileSync(path.join(tpl, 'main.jsonnet'), 'function(input) [{ n: input.n * 3 }]');
    const third = new JsonnetEngine({ templatesDir: tpl, diskCache: openDiskCache(path.join(dir, 'c')) });
    assert.deepEqual(await third.render({ n: 2 }), [{ n: 6 }]);
    assert.equal(third.stats.diskHits, 0);
  });

  it('renders normally over a corrupt entry and repairs it', async () => {
    const dir = path.join(scratch(), 'c');
    const tpl = templates('function(input) [{ n: input.n }]');
    await new JsonnetEngine({ templatesDir: tpl, diskCache: openDiskCache(dir) }).render({ n: 1 });
    const [entry] = readdirSync(dir);
    // A payload with a valid checksum that is not JSON, then one with a wrong checksum.
    for (const payload of [`${createHash('sha256').update('not json').digest('hex')}\nnot json`, 'junk']) {
      writeFileSync(path.join(dir, entry!), payload);
      const engine = new JsonnetEngine({ templatesDir: tpl, diskCache: openDiskCache(dir) });
      assert.deepEqual(await engine.render({ n: 1 }), [{ n: 1 }]);
      assert.equal(engine.stats.diskHits, 0);
    }
    const again = new JsonnetEngine({ templatesDir: tpl, diskCache: openDiskCache(dir) });
    await again.render({ n: 1 });
    assert.equal(again.stats.diskHits, 1);
  });
});
