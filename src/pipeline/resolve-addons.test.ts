import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog } from '../catalog/catalog.js';
import { MeshplaneError } from '../core/errors.js';
import type { ServiceMesh, ServiceMeshSpec } from '../intent/types.js';
import { resolveParts, resolvePluginCa, resolveSecurityApis } from './resolve-addons.js';

const KV = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/mesh-rg/providers/Microsoft.KeyVault/vaults/mesh-kv';
const PLUGIN = { keyVaultId: KV, certObjectName: 'int-cert', keyObjectName: 'int-key', rootCertObjectName: 'root', certChainObjectName: 'chain' };
const ACCESS = { tenantId: '11111111-1111-1111-1111-111111111111', identityClientId: '22222222-2222-2222-2222-222222222222' };

function mesh(spec: Partial<ServiceMeshSpec>): ServiceMesh {
  return { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'm' }, spec: { mode: 'Istio', istio: { revisions: ['asm-1-28'] }, ...spec } };
}

describe('resolvePluginCa', () => {
  it('is null without a plug-in CA, and when the mesh is Disabled', () => {
    assert.equal(resolvePluginCa(mesh({})), null);
    assert.equal(resolvePluginCa(mesh({ mode: 'Disabled', istio: { revisions: ['asm-1-28'], certificateAuthority: { plugin: PLUGIN } } })), null);
  });
  it('parses the vault and maps each secret to the file istiod reads', () => {
    const got = resolvePluginCa(mesh({ istio: { revisions: ['asm-1-28'], certificateAuthority: { plugin: PLUGIN } }, keyVaultAccess: ACCESS }));
    assert.deepEqual(got, {
      keyVaultId: KV,
      keyVault: { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'mesh-rg', name: 'mesh-kv' },
      tenantId: ACCESS.tenantId,
      identityClientId: ACCESS.identityClientId,
      cloudName: null,
      objects: [
        { objectName: 'int-cert', fileName: 'ca-cert.pem' },
        { objectName: 'int-key', fileName: 'ca-key.pem' },
        { objectName: 'chain', fileName: 'cert-chain.pem' },
        { objectName: 'root', fileName: 'root-cert.pem' },
      ],
    });
  });
  it('passes the cloud name through', () => {
    const got = resolvePluginCa(mesh({ istio: { revisions: ['asm-1-28'], certificateAuthority: { plugin: PLUGIN } }, keyVaultAccess: { ...ACCESS, cloudName: 'AzureChinaCloud' } }));
    assert.equal(got?.cloudName, 'AzureChinaCloud');
  });
  const failures: Array<{ name: string; spec: Partial<ServiceMeshSpec>; match: RegExp }> = [
    { name: 'bad vault id', spec: { istio: { revisions: ['asm-1-28'], certificateAuthority: { plugin: { ...PLUGIN, keyVaultId: 'mesh-kv' } } }, keyVaultAccess: ACCESS }, match: /not a valid Key Vault resource id/ },
    { name: 'no keyVaultAccess', spec: { istio: { revisions: ['asm-1-28'], certificateAuthority: { plugin: PLUGIN } } }, match: /spec\.keyVaultAccess/ },
  ];
  for (const c of failures) {
    it(`throws an intent error: ${c.name}`, () => {
      assert.throws(() => resolvePluginCa(mesh(c.spec)), (e: unknown) => e instanceof MeshplaneError && e.code === 'intent-invalid' && c.match.test(e.message));
    });
  }
});

describe('resolveSecurityApis', () => {
  const catalog = loadCatalog();
  const cases: Array<{ oldest: number; peer: string; authz: string }> = [
    { oldest: 20, peer: 'security.istio.io/v1beta1', authz: 'security.istio.io/v1' },
    { oldest: 21, peer: 'security.istio.io/v1beta1', authz: 'security.istio.io/v1' },
    { oldest: 22, peer: 'security.istio.io/v1', authz: 'security.istio.io/v1' },
    { oldest: 30, peer: 'security.istio.io/v1', authz: 'security.istio.io/v1' },
  ];
  for (const c of cases) {
    it(`oldest revision 1.${c.oldest}`, () => assert.deepEqual(resolveSecurityApis(catalog, c.oldest), { peerAuthentication: c.peer, authorizationPolicy: c.authz }));
  }
});

describe('resolveParts', () => {
  const none = { ingressGateways: false, egressGateways: false, monitoring: false, security: false, coreDNS: false };
  const cases: Array<{ name: string; spec: Partial<ServiceMeshSpec>; want: Partial<typeof none> }> = [
    { name: 'a bare mesh uses no optional part', spec: {}, want: {} },
    { name: 'disabled gateways and annotation scraping stay off', spec: { istio: { revisions: ['asm-1-28'], components: { ingressGateways: [{ mode: 'External', enabled: false }], egressGateways: [{ name: 'e', enabled: false }] } }, monitoring: { prometheus: 'annotations', grafana: 'none' }, security: { defaultDeny: false }, platform: { coreDNS: { enabled: false } } }, want: {} },
    { name: 'enabled gateways', spec: { istio: { revisions: ['asm-1-28'], components: { ingressGateways: [{ mode: 'Internal', enabled: true }], egressGateways: [{ name: 'e', enabled: true, gatewayConfigurationName: 'g' }] } } }, want: { ingressGateways: true, egressGateways: true } },
    { name: 'azure-managed scraping', spec: { monitoring: { prometheus: 'azure-managed' } }, want: { monitoring: true } },
    { name: 'dashboards alone', spec: { monitoring: { prometheus: 'none', grafana: 'grafana-operator', grafanaInstanceSelector: { a: 'b' } } }, want: { monitoring: true } },
    { name: 'mTLS alone', spec: { security: { mtls: 'PERMISSIVE' } }, want: { security: true } },
    { name: 'CoreDNS', spec: { platform: { coreDNS: { enabled: true } } }, want: { coreDNS: true } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(resolveParts(mesh(c.spec)), { ...none, ...c.want }));
});
