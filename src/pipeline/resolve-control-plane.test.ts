import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PolicyException, ServiceMesh, ServiceMeshSpec } from '../intent/types.js';
import { GATEWAY_API_RULE, resolveCniAgent, resolveGatewayApi } from './resolve-control-plane.js';

function mesh(spec: Partial<ServiceMeshSpec>): ServiceMesh {
  return { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'm' }, spec: { mode: 'Istio', istio: { revisions: ['asm-1-30'] }, ...spec } };
}

function exception(rule: string, expires: string): PolicyException {
  return { rule, resource: 'gateway.networking.k8s.io/Gateway/shop/web', reason: 'r', expires };
}

const NOW = new Date('2026-12-02T10:00:00Z');

describe('resolveGatewayApi', () => {
  const cases: Array<{ name: string; spec: Partial<ServiceMeshSpec>; enabled: boolean }> = [
    { name: 'no policy: refused', spec: {}, enabled: false },
    { name: 'an unexpired gateway-api-unsupported exception: accepted', spec: { policy: { exceptions: [exception(GATEWAY_API_RULE, '2027-01-01')] } }, enabled: true },
    { name: 'the exception still counts on its expiry day (UTC)', spec: { policy: { exceptions: [exception(GATEWAY_API_RULE, '2026-12-02')] } }, enabled: true },
    { name: 'an expired exception: refused again', spec: { policy: { exceptions: [exception(GATEWAY_API_RULE, '2026-12-01')] } }, enabled: false },
    { name: 'a malformed expiry date: refused', spec: { policy: { exceptions: [exception(GATEWAY_API_RULE, '2026-13-01')] } }, enabled: false },
    { name: 'an exception of another rule: refused', spec: { policy: { exceptions: [exception('forbidden-kind', '2027-01-01')] } }, enabled: false },
    { name: 'a forbiddenKinds override does not lift it', spec: { policy: { forbiddenKinds: ['networking.istio.io/ProxyConfig'] } }, enabled: false },
    { name: 'a Disabled mesh: nothing to enable', spec: { mode: 'Disabled', policy: { exceptions: [exception(GATEWAY_API_RULE, '2027-01-01')] } }, enabled: false },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(resolveGatewayApi(mesh(c.spec), NOW), { enabled: c.enabled }));
  }
});

describe('resolveCniAgent', () => {
  const cases: Array<{ name: string; revisions: Array<{ name: string; minor: number; cni: boolean }>; want: string | null }> = [
    { name: 'no revision with CNI: no agent', revisions: [{ name: 'asm-1-30', minor: 30, cni: false }], want: null },
    { name: 'one revision with CNI', revisions: [{ name: 'asm-1-30', minor: 30, cni: true }], want: 'asm-1-30' },
    { name: 'a canary: the newer revision, whatever the order', revisions: [{ name: 'asm-1-30', minor: 30, cni: true }, { name: 'asm-1-29', minor: 29, cni: true }], want: 'asm-1-30' },
    { name: 'only the revision that supports CNI chaining', revisions: [{ name: 'asm-1-24', minor: 24, cni: false }, { name: 'asm-1-25', minor: 25, cni: true }], want: 'asm-1-25' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(resolveCniAgent(c.revisions), c.want === null ? null : { revision: c.want }));
  }
});
