/**
 * `kubectl kustomize` accepts the output of every example (issue 3 "Must show"): the stream
 * `generate` prints (rendered in-process through the same pipeline and emitter, to spare a CLI
 * start per example; test/golden pins the CLI output to the same bytes) is written into a folder
 * with a kustomization.yaml, and the objects kustomize builds are exactly the rendered ones,
 * unchanged.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../src/core/types.js';
import { resourceKey } from '../../src/core/resource-key.js';
import { emitYaml } from '../../src/pipeline/emit.js';
import { exampleNames, renderExample } from '../helpers/examples.js';

const run = promisify(execFile);

function parseStream(text: string): KubeObject[] {
  return parseAllDocuments(text).map((d) => {
    assert.deepEqual(d.errors, []);
    return d.toJS() as KubeObject;
  });
}

function byKey(objects: KubeObject[]): Map<string, KubeObject> {
  return new Map(objects.map((o) => [resourceKey(o), o]));
}

describe('kubectl kustomize accepts the rendered output', () => {
  for (const name of exampleNames()) {
    it(`examples/${name}`, async () => {
      const stream = emitYaml(await renderExample(name));
      const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-kustomize-'));
      try {
        await writeFile(path.join(dir, 'mesh.yaml'), stream);
        await writeFile(path.join(dir, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - mesh.yaml\n');
        const built = await run('kubectl', ['kustomize', dir], { maxBuffer: 64 * 1024 * 1024, timeout: 30_000 });
        const rendered = byKey(parseStream(stream));
        const output = byKey(parseStream(built.stdout));
        assert.ok(rendered.size > 0);
        assert.deepEqual([...output.keys()].sort(), [...rendered.keys()].sort(), 'kustomize keeps exactly the rendered objects');
        for (const [key, obj] of rendered) assert.deepEqual(output.get(key), obj, `${key} passes through kustomize unchanged`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});
