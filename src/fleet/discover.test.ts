import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MeshplaneError } from '../core/errors.js';
import { clusterName, discoverFleet, FLEET_MAX_DEPTH, holdsIntent } from './discover.js';

const INTENT = 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: m}\nspec: {mode: Istio, istio: {revisions: [asm-1-30]}}\n';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'meshplane-fleet-discover-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('holdsIntent', () => {
  const cases: Array<[string, string, boolean]> = [
    ['block style', INTENT, true],
    ['quoted kind with a comment', 'apiVersion: meshplane.io/v1alpha1\n"kind": "ServiceMesh"   # the intent\n', true],
    ['JSON', '{"apiVersion":"meshplane.io/v1alpha1","kind":"ServiceMesh"}', true],
    ['flow style', '{apiVersion: meshplane.io/v1alpha1, kind: ServiceMesh, metadata: {name: m}}', true],
    ['a CRD naming the kind (indented)', 'kind: CustomResourceDefinition\nspec:\n  names:\n    kind: ServiceMesh\n', false],
    ['another kind with the same prefix', 'kind: ServiceMeshPolicy\n', false],
    ['a comment', '# kind: ServiceMesh\nkind: ConfigMap\n', false],
    ['no intent', 'kind: Namespace\n', false],
  ];
  for (const [name, text, want] of cases) it(name, () => assert.equal(holdsIntent(text), want));
});

describe('clusterName', () => {
  const cases: Array<[string, string]> = [
    ['', '.'],
    ['clusters/alpha/mesh', 'clusters/alpha'],
    ['alpha/mesh', 'alpha'],
    ['mesh', 'mesh'],
    ['clusters/beta', 'clusters/beta'],
    ['clusters/mesh/gamma', 'clusters/mesh/gamma'],
  ];
  for (const [folder, want] of cases) it(`${folder || '(root)'} → ${want}`, () => assert.equal(clusterName(folder), want));
});

describe('discoverFleet', () => {
  it('finds one cluster per intent folder, in both layouts, with its own files and the nearest kubernetes-version', async () => {
    const root = tree({
      'alpha/mesh/mesh.yaml': INTENT,
      'alpha/mesh/apps/ns.yaml': 'kind: Namespace\n',
      'alpha/kubernetes-version': ' 1.32\n',
      'beta/mesh.yaml': INTENT,
      'beta/kubernetes-version': '1.33',
      'gamma/mesh.yaml': INTENT,
      'README.yaml': 'kind: ConfigMap\n',
    });
    try {
      const fleet = await discoverFleet(root);
      assert.deepEqual(fleet.clusters.map((c) => [c.cluster, c.folder, c.files.map((f) => f.path), c.kubernetesVersionFile]), [
        ['alpha', 'alpha/mesh', ['apps/ns.yaml', 'mesh.yaml'], { path: 'alpha/kubernetes-version', version: '1.32' }],
        ['beta', 'beta', ['mesh.yaml'], { path: 'beta/kubernetes-version', version: '1.33' }],
        ['gamma', 'gamma', ['mesh.yaml'], undefined],
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('skips symlinks (never followed), lists them, and gives each cluster the ones inside it', async () => {
    const outside = tree({ 'secret.yaml': INTENT });
    const root = tree({ 'alpha/mesh.yaml': INTENT, 'beta/mesh.yaml': INTENT });
    try {
      symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'alpha', 'linked.yaml'));
      symlinkSync(outside, path.join(root, 'elsewhere'));
      const fleet = await discoverFleet(root);
      assert.deepEqual(fleet.symlinks, ['alpha/linked.yaml', 'elsewhere']);
      assert.deepEqual(fleet.clusters.map((c) => [c.cluster, c.symlinks]), [['alpha', ['alpha/linked.yaml']], ['beta', []]]);
      assert.ok(fleet.clusters.every((c) => c.files.every((f) => !f.path.includes('secret'))), 'nothing is read through a link');
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('gives an outer cluster the files of a cluster nested inside it (as an Application of that folder would)', async () => {
    const root = tree({ 'mesh.yaml': INTENT, 'inner/mesh.yaml': INTENT });
    try {
      const fleet = await discoverFleet(root);
      assert.deepEqual(fleet.clusters.map((c) => [c.cluster, c.files.map((f) => f.path)]), [['.', ['inner/mesh.yaml', 'mesh.yaml']], ['inner', ['mesh.yaml']]]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  const refusals: Array<[string, Record<string, string>, string, RegExp]> = [
    ['no intent anywhere', { 'a/ns.yaml': 'kind: Namespace\n' }, 'intent-missing', /no mesh intent/],
    ['a tree deeper than the limit', { [`${Array.from({ length: FLEET_MAX_DEPTH + 1 }, (_, i) => `d${i}`).join('/')}/mesh.yaml`]: INTENT }, 'input-too-large', new RegExp(`more than ${FLEET_MAX_DEPTH} folders deep`)],
    ['a kubernetes-version file that is too long', { 'a/mesh.yaml': INTENT, 'a/kubernetes-version': 'x'.repeat(1000) }, 'input-too-large', /kubernetes-version is over/],
  ];
  for (const [name, files, code, message] of refusals) {
    it(`refuses ${name}`, async () => {
      const root = tree(files);
      try {
        await assert.rejects(discoverFleet(root), (err: unknown) => err instanceof MeshplaneError && err.code === code && message.test(err.message));
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  }
});
