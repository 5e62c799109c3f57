import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleTemplates } from './bundle.js';
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
  it('refuses an import outside the templates folder', async () => {
    const dir = await tree({ 'main.jsonnet': "import '../escape.libsonnet'" });
    await writeFile(path.join(path.dirname(dir), 'escape.libsonnet'), '1');
    assert.throws(() => bundleTemplates(dir), /cannot resolve import '\.\.\/escape\.libsonnet'/);
  });
  it('bundles the shipped templates deterministically', () => {
    assert.equal(bundleTemplates(packagePath('templates')), bundleTemplates(packagePath('templates')));
  });
});
