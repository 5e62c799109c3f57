import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { openDiskCache } from './disk-cache.js';
import os from 'node:os';
import path from 'node:path';
import { MeshplaneError } from '../core/errors.js';
import { readFileSync } from 'node:fs';
import { packagePath } from '../core/paths.js';
import { addonPackageDir, codeVersions, evaluationsInFlight, JsonnetEngine } from './template-engine.js';
import { loadJsonnet } from './addon.js';
import { bundleTemplates, nativeInputBundle } from './bundle.js';
import { startEvaluation } from './started-evaluation.js';

async function templates(main: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-tpl-'));
  await writeFile(path.join(dir, 'main.jsonnet'), main);
  await writeFile(path.join(dir, 'lib.libsonnet'), '{ double(x):: x * 2 }');
  return dir;
}

describe('JsonnetEngine', () => {
  it('evaluates main.jsonnet with the input as a top-level argument', async () => {
    const engine = new JsonnetEngine({ templatesDir: await templates("local lib = import 'lib.libsonnet'; function(input) [{ n: lib.double(input.n) }]") });
    assert.deepEqual(await engine.render({ n: 21 }), [{ n: 42 }]);
  });
  it('evaluates once per distinct input (content-hash cache)', async () => {
    const dir = await templates('function(input) [{ n: input.n }]');
    const engine = new JsonnetEngine({ templatesDir: dir });
    for (let i = 0; i < 5; i++) await engine.render({ n: 1 });
    await engine.render({ n: 2 });
    assert.deepEqual(engine.stats, { hits: 4, misses: 2, diskHits: 0, stored: 0, prestarted: 0, adopted: 0, released: 0 });
  });
  it('returns a fresh copy each time (callers may mutate it)', async () => {
    const engine = new JsonnetEngine({ templatesDir: await templates('function(input) [{ n: 1 }]') });
    const a = (await engine.render({})) as Array<{ n: number }>;
    a[0]!.n = 99;
    assert.deepEqual(await engine.render({}), [{ n: 1 }]);
  });
  it('turns an evaluation failure into a template-failed error', async () => {
    const engine = new JsonnetEngine({ templatesDir: await templates("function(input) error 'boom'") });
    await assert.rejects(engine.render({}), (e: unknown) => e instanceof MeshplaneError && e.code === 'template-failed' && /boom/.test(e.details[0]?.message ?? ''));
  });
  it('bounds the cache', async () => {
    const engine = new JsonnetEngine({ templatesDir: await templates('function(input) [input]'), cacheEntries: 2 });
    for (let i = 0; i < 5; i++) assert.deepEqual(await engine.render({ i }), [{ i }]);
  });
});

