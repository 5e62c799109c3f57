import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeshplaneError } from '../core/errors.js';
import { classifyDocument, collectRendered, collectSource } from './collect.js';
import { parseSourceFile } from './load.js';

describe('classifyDocument', () => {
  const cases: Array<[string, unknown, string]> = [
    ['a Namespace', { apiVersion: 'v1', kind: 'Namespace' }, 'object'],
    ['a List', { apiVersion: 'v1', kind: 'List', items: [] }, 'list'],
    ['a typed *List', { apiVersion: 'v1', kind: 'ConfigMapList', items: [] }, 'list'],
    ['a kustomization.yaml', { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' }, 'tool-config'],
    ['an Argo CD plugin.yaml', { apiVersion: 'argoproj.io/v1alpha1', kind: 'ConfigManagementPlugin' }, 'tool-config'],
    ['the mesh intent', { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh' }, 'intent'],
    ['a values file', { replicaCount: 2 }, 'not-an-object'],
    ['a Chart.yaml', { apiVersion: 'v2', name: 'x' }, 'not-an-object'],
    ['a scalar', 'text', 'not-an-object'],
    ['a top-level array', [{ apiVersion: 'v1', kind: 'Namespace' }], 'not-an-object'],
  ];
  for (const [name, value, want] of cases) it(name, () => assert.equal(classifyDocument(value), want));
});

describe('collectSource', () => {
  it('unwraps Lists with the position of each item', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Namespace\n    metadata: {name: a}\n  - apiVersion: networking.istio.io/v1alpha3\n    kind: EnvoyFilter\n    metadata: {name: f, namespace: a}\n';
    const { objects } = collectSource(parseSourceFile({ path: 'deep/list.yaml', text }));
    assert.deepEqual(objects.map((o) => [o.object.kind, o.origin.file, o.origin.line, o.origin.path]), [
      ['Namespace', 'deep/list.yaml', 4, 'items[0]'],
      ['EnvoyFilter', 'deep/list.yaml', 7, 'items[1]'],
    ]);
  });
  it('skips what is not an object, with a notice naming the file', () => {
    const { objects, notices } = collectSource(parseSourceFile({ path: 'kustomization.yaml', text: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n' }));
    assert.equal(objects.length, 0);
    assert.equal(notices[0]?.where?.file, 'kustomization.yaml');
  });
  it('rejects a List item without apiVersion/kind', () => {
    assert.throws(() => collectSource(parseSourceFile({ path: 'l.yaml', text: 'apiVersion: v1\nkind: List\nitems:\n  - {name: x}\n' })), MeshplaneError);
  });
});

describe('collectRendered', () => {
  it('rejects template output that is not a list of objects', () => {
    assert.throws(() => collectRendered({}), /list of objects/);
    assert.throws(() => collectRendered([{ kind: 'X' }]), /not a Kubernetes object/);
  });
});
