import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MeshplaneError } from '../core/errors.js';
import { readFileSync } from 'node:fs';
import { packagePath } from '../core/paths.js';
import { addonPackageDir, codeVersions, JsonnetEngine } from './template-engine.js';

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
    assert.deepEqual(engine.stats, { hits: 4, misses: 2, diskHits: 0 });
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