describe('JsonnetEngine: an evaluation started ahead', () => {
  const MAIN = "local lib = import 'lib.libsonnet'; function(input) [{ n: lib.double(input.n) }]";
  /** An evaluation of `dir`'s templates started the way the CLI's start-ahead step starts it. */
  const startedFor = (dir: string, text = nativeInputBundle(bundleTemplates(dir))) => {
    const started = startEvaluation(new (loadJsonnet())(), text, `${dir}/bundle.jsonnet`);
    assert.ok(started);
    return started;
  };

  it('prestart: the next render supplies the input; same value, one evaluation', async () => {
    const engine = new JsonnetEngine({ templatesDir: await templates(MAIN) });
    assert.equal(engine.prestart(), true);
    assert.equal(engine.prestart(), false, 'one at a time');
    let running = 0;
    assert.deepEqual(await engine.render({ n: 21 }, () => running++), [{ n: 42 }]);
    assert.equal(running, 1, 'running is called once the evaluation has its input');
    engine.release();
    assert.deepEqual(engine.stats, { hits: 0, misses: 1, diskHits: 0, stored: 0, prestarted: 1, adopted: 0, released: 0 });
    assert.deepEqual(await engine.render({ n: 2 }), [{ n: 4 }], 'the next render evaluates as usual');
    assert.equal(evaluationsInFlight(), 0);
  });

  it('release: an unused evaluation is refused and ends; nothing is left running', async () => {
    const engine = new JsonnetEngine({ templatesDir: await templates(MAIN) });
    engine.prestart();
    engine.release();
    engine.release();
    assert.equal(engine.stats.released, 1);
    const deadline = Date.now() + 30_000;
    while (evaluationsInFlight() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(evaluationsInFlight(), 0, 'the refused evaluation ended');
  });

  it('a render the memory cache answers releases the evaluation started ahead', async () => {
    const engine = new JsonnetEngine({ templatesDir: await templates(MAIN) });
    await engine.render({ n: 1 });
    engine.prestart();
    let running = 0;
    assert.deepEqual(await engine.render({ n: 1 }, () => running++), [{ n: 2 }]);
    assert.equal(running, 0, 'nothing evaluated: running is not called');
    assert.equal(engine.stats.released, 1);
  });

  it('adopt: an evaluation of the same templates is used', async () => {
    const dir = await templates(MAIN);
    const engine = new JsonnetEngine({ templatesDir: dir });
    engine.adopt(startedFor(dir));
    assert.equal(engine.prestart(), false, 'an adopted evaluation is the one waiting');
    assert.deepEqual(await engine.render({ n: 5 }), [{ n: 10 }]);
    assert.deepEqual(engine.stats, { hits: 0, misses: 1, diskHits: 0, stored: 0, prestarted: 0, adopted: 1, released: 0 });
  });

  // The start-ahead step evaluates the templates bundled at build time; an edit after the build
  // (another text) or another templates folder (another file name in errors) must not be used.
  it('adopt: an evaluation of other templates (edited after the build) runs unused; the render evaluates its own', async () => {
    const dir = await templates(MAIN);
    const engine = new JsonnetEngine({ templatesDir: dir });
    const started = startedFor(dir, nativeInputBundle(bundleTemplates(dir)).replace('lib.double(input.n)', 'lib.double(input.n) + 1'));
    engine.adopt(started);
    assert.deepEqual(await engine.render({ n: 5 }), [{ n: 10 }]);
    assert.deepEqual(JSON.parse(await started.result), [{ n: 11 }], 'it ran, with the input, but its value was not taken');
    assert.deepEqual({ adopted: engine.stats.adopted, released: engine.stats.released, evaluations: engine.stats.misses }, { adopted: 1, released: 1, evaluations: 1 });
  });
  it('adopt: an evaluation of another templates folder is refused at once', async () => {
    const dir = await templates(MAIN);
    const engine = new JsonnetEngine({ templatesDir: dir });
    const started = startedFor(`${dir}-elsewhere`, nativeInputBundle(bundleTemplates(dir)));
    const before = evaluationsInFlight();
    engine.adopt(started);
    // Counted until it ends: bin/meshplane exits at once only when nothing runs on the addon's
    // thread, and process.exit() under an evaluation that has not ended never returns.
    assert.equal(evaluationsInFlight(), before + 1, 'the refused evaluation is still in flight');
    await assert.rejects(started.result, /not needed/);
    assert.equal(engine.stats.adopted, 0);
    assert.deepEqual(await engine.render({ n: 5 }), [{ n: 10 }]);
  });

  it('adopt while one is waiting refuses the newcomer', async () => {
    const dir = await templates(MAIN);
    const engine = new JsonnetEngine({ templatesDir: dir });
    engine.prestart();
    const late = startedFor(dir);
    engine.adopt(late);
    await assert.rejects(late.result, /not needed/);
    assert.deepEqual(await engine.render({ n: 3 }), [{ n: 6 }]);
  });

  it('a template error through an evaluation started ahead is a template-failed error', async () => {
    const engine = new JsonnetEngine({ templatesDir: await templates("function(input) error 'boom'") });
    engine.prestart();
    await assert.rejects(engine.render({}), (e: unknown) => e instanceof MeshplaneError && e.code === 'template-failed' && /boom/.test(e.details[0]?.message ?? ''));
  });
});

describe('JsonnetEngine.evaluationsStored', () => {
  it('without an on-disk cache: never; with one: once every evaluation made is on it', async () => {
    const dir = await templates('function(input) [input]');
    assert.equal(new JsonnetEngine({ templatesDir: dir }).evaluationsStored(), false);
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'mp-stored-'));
    await chmod(cacheDir, 0o700);
    const disk = openDiskCache(path.join(cacheDir, 'c'));
    assert.ok(disk);
    const engine = new JsonnetEngine({ templatesDir: dir, diskCache: disk });
    assert.equal(engine.evaluationsStored(), true, 'none made');
    await engine.render({ n: 1 });
    assert.equal(engine.evaluationsStored(), true);
    assert.equal(engine.stats.stored, 1);
    // The folder is gone (removed by a cleaner): the next evaluation is made but cannot be stored.
    await rm(path.join(cacheDir, 'c'), { recursive: true });
    await engine.render({ n: 2 });
    assert.equal(engine.evaluationsStored(), false);
  });
});

describe('the jsonnet addon', () => {
  // The oracle: what npm installed, as package-lock.json records it (not the addon's own files).
  const lock = JSON.parse(readFileSync(packagePath('package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const installed = lock.packages['node_modules/@hanazuki/node-jsonnet']?.version;
  it('is found although its exports map hides package.json', () => {
    const dir = addonPackageDir();
    assert.ok(dir !== undefined);
    assert.equal(path.basename(dir), 'node-jsonnet');
  });
  it('puts its installed version into the cache key material (a new libjsonnet may evaluate differently)', () => {
    assert.ok(installed, 'package-lock.json names the addon');
    assert.equal(codeVersions().split('/')[1], installed);
  });
});
