import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleTemplates, joinPath, nativeInputBundle } from './bundle.js';
import { loadJsonnet } from './addon.js';
import { startEvaluation } from './started-evaluation.js';
import { JsonnetEngine } from './template-engine.js';
import { packagePath } from '../core/paths.js';

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-bundle-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

describe('bundleTemplates', () => {
  it('inlines nested imports (relative, then from the root) and importstr as literals', async () => {
    const dir = await tree({
      'main.jsonnet': "local a = import 'a.libsonnet'; function(input) [a.f(input), importstr 'x/t.tmpl']",
      'a.libsonnet': "local b = import 'lib/b.libsonnet'; { f(x):: b.g(x) }",
      'lib/b.libsonnet': "local c = import 'c.libsonnet'; { g(x):: x.n + c }",
      'lib/c.libsonnet': '1',
      'x/t.tmpl': 'line "one"\n{{ .Values }}\\n\n',
    });
    const bundle = bundleTemplates(dir);
    assert.doesNotMatch(bundle, /\bimport(str)?\s+'/);
    assert.deepEqual(await new JsonnetEngine({ templatesDir: dir }).render({ n: 41 }), [42, 'line "one"\n{{ .Values }}\\n\n']);
  });
  it('resolves every spelling of a target as path.resolve does: ./, ../ inside the folder, doubled slashes', async () => {
    const dir = await tree({
      'main.jsonnet': "function(input) [import './a.libsonnet', import 'lib/../a.libsonnet', import 'lib//b.libsonnet', import 'lib/b.libsonnet']",
      'a.libsonnet': '1',
      'lib/b.libsonnet': '2',
    });
    const bundle = bundleTemplates(dir);
    // One local per file, whatever the spelling that reached it.
    assert.deepEqual(bundle.match(/^ {2}__mp_\w+ =/gm), ['  __mp_a_libsonnet =', '  __mp_lib_b_libsonnet =']);
    assert.deepEqual(await new JsonnetEngine({ templatesDir: dir }).render({}), [1, 1, 2, 2]);
  });
  it('resolves one target text per importing folder: lib/x from lib/ finds lib/lib/x when it exists, the root one otherwise', async () => {
    const files = {
      'main.jsonnet': "function(input) [import 'lib/x.libsonnet', import 'lib/y.libsonnet']",
      'lib/x.libsonnet': "'root lib/x'",
      'lib/y.libsonnet': "import 'lib/x.libsonnet'",
    };
    const plain = await tree(files);
    assert.deepEqual(await new JsonnetEngine({ templatesDir: plain }).render({}), ['root lib/x', 'root lib/x']);
    const nested = await tree({ ...files, 'lib/lib/x.libsonnet': "'nested lib/lib/x'" });
    assert.deepEqual(await new JsonnetEngine({ templatesDir: nested }).render({}), ['root lib/x', 'nested lib/lib/x']);
  });
  it('joinPath gives what path.resolve gives, for every kind of base and target', () => {
    const bases = ['/', '/t', '/t/lib', '/a b/é'];
    const targets = ['k.libsonnet', 'lib/k.libsonnet', './k', '../k', 'lib/../k', 'lib//k', 'lib/', '.', '..', '...', 'a..b', '..a', '.h', '/etc/x', 'a\\b', 'lib/./k'];
    for (const base of bases) for (const target of targets) assert.equal(joinPath(base, target), path.resolve(base, target), `${base} + ${target}`);
  });
  it('refuses an import outside the templates folder', async () => {
    const dir = await tree({ 'main.jsonnet': "import '../escape.libsonnet'" });
    await writeFile(path.join(path.dirname(dir), 'escape.libsonnet'), '1');
    assert.throws(() => bundleTemplates(dir), /cannot resolve import '\.\.\/escape\.libsonnet'/);
  });
  it('nativeInputBundle: the same templates asking for the input natively evaluate to the same value', async () => {
    const dir = await tree({ 'main.jsonnet': "local a = import 'a.libsonnet'; function(input) [a.f(input), input.s]", 'a.libsonnet': '{ f(x):: x.n + 1 }' });
    const bundle = bundleTemplates(dir);
    const started = startEvaluation(new (loadJsonnet())(), nativeInputBundle(bundle), `${dir}/bundle.jsonnet`);
    assert.ok(started);
    started.supply(JSON.stringify({ n: 41, s: 'x' }));
    assert.deepEqual(JSON.parse(await started.result), [42, 'x']);
    assert.deepEqual(await new JsonnetEngine({ templatesDir: dir }).render({ n: 41, s: 'x' }), [42, 'x']);
  });
  it('nativeInputBundle refuses a text bundleTemplates did not make', () => {
    assert.throws(() => nativeInputBundle('function(input) input'), /not a bundle made by bundleTemplates/);
  });
  it('bundles the shipped templates deterministically', () => {
    assert.equal(bundleTemplates(packagePath('templates')), bundleTemplates(packagePath('templates')));
  });
});
