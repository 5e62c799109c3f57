import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allowedBy, fullRepository, isUnderPrefix } from './reference.js';

describe('fullRepository (distribution/reference splitDockerDomain)', () => {
  // Expected values worked out by hand from normalize.go's rules, not from this code.
  const cases: Array<[string, string]> = [
    ['nginx', 'docker.io/library/nginx'],
    ['nginx:1.27', 'docker.io/library/nginx'],
    ['nginx@sha256:' + 'a'.repeat(64), 'docker.io/library/nginx'],
    ['bitnami/redis:7', 'docker.io/bitnami/redis'],
    ['docker.io/nginx', 'docker.io/library/nginx'],
    ['index.docker.io/nginx', 'docker.io/library/nginx'],
    ['index.docker.io/bitnami/redis', 'docker.io/bitnami/redis'],
    ['localhost/app', 'localhost/app'],
    ['localhost:5000/app:1', 'localhost:5000/app'],
    ['registry:5000/team/app:2', 'registry:5000/team/app'],
    ['Registry/app', 'Registry/app'],
    ['mcr.microsoft.com/oss/istio/pilot:1.30.2-2-distroless', 'mcr.microsoft.com/oss/istio/pilot'],
    ['myacr.azurecr.io/mirror/proxyv2:1.30.2@sha256:' + 'b'.repeat(64), 'myacr.azurecr.io/mirror/proxyv2'],
  ];
  for (const [image, want] of cases) it(image, () => assert.equal(fullRepository(image), want));
});

describe('isUnderPrefix: whole components only', () => {
  const cases: Array<[string, string, boolean]> = [
    ['myacr.azurecr.io/app:1', 'myacr.azurecr.io', true],
    ['myacr.azurecr.io/mirror/pilot:1', 'myacr.azurecr.io/mirror', true],
    ['myacr.azurecr.io/mirror', 'myacr.azurecr.io/mirror', true],
    ['myacr.azurecr.io/mirrors/pilot:1', 'myacr.azurecr.io/mirror', false],
    ['myacr.azurecr.io.evil.com/app:1', 'myacr.azurecr.io', false],
    ['myacr.azurecr.io:5000/app:1', 'myacr.azurecr.io', false],
    ['evil.com/myacr.azurecr.io/app', 'myacr.azurecr.io', false],
    ['nginx', 'docker.io/library', true],
    ['nginx', 'docker.io', true],
    ['nginx', 'index.docker.io', true],
    ['nginx', 'myacr.azurecr.io', false],
    ['bitnami/redis', 'docker.io/library', false],
    ['myacr.azurecr.io/app', 'myacr.azurecr.io/', true],
  ];
  for (const [image, prefix, want] of cases) it(`${image} under ${prefix}: ${want}`, () => assert.equal(isUnderPrefix(image, prefix), want));

  it('allowedBy names the first matching entry', () => {
    assert.equal(allowedBy('myacr.azurecr.io/a', ['x.io', 'myacr.azurecr.io']), 'myacr.azurecr.io');
    assert.equal(allowedBy('y.io/a', ['x.io']), undefined);
  });
});
