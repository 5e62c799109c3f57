/**
 * Acceptance: `bin/meshplane generate` on the shipped examples and on broken intents, as a user
 * (or Argo CD) runs it. Issue 2's "Must show" points.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, mkdir, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { resourceKey } from '../../src/core/resource-key.js';
import type { KubeObject } from '../../src/core/types.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { controlPlaneOf } from '../helpers/control-plane.js';

type Obj = KubeObject & { metadata: { name: string; namespace?: string; labels?: Record<string, string> } };

function parseStream(text: string): Obj[] {
  return parseAllDocuments(text).map((d) => {
    assert.equal(d.errors.length, 0);
    return d.toJS() as Obj;
  });
}

const canary = path.join(REPO_ROOT, 'examples', 'canary');

describe('generate examples/canary', () => {
  it('prints only Kubernetes objects, with both revisions\' complete istiod sets', async () => {
    const r = await runCli(['generate', canary]);
    assert.equal(r.code, 0, r.stderr);
    const objects = parseStream(r.stdout);
    for (const o of objects) {
      assert.equal(typeof o.apiVersion, 'string');
      assert.equal(typeof o.kind, 'string');
      assert.ok(o.metadata?.name, JSON.stringify(o).slice(0, 200));
    }
    const keys = objects.map((o) => resourceKey(o));
    assert.equal(new Set(keys).size, keys.length, 'no two objects share an identity');
    for (const rev of ['asm-1-29', 'asm-1-30']) {
      for (const [kind, name] of controlPlaneOf(rev)) {
        const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
        assert.ok(o, `${kind}/${name} is rendered`);
        assert.equal(o.metadata.labels?.['istio.io/rev'], rev, `${kind}/${name} carries istio.io/rev`);
        assert.equal(o.metadata.labels?.['app.kubernetes.io/managed-by'], 'meshplane');
        assert.equal(o.metadata.labels?.['meshplane.io/mesh'], 'prod');
      }
    }
    const validator = objects.find((x) => x.metadata.name === 'istiod-default-validator');
    assert.equal(validator?.metadata.labels?.['istio.io/rev'], 'asm-1-30', 'the default validator points at the highest revision');
    assert.ok(objects.some((x) => x.kind === 'MutatingWebhookConfiguration' && x.metadata.name === 'istio-revision-tag-prod-stable-aks-istio-system'));
    assert.ok(objects.some((x) => x.kind === 'Namespace' && x.metadata.name === 'shop'), 'the source\'s own manifests are emitted too');
  });

  it('is byte-identical across runs, file renames, reordering, TZ and locale', async () => {
    const first = await runCli(['generate', canary]);
    const second = await runCli(['generate', canary], { env: { TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' } });
    assert.equal(second.stdout, first.stdout);
    const moved = await mkdtemp(path.join(os.tmpdir(), 'mp-gen-'));
    await cp(canary, moved, { recursive: true });
    await rename(path.join(moved, 'mesh.yaml'), path.join(moved, 'zz-intent.yaml'));
    await mkdir(path.join(moved, 'a'), { recursive: true });
    await rename(path.join(moved, 'apps'), path.join(moved, 'a', 'moved-apps'));
    const third = await runCli(['generate', moved]);
    assert.equal(third.code, 0, third.stderr);
    assert.equal(third.stdout, first.stdout);
  });
});

describe('generate with a broken intent', () => {
  const cases: Array<{ name: string; text: string; line: number; match: RegExp }> = [
    { name: 'malformed YAML', text: 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: x\nspec: {}\n', line: 4, match: /not valid YAML/ },
    { name: 'schema-invalid intent', text: 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: x}\nspec:\n  mode: Istio\n  istio:\n    revisions: [asm-1-28]\n    revison: 1\n', line: 8, match: /unknown field "revison" \(did you mean "revisions"\?\)/ },
    { name: 'duplicate key', text: 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nkind: ServiceMesh\n', line: 3, match: /not valid YAML/ },
  ];
  for (const c of cases) {
    it(`${c.name}: exit 2, nothing on stdout, file:line on stderr`, async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-bad-'));
      await writeFile(path.join(dir, 'mesh.yaml'), c.text);
      const r = await runCli(['generate', dir, '--kube-version', '1.32']);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, new RegExp(`mesh\\.yaml:${c.line}:\\d+`));
      assert.match(r.stderr, c.match);
      assert.match(r.stderr, /fix:/);
    });
  }

  it('exits 2 when no Kubernetes version is known, saying how to give one', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-bad-'));
    await writeFile(path.join(dir, 'mesh.yaml'), 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: x}\nspec:\n  mode: Istio\n  istio: {revisions: [asm-1-28]}\n');
    const r = await runCli(['generate', dir], { env: { KUBE_VERSION: undefined } });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /--kube-version/);
  });

  it('exits 2 on an unknown command or flag', async () => {
    for (const args of [['frobnicate'], ['generate', '--no-such-flag']]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stdout, '');
    }
  });
});
