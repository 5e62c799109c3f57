import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { packagePath } from '../core/paths.js';
import type { ServiceMesh } from '../intent/types.js';
import { hookName, PREFLIGHT_IMAGE_REPOSITORY, resolvePreflightHook } from './resolve-preflight-hook.js';

const mesh = (name: string, policy: NonNullable<ServiceMesh['spec']['policy']>): ServiceMesh => ({ apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name }, spec: { mode: 'Istio', istio: { revisions: ['asm-1-28'] }, policy } });

describe('preflight hook input', () => {
  it('is null unless the hook is enabled', () => {
    assert.equal(resolvePreflightHook(mesh('prod', {})), null);
    assert.equal(resolvePreflightHook(mesh('prod', { preflightHook: false })), null);
  });

  it('defaults the image to the release image of this package version', () => {
    const version = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
    assert.deepEqual(resolvePreflightHook(mesh('prod', { preflightHook: true })), { image: `${PREFLIGHT_IMAGE_REPOSITORY}:${version}`, pullSecrets: [], name: 'meshplane-preflight-prod', namespace: 'kube-system' });
  });

  it('moves the default image under spec.images.registry and carries the pull secrets', () => {
    const version = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
    const m = { ...mesh('prod', { preflightHook: true }) };
    m.spec = { ...m.spec, images: { registry: 'myacr.azurecr.io/mirror', imagePullSecrets: ['acr-pull'] } };
    const hook = resolvePreflightHook(m);
    assert.equal(hook?.image, `myacr.azurecr.io/mirror/meshplane:${version}`);
    assert.deepEqual(hook?.pullSecrets, ['acr-pull']);
    m.spec = { ...m.spec, policy: { preflightHook: true, preflightImage: 'other.example/meshplane:1' } };
    assert.equal(resolvePreflightHook(m)?.image, 'other.example/meshplane:1', 'an explicit preflightImage wins');
  });

  it('takes spec.policy.preflightImage when set', () => {
    assert.equal(resolvePreflightHook(mesh('prod', { preflightHook: true, preflightImage: 'registry.example/mirror/meshplane:0.1.0' }))?.image, 'registry.example/mirror/meshplane:0.1.0');
  });

  const names: Array<{ name: string; mesh: string }> = [
    { name: 'short mesh name', mesh: 'prod' },
    { name: 'mesh name at the limit', mesh: 'a'.repeat(43) },
    { name: 'longest mesh name', mesh: `${'b'.repeat(40)}-${'c'.repeat(22)}` },
    { name: 'long name whose cut ends in a dash', mesh: `${'d'.repeat(33)}----------------------------e` },
  ];
  for (const c of names) {
    it(`hook name fits a Job (63 characters, DNS label): ${c.name}`, () => {
      const n = hookName(c.mesh);
      assert.ok(n.length <= 63, `${n} is ${n.length} long`);
      assert.match(n, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      assert.equal(hookName(c.mesh), n, 'deterministic');
    });
  }
  it('keeps different long names apart', () => assert.notEqual(hookName(`${'x'.repeat(60)}1`), hookName(`${'x'.repeat(60)}2`)));
});
