/**
 * Acceptance: `meshplane generate --output-dir` (the Flux artifact flow, docs/flux.md). The
 * folder must build with the real `kubectl kustomize` (the kustomize library Flux's
 * kustomize-controller embeds) into exactly the objects `generate` prints.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { resourceKey } from '../../src/core/resource-key.js';
import type { KubeObject } from '../../src/core/types.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const SOURCE = path.join(REPO_ROOT, 'test', 'cases', 'diff', 'canary');
const ENV = { KUBE_VERSION: undefined };
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

function byKey(text: string): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (const d of parseAllDocuments(text)) {
    const obj = d.toJS() as KubeObject;
    assert.ok(!map.has(resourceKey(obj)), `${resourceKey(obj)} twice`);
    map.set(resourceKey(obj), obj);
  }
  return map;
}

describe('generate --output-dir', () => {
  it('builds with kubectl kustomize into the same set of objects as the generate stream, in the same order', { skip: hasKubectl ? false : 'kubectl is not installed' }, async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'mp-flux-'));
    try {
      const out = path.join(tmp, 'out');
      const written = await runCli(['generate', SOURCE, '--output-dir', out], { env: ENV });
      assert.equal(written.code, 0, written.stderr);
      assert.equal(written.stdout, '', 'nothing on stdout: the folder is the output');
      const stream = await runCli(['generate', SOURCE], { env: ENV });
      const built = execFileSync('kubectl', ['kustomize', out], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      const want = byKey(stream.stdout);
      const got = byKey(built);
      assert.deepEqual([...got.keys()], [...want.keys()], 'same objects, same order (sortOptions: fifo)');
      for (const [key, obj] of want) assert.deepEqual(got.get(key), obj, key);
      const files = await readdir(out);
      assert.equal(files.length, want.size + 1, 'one file per object + kustomization.yaml');
      assert.ok(files.includes('apps_Deployment_aks-istio-system_istiod-asm-1-28.yaml'));
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('replaces its own earlier output (no stale file survives) but refuses a foreign folder unless --force', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'mp-flux-'));
    try {
      const out = path.join(tmp, 'out');
      const first = await runCli(['generate', SOURCE, '--output-dir', out], { env: ENV });
      assert.equal(first.code, 0, first.stderr);
      await writeFile(path.join(out, 'core_ConfigMap_x_stale.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stale, namespace: x}\n');
      const again = await runCli(['generate', SOURCE, '--output-dir', out], { env: ENV });
      assert.equal(again.code, 0, again.stderr);
      assert.ok(!existsSync(path.join(out, 'core_ConfigMap_x_stale.yaml')), 'the stale object file is gone');
      const kustomization = parse(await readFile(path.join(out, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
      assert.equal(kustomization.resources.length, (await readdir(out)).length - 1);

      const foreign = path.join(tmp, 'foreign');
      await mkdir(foreign);
      await writeFile(path.join(foreign, 'README.md'), 'mine\n');
      const refused = await runCli(['generate', SOURCE, '--output-dir', foreign], { env: ENV });
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /not empty and was not written by meshplane[\s\S]*fix: .*--force/);
      assert.deepEqual(await readdir(foreign), ['README.md'], 'left untouched');
      const forced = await runCli(['generate', SOURCE, '--output-dir', foreign, '--force'], { env: ENV });
      assert.equal(forced.code, 0, forced.stderr);
      assert.ok(!existsSync(path.join(foreign, 'README.md')));
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('writes nothing and exits non-zero when the render fails', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'mp-flux-'));
    try {
      await writeFile(path.join(tmp, 'mesh.yaml'), 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: x}\nspec: {mode: Istio, istio: {revisions: [asm-1-28]}, bogus: 1}\n');
      const out = path.join(tmp, 'out');
      const r = await runCli(['generate', tmp, '--output-dir', out, '--kube-version', '1.32'], { env: ENV });
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.ok(!existsSync(out), 'no folder was created');
      assert.deepEqual((await readdir(tmp)).sort(), ['mesh.yaml'], 'no temporary folder left behind');
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});

describe('deploy/flux', () => {
  it('builds with kubectl kustomize into an OCIRepository and a pruning, health-checking Kustomization', { skip: hasKubectl ? false : 'kubectl is not installed' }, () => {
    const built = execFileSync('kubectl', ['kustomize', path.join(REPO_ROOT, 'deploy', 'flux')], { encoding: 'utf8' });
    const docs = parseAllDocuments(built).map((d) => d.toJS() as KubeObject & { spec: Record<string, unknown> });
    const oci = docs.find((d) => d.kind === 'OCIRepository');
    const ks = docs.find((d) => d.kind === 'Kustomization');
    assert.equal(oci?.apiVersion, 'source.toolkit.fluxcd.io/v1');
    assert.equal(ks?.apiVersion, 'kustomize.toolkit.fluxcd.io/v1');
    assert.deepEqual(ks?.spec.sourceRef, { kind: 'OCIRepository', name: oci?.metadata?.name });
    assert.equal(ks?.spec.prune, true);
    // Health checks follow the artifact (every applied object), never a hand-pinned revision list.
    assert.equal(ks?.spec.wait, true);
    assert.equal(ks?.spec.healthChecks, undefined);
  });
});
