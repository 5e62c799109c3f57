import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { MeshplaneError } from '../../core/errors.js';
import type { KubeObject } from '../../core/types.js';
import { OUTPUT_MARKER, outputFiles, writeOutputDir } from './output-dir.js';

const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } });

describe('outputFiles', () => {
  it('names files after resourceKey and lists them in order in a fifo kustomization.yaml', () => {
    const files = outputFiles([obj('v1', 'Namespace', 'shop'), obj('apps/v1', 'Deployment', 'web', 'shop')]);
    assert.deepEqual(files.map((f) => f.name), ['core_Namespace__cluster_shop.yaml', 'apps_Deployment_shop_web.yaml', 'kustomization.yaml']);
    const k = parse(files[2]?.text ?? '') as { kind: string; resources: string[]; sortOptions: { order: string } };
    assert.equal(k.kind, 'Kustomization');
    assert.deepEqual(k.resources, ['core_Namespace__cluster_shop.yaml', 'apps_Deployment_shop_web.yaml']);
    assert.equal(k.sortOptions.order, 'fifo');
    assert.ok(files[2]?.text.startsWith(OUTPUT_MARKER));
  });

  const names: Array<{ name: string; objects: KubeObject[]; want: string[] }> = [
    { name: 'unsafe characters', objects: [obj('v1', 'ConfigMap', 'a:b/c', 'n')], want: ['core_ConfigMap_n_a_b_c.yaml'] },
    { name: 'names that differ only by case', objects: [obj('x.io/v1', 'Foo', 'a'), obj('x.io/v1', 'foo', 'a')], want: ['x.io_Foo__cluster_a.yaml', 'x.io_foo__cluster_a-2.yaml'] },
  ];
  for (const c of names) {
    it(`gives safe, unique file names: ${c.name}`, () => {
      assert.deepEqual(outputFiles(c.objects).map((f) => f.name).slice(0, -1), c.want);
    });
  }
});

describe('writeOutputDir', () => {
  const files = outputFiles([obj('v1', 'Namespace', 'shop')]);

  it('creates the folder, then replaces its own earlier output whole', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'mp-out-'));
    try {
      const dir = path.join(tmp, 'out');
      await writeOutputDir(dir, outputFiles([obj('v1', 'Namespace', 'old')]), { force: false });
      await writeOutputDir(dir, files, { force: false });
      assert.deepEqual((await readdir(dir)).sort(), ['core_Namespace__cluster_shop.yaml', 'kustomization.yaml']);
      assert.deepEqual(await readdir(tmp), ['out'], 'no temporary or backup folder left behind');
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('refuses a folder it did not write, unless forced', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'mp-out-'));
    try {
      await writeFile(path.join(tmp, 'notes.txt'), 'keep');
      await assert.rejects(writeOutputDir(tmp, files, { force: false }), (e: unknown) => e instanceof MeshplaneError && /not written by meshplane/.test(e.message));
      assert.equal(await readFile(path.join(tmp, 'notes.txt'), 'utf8'), 'keep');
      await writeOutputDir(tmp, files, { force: true });
      assert.deepEqual((await readdir(tmp)).sort(), ['core_Namespace__cluster_shop.yaml', 'kustomization.yaml']);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
