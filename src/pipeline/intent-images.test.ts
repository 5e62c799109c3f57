/**
 * The schema of spec.images: registry paths as container runtimes parse them (a first component
 * with a "." or ":" or `localhost` is a registry host — distribution/reference normalize.go
 * splitDockerDomain; path components lower-case, reference/regexp.go), Secret names as
 * Kubernetes object names (DNS-1123 subdomains).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileIntentValidator } from './intent.js';

const validate = compileIntentValidator();

function accepts(images: unknown): boolean {
  return validate({ apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'm' }, spec: { mode: 'Istio', istio: { revisions: ['asm-1-28'] }, images } }) === true;
}

describe('spec.images schema', () => {
  const registries: Array<[string, boolean]> = [
    ['myacr.azurecr.io', true],
    ['myacr.azurecr.io/mirror', true],
    ['myacr.azurecr.io/mirror/istio-1', true],
    ['localhost', true],
    ['localhost:5000/mirror', true],
    ['registry:5000/team', true],
    ['10.0.0.4:5000/x', true],
    ['myregistry.io/a__b/c.d', true],
    ['my_registry.io/x', false],
    ['myacr', false],
    ['myacr/mirror', false],
    ['myacr.azurecr.io/Mirror', false],
    ['myacr.azurecr.io/mirror/', false],
    ['myacr.azurecr.io//mirror', false],
    ['myacr.azurecr.io/mirror:1.0', false],
    ['https://myacr.azurecr.io', false],
    ['', false],
  ];
  for (const [registry, ok] of registries) {
    it(`registry ${JSON.stringify(registry)}: ${ok ? 'accepted' : 'refused'}`, () => {
      assert.equal(accepts({ registry }), ok);
      assert.equal(accepts({ allowedRegistries: [registry] }), ok, 'allowlist entries follow the same grammar');
    });
  }

  const secrets: Array<[unknown, boolean]> = [
    [['acr-pull'], true],
    [['acr.pull', 'b'], true],
    [[], true],
    [['Acr-Pull'], false],
    [['acr_pull'], false],
    [['a', 'a'], false],
    ['acr-pull', false],
  ];
  for (const [names, ok] of secrets) it(`imagePullSecrets ${JSON.stringify(names)}: ${ok ? 'accepted' : 'refused'}`, () => assert.equal(accepts({ imagePullSecrets: names }), ok));

  it('refuses unknown fields and an empty allowlist', () => {
    assert.equal(accepts({ hub: 'x.io' }), false);
    assert.equal(accepts({ allowedRegistries: [] }), false);
  });
});
