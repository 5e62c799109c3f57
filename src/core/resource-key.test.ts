import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiGroup, parseRef, resourceKey } from './resource-key.js';

describe('resourceKey', () => {
  const cases: Array<[string, Parameters<typeof resourceKey>[0], string]> = [
    ['namespaced, named group', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'istiod-asm-1-28', namespace: 'aks-istio-system' } }, 'apps/Deployment/aks-istio-system/istiod-asm-1-28'],
    ['core group', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' } }, 'core/Service/n/s'],
    ['cluster scoped', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }, 'core/Namespace/_cluster/n'],
    ['version ignored', { apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'f', namespace: 'n' } }, 'networking.istio.io/EnvoyFilter/n/f'],
  ];
  for (const [name, obj, want] of cases) it(name, () => assert.equal(resourceKey(obj), want));
  it('round-trips through parseRef', () => {
    for (const [, obj, key] of cases) assert.equal(resourceKey({ apiVersion: `${apiGroup(obj.apiVersion) || ''}${apiGroup(obj.apiVersion) ? '/' : ''}v1`, kind: obj.kind, metadata: { name: parseRef(key)!.name, ...(parseRef(key)!.namespace !== '_cluster' ? { namespace: parseRef(key)!.namespace } : {}) } }), key);
  });
  it('accepts group/Kind/name for cluster-scoped refs', () => assert.deepEqual(parseRef('core/Namespace/shop'), { group: '', kind: 'Namespace', namespace: '_cluster', name: 'shop' }));
  it('rejects malformed refs', () => {
    for (const bad of ['', 'a/b', 'a//c/d', 'a/b/c/d/e']) assert.equal(parseRef(bad), undefined, bad);
  });
});
