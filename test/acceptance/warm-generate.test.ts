/**
 * What the Argo CD sidecar runs: `bin/meshplane generate` as a fresh process, through the
 * generate bundle (dist/src/bundle/generate.cjs) with its V8 code cache, and with the on-disk
 * render and output caches. Every way of running it must print the same bytes; the code cache
 * must only ever be used for the build it was made for.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { EXAMPLES_DIR } from '../helpers/examples.js';

const BUNDLE = path.join(REPO_ROOT, 'dist', 'src', 'bundle', 'generate.cjs');
const LOADER = path.join(REPO_ROOT, 'bin', 'load-bundle.cjs');
const CLIENT = path.join(REPO_ROOT, 'dist', 'src', 'bundle', 'client.cjs');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'mp-warm-'));
chmodSync(scratch, 0o700);
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The same clock everywhere, so runs on either side of midnight agree. */
const NOW = ['--now', '2026-12-02'];

describe('bin/meshplane generate: bundle, code cache, render and output caches', { timeout: 240_000 }, () => {
  for (const example of ['canary', 'single-revision']) {
    it(`examples/${example}: cold, first warm, second warm, unbundled and without code cache print the same`, async () => {
      const dir = path.join(EXAMPLES_DIR, example);
      const cacheDir = path.join(scratch, `cache-${example}`);
      const reference = await runCli(['generate', dir, ...NOW], { env: { MESHPLANE_RENDER_CACHE: 'off', MESHPLANE_BUNDLE: 'off' } });
      assert.equal(reference.code, 0, reference.stderr);
      const same = (name: string, r: { code: number | null; stdout: string; stderr: string }) => {
        assert.equal(r.code, 0, `${name}: ${r.stderr}`);
        assert.equal(r.stdout, reference.stdout, `${name}: same manifests`);
        assert.equal(r.stderr, reference.stderr, `${name}: same report`);
      };
      same('bundled, no caches', await runCli(['generate', dir, ...NOW], { env: { MESHPLANE_RENDER_CACHE: 'off' } }));
      same('bundled, no code cache', await runCli(['generate', dir, ...NOW], { env: { MESHPLANE_RENDER_CACHE: 'off', MESHPLANE_CODE_CACHE: 'off' } }));
      const env = { MESHPLANE_RENDER_CACHE_DIR: cacheDir, MESHPLANE_DEBUG: '1' };
      same('first run with the disk caches (stores)', await runCli(['generate', dir, ...NOW], { env: { MESHPLANE_RENDER_CACHE_DIR: cacheDir } }));
      // One evaluation in the folder; in its outputs/ folder one output and its rendered part.
      const entries = (d: string) => readdirSync(d).filter((n) => /^[0-9a-f]{64}$/.test(n)).sort();
      const evaluations = entries(cacheDir);
      const outputs = entries(path.join(cacheDir, 'outputs'));
      assert.equal(evaluations.length, 1, 'one evaluation');
      assert.equal(outputs.length, 2, 'one output and its rendered part');
      const whole = outputs.filter((n) => 'output' in (JSON.parse(readFileSync(path.join(cacheDir, 'outputs', n), 'utf8').slice(65)) as object));
      assert.equal(whole.length, 1, 'one of them is the whole output');
      const output = path.join(cacheDir, 'outputs', whole[0]!);
      let outputTime = statSync(output).mtimeMs;
      for (const name of ['second run', 'third run']) {
        const r = await runCli(['generate', dir, ...NOW], { env });
        const debug = r.stderr.split('\n').filter((l) => l.startsWith('debug: '));
        same(name, { ...r, stderr: r.stderr.split('\n').filter((l) => !l.startsWith('debug: ')).join('\n') });
        // A hit refreshes the entry it read (src/engine/disk-cache.ts): the output was read, the
        // evaluation was neither made nor read, and nothing new was stored.
        assert.ok(statSync(output).mtimeMs > outputTime, `${name}: the stored output was reused`);
        assert.ok(debug.includes('debug: engine: evaluations 0, from disk 0, adopted 0, prestarted 0, released 0'), `${name}: ${debug.join(' | ')}`);
        assert.deepEqual(entries(cacheDir), evaluations);
        assert.deepEqual(entries(path.join(cacheDir, 'outputs')), outputs);
        outputTime = statSync(output).mtimeMs;
      }
    });
  }

  it('a bundled generate, cold or warm, never loads node:fs/promises (it reads with the synchronous calls; the promise API costs ~2.5 ms to load) nor node:worker_threads (~1 ms; only a refused source asks it which thread it is on)', async () => {
    const dir = path.join(EXAMPLES_DIR, 'canary');
    const probe = path.join(scratch, 'modules-probe.cjs');
    const loaded = path.join(scratch, 'modules-loaded.json');
    writeFileSync(probe, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(process.moduleLoadList)));\n`);
    const cacheDir = path.join(scratch, 'cache-modules');
    for (const run of ['cold', 'warm', 'warm again']) {
      const r = await runCli(['generate', dir, ...NOW], { env: { MESHPLANE_RENDER_CACHE_DIR: cacheDir, MESHPLANE_DEBUG: '1', NODE_OPTIONS: `--require ${probe}` } });
      assert.equal(r.code, 0, `${run}: ${r.stderr}`);
      const modules = JSON.parse(readFileSync(loaded, 'utf8')) as string[];
      // The probe sees what this run loaded: the bundle and its code cache were used.
      assert.ok(modules.includes('NativeModule vm'), `${run}: the bundle was loaded through node:vm`);
      assert.deepEqual(modules.filter((m) => /fs\/promises|readline/.test(m)), [], `${run}: modules of the promise API`);
      assert.deepEqual(modules.filter((m) => /worker_threads|internal\/worker$/.test(m)), [], `${run}: node:worker_threads`);
    }
  });

  it('a bundled generate that refuses a source too large for its heap loads node:worker_threads only then, and gives the CLI\'s hint (NODE_OPTIONS), not the render worker\'s', async () => {
    // The lazy load is createRequire(import.meta.url) inside a CommonJS bundle whose import.meta.url
    // is the banner's file URL (scripts/bundle.mjs): this checks that path, not only dist/.
    const src = path.join(scratch, 'too-large');
    mkdirSync(src);
    copyFileSync(path.join(EXAMPLES_DIR, 'single-revision', 'mesh.yaml'), path.join(src, 'mesh.yaml'));
    writeFileSync(path.join(src, 'many.yaml'), Array.from({ length: 20_000 }, (_, i) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}, namespace: shop}\ndata: {a: b}\n`).join(''));
    const probe = path.join(scratch, 'modules-probe-refused.cjs');
    const loaded = path.join(scratch, 'modules-loaded-refused.json');
    writeFileSync(probe, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(process.moduleLoadList)));\n`);
    const r = await runCli(['generate', src, ...NOW], { env: { MESHPLANE_RENDER_CACHE: 'off', NODE_OPTIONS: `--require ${probe} --max-old-space-size=64` } });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error\[input-too-large\]/m);
    assert.match(r.stderr, /fix: split the source .*NODE_OPTIONS=--max-old-space-size=\d+/);
    assert.doesNotMatch(r.stderr, /error\[internal\]/);
    const modules = JSON.parse(readFileSync(loaded, 'utf8')) as string[];
    assert.ok(modules.includes('NativeModule vm'), 'the bundle was loaded through node:vm');
    assert.ok(modules.some((m) => /worker_threads/.test(m)), 'node:worker_threads was loaded to answer which thread this is');
  });

  it('the emitter is warmed up only while an evaluation runs: a generate the caches answer skips it (it cost ~10 ms of CPU there, and a stored output is not even emitted)', async () => {
    const dir = path.join(EXAMPLES_DIR, 'canary');
    const env = { MESHPLANE_RENDER_CACHE_DIR: path.join(scratch, 'cache-warm-up'), MESHPLANE_DEBUG: '1' };
    const warmUp = (stderr: string) => /^debug: emitter warm-up: (ran|skipped)$/m.exec(stderr)?.[1];
    const cold = await runCli(['generate', dir, ...NOW], { env });
    assert.equal(cold.code, 0, cold.stderr);
    assert.equal(warmUp(cold.stderr), 'ran', cold.stderr);
    const warm = await runCli(['generate', dir, ...NOW], { env });
    assert.equal(warm.code, 0, warm.stderr);
    assert.match(warm.stderr, /^debug: engine: evaluations 0, from disk 0,/m);
    assert.equal(warmUp(warm.stderr), 'skipped', warm.stderr);
    assert.equal(warm.stdout, cold.stdout);
  });

  it('a forbidden resource added after a warm run fails the sync: the stored output is keyed by every source file', async () => {
    const src = path.join(scratch, 'src');
    mkdirSync(src);
    copyFileSync(path.join(EXAMPLES_DIR, 'single-revision', 'mesh.yaml'), path.join(src, 'mesh.yaml'));
    const env = { MESHPLANE_RENDER_CACHE_DIR: path.join(scratch, 'cache-forbidden') };
    const warm = await runCli(['generate', src, ...NOW], { env });
    assert.equal(warm.code, 0, warm.stderr);
    writeFileSync(path.join(src, 'filter.yaml'), 'apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: tweak\n  namespace: shop\nspec: {}\n');
    const r = await runCli(['generate', src, ...NOW], { env });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /error\[forbidden-kind\] filter\.yaml:1:1: networking\.istio\.io\/EnvoyFilter\/shop\/tweak/);
  });
});

/** What a probe runs after loading: one generate of examples/single-revision (exit 3 unless it succeeds). */
const GENERATE = `l.exports.main(['generate', ${JSON.stringify(path.join(EXAMPLES_DIR, 'single-revision'))}, '--now', '2026-12-02']).then((c) => { if (c !== 0) process.exitCode = 3; })`;

/** Loads the bundle in a fresh node (the code cache is only valid under the flags a plain node runs with) and reports. */
function probe(bundle: string, script: string): { cacheUsed: boolean; id: string | null; out: string } {
  const code = `const l = require(${JSON.stringify(LOADER)}).loadBundle(${JSON.stringify(bundle)}); process.stderr.write('PROBE ' + JSON.stringify({ cacheUsed: l.cacheUsed, id: l.id ?? null }) + '\\n'); ${script};`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, r.stderr);
  const line = /^PROBE (.*)$/m.exec(r.stderr);
  assert.ok(line, r.stderr);
  const { cacheUsed, id } = JSON.parse(line[1]!) as { cacheUsed: boolean; id: string | null };
  return { cacheUsed, id, out: r.stdout };
}

describe('bin/load-bundle.cjs: the V8 code cache is used for its own build only', () => {
  /**
   * A copy of the shipped bundle and cache in a package of its own under the temporary folder
   * (at dist/src/bundle/, so the bundle finds its package root the same way), whose other parts
   * link to the checkout's. Not inside the checkout: the pack and runtime-tree tests, which may
   * run meanwhile, read dist/.
   */
  function copy(name: string, from = BUNDLE): { bundle: string; cache: string } {
    const pkg = path.join(scratch, `pkg-${name}`);
    mkdirSync(path.join(pkg, 'dist', 'src', 'bundle'), { recursive: true });
    for (const part of ['package.json', 'templates', 'catalog', 'schemas', 'node_modules', path.join('dist', 'schemas'), path.join('dist', 'build-info.json')]) {
      symlinkSync(path.join(REPO_ROOT, part), path.join(pkg, part));
    }
    const bundle = path.join(pkg, 'dist', 'src', 'bundle', path.basename(from));
    copyFileSync(from, bundle);
    copyFileSync(`${from}.v8`, `${bundle}.v8`);
    return { bundle, cache: `${bundle}.v8` };
  }

  it('the shipped cache is accepted by this Node for the shipped bundle', () => {
    const r = probe(BUNDLE, '');
    assert.equal(r.cacheUsed, true);
    assert.match(r.id ?? '', /^[0-9a-f]{64}$/);
  });

  it('an unchanged copy in another package uses the cache (so the refusals below are the edits\' doing)', () => {
    const { bundle } = copy('unchanged');
    const r = probe(bundle, GENERATE);
    assert.equal(r.cacheUsed, true);
    assert.match(r.out, /kind: Deployment/);
  });

  it('a bundle of another build (same length, other build line) ignores the cache and still runs', () => {
    const { bundle } = copy('other-build');
    const text = readFileSync(bundle, 'utf8');
    const line = /^\/\/ meshplane-bundle ([0-9a-f]{64})\n/.exec(text);
    assert.ok(line, 'the bundle starts with its build line');
    const otherId = line[1]!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    writeFileSync(bundle, text.replace(line[1]!, otherId));
    assert.equal(readFileSync(bundle).length, readFileSync(BUNDLE).length, 'same length: V8 alone would accept the cache');
    const r = probe(bundle, GENERATE);
    assert.equal(r.cacheUsed, false);
    assert.match(r.out, /kind: Deployment/);
  });

  it('a bundle edited in place (same build line, same length) runs its own text: no code cache, no build id', () => {
    const { bundle } = copy('edited');
    const text = readFileSync(bundle, 'utf8');
    // One constant of decorate (the managed-by label every rendered object carries), same length.
    const edited = text.replace('MANAGED_BY="meshplane"', 'MANAGED_BY="meshplanX"');
    assert.notEqual(edited, text, 'the bundle holds the constant');
    writeFileSync(bundle, edited);
    assert.equal(readFileSync(bundle).length, readFileSync(BUNDLE).length, 'same length: V8 alone would accept the cache');
    const r = probe(bundle, GENERATE);
    assert.equal(r.cacheUsed, false);
    assert.equal(r.id, null, 'no build id: the output cache, keyed by it, is off');
    assert.match(r.out, /app\.kubernetes\.io\/managed-by: meshplanX/, 'the edited text ran, not the bytecode cached for the shipped one');
    assert.doesNotMatch(r.out, /app\.kubernetes\.io\/managed-by: meshplane$/m);
  });

  it('a cache with the right build id but damaged data is not used (V8 would crash on it), and the bundle still runs', () => {
    const { bundle, cache } = copy('damaged');
    const data = readFileSync(cache);
    const header = data.indexOf(0x0a) + 1;
    assert.match(data.subarray(0, header).toString('latin1'), /^meshplane-code-cache [0-9a-f]{64} [0-9a-f]{64}\n$/);
    for (let i = header + 64; i < data.length; i += 97) data[i] = (data[i] ?? 0) ^ 0xff;
    writeFileSync(cache, data);
    const r = probe(bundle, GENERATE);
    assert.equal(r.cacheUsed, false);
    assert.match(r.out, /kind: Deployment/);
  });

  describe('the client bundle (client.cjs): its cache is used for its own bytes only, checked with CRC-32 (no node:crypto)', () => {
    /** Loads a client bundle in a fresh node; whether its cache was used, and whether it holds the client. */
    const clientProbe = (bundle: string): { cacheUsed: boolean; main: string } => {
      const code = `const l = require(${JSON.stringify(LOADER)}).loadClientBundle(${JSON.stringify(bundle)}); process.stderr.write('PROBE ' + JSON.stringify({ cacheUsed: l.cacheUsed, main: typeof l.exports.clientMain, crypto: process.moduleLoadList.includes('NativeModule crypto') }) + '\\n');`;
      // A script file, not `node -e`: eval mode loads node:crypto itself.
      const script = path.join(scratch, 'client-probe.cjs');
      writeFileSync(script, code);
      const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
      assert.equal(r.status, 0, r.stderr);
      const line = /^PROBE (.*)$/m.exec(r.stderr);
      assert.ok(line, r.stderr);
      const { crypto, ...seen } = JSON.parse(line[1]!) as { cacheUsed: boolean; main: string; crypto: boolean };
      assert.equal(crypto, false, 'node:crypto is not loaded to check the client cache');
      return seen;
    };

    it('the shipped cache is accepted, and so is an unchanged copy in another package', () => {
      assert.deepEqual(clientProbe(CLIENT), { cacheUsed: true, main: 'function' });
      assert.deepEqual(clientProbe(copy('client-unchanged', CLIENT).bundle), { cacheUsed: true, main: 'function' });
    });

    it('a client bundle edited in place (same length) compiles its own text', () => {
      const { bundle } = copy('client-edited', CLIENT);
      const text = readFileSync(bundle, 'utf8');
      const edited = text.replace('RENDER_PATH="v1/render"', 'RENDER_PATH="v1/rendeX"');
      assert.notEqual(edited, text, 'the bundle holds the constant');
      writeFileSync(bundle, edited);
      assert.equal(readFileSync(bundle).length, readFileSync(CLIENT).length, 'same length: V8 alone would accept the cache');
      assert.deepEqual(clientProbe(bundle), { cacheUsed: false, main: 'function' });
    });

    it('damaged data, a header of other bytes, or the generate bundle\'s cache is not used, and the client still loads', () => {
      const damaged = copy('client-damaged', CLIENT);
      const data = readFileSync(damaged.cache);
      const header = data.indexOf(0x0a) + 1;
      assert.match(data.subarray(0, header).toString('latin1'), /^meshplane-client-cache \d+ [0-9a-f]{1,8} [0-9a-f]{1,8}\n$/);
      for (let i = header + 64; i < data.length; i += 97) data[i] = (data[i] ?? 0) ^ 0xff;
      writeFileSync(damaged.cache, data);
      assert.deepEqual(clientProbe(damaged.bundle), { cacheUsed: false, main: 'function' });
      const other = copy('client-other-header', CLIENT);
      const good = readFileSync(other.cache);
      const end = good.indexOf(0x0a);
      writeFileSync(other.cache, Buffer.concat([Buffer.from(good.subarray(0, end).toString('latin1').replace(/ (\d+) /, (_m, n: string) => ` ${Number(n) + 1} `)), good.subarray(end)]));
      assert.deepEqual(clientProbe(other.bundle), { cacheUsed: false, main: 'function' });
      const foreign = copy('client-foreign', CLIENT);
      copyFileSync(`${BUNDLE}.v8`, foreign.cache);
      assert.deepEqual(clientProbe(foreign.bundle), { cacheUsed: false, main: 'function' });
    });
  });

  it('no bundle names the folder it was built in: the same commit builds the same bundle bytes, and so the same build id, in any checkout', () => {
    const files = ['generate.cjs', 'client.cjs', 'start-ahead.cjs', 'templates.jsonnet'].map((f) => path.join(REPO_ROOT, 'dist', 'src', 'bundle', f));
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      assert.ok(text.length > 1000, `${file} is built`);
      assert.equal(text.includes(REPO_ROOT), false, `${path.basename(file)} holds the checkout path ${REPO_ROOT}`);
    }
    // The client's left-out modules keep a name, relative to the package, so a stack trace still says which one.
    assert.match(readFileSync(files[1], 'utf8'), /"left-out:dist\/src\/engine\/[a-z-]+\.js"/);
  });

  it('the bundle holds generate only: another command fails loudly instead of running something else', () => {
    const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(LOADER)}).loadBundle(${JSON.stringify(BUNDLE)}).exports.main(['version']).then((c) => { process.exitCode = c; })`], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /version\.js is not in the generate bundle/);
  });
});
