import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { MeshplaneError } from '../core/errors.js';
import { findIntent, validateIntent } from '../pipeline/intent.js';
import { checkIntent } from '../pipeline/intent-checks.js';
import { parseSourceFile } from '../pipeline/load.js';
import { importAks, type ImportOptions } from './aks.js';

function repoRoot(): string {
  let d = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(d, 'package.json'))) d = path.dirname(d);
  return d;
}

const fixture = (name: string): string => readFileSync(path.join(repoRoot(), 'test', 'cases', 'import', name), 'utf8');

/** Runs the stages `generate` runs on the text: a mesh.yaml that fails here would fail a sync. */
function throughPipeline(text: string): unknown {
  const found = validateIntent(findIntent(parseSourceFile({ path: 'mesh.yaml', text })));
  checkIntent(found);
  return found.intent;
}

describe('importAks: fixtures in the shapes `az aks show` prints', () => {
  const cases: Array<{ name: string; file: string; opts?: Partial<ImportOptions>; spec: unknown; meshName: string; header: RegExp; notices?: RegExp[] }> = [
    {
      name: 'az CLI output (properties flattened)', file: 'aks-show-cli.json', meshName: 'prod-aks',
      header: /^# Imported by `meshplane import --aks` from `az aks show` output in aks-show-cli\.json\.\n# AKS cluster: prod-aks \(resource group prod-rg\)\./,
      spec: {
        mode: 'Istio',
        istio: {
          revisions: ['asm-1-27'],
          components: {
            ingressGateways: [{ mode: 'External', enabled: true }, { mode: 'Internal', enabled: false }],
            egressGateways: [{ name: 'egress-a', enabled: true, namespace: 'aks-istio-egress', gatewayConfigurationName: 'egw-a' }],
            proxyRedirectionMechanism: 'InitContainers',
          },
        },
        cluster: { kubernetesVersion: '1.32', tier: 'Standard' },
      },
    },
    {
      name: 'ARM output (properties nested), canary, plug-in CA, LTS', file: 'aks-show-arm-canary-plugin-ca.json', meshName: 'payments-aks',
      header: /from `az aks show` output in aks-show-arm-canary-plugin-ca\.json \(ARM shape\)\.\n# AKS cluster: Payments_AKS \(resource group Payments-RG\)\./,
      notices: [/revisions written in ascending order: \[asm-1-28, asm-1-29\]/, /:34:\d+: .*egressGateways\[0\]\.nodeSelector is not imported \(obsolete/, /:4:3: cluster name "Payments_AKS" written as metadata\.name "payments-aks"/],
      spec: {
        mode: 'Istio',
        istio: {
          revisions: ['asm-1-28', 'asm-1-29'],
          components: { ingressGateways: [{ mode: 'Internal', enabled: true }], egressGateways: [{ name: 'egress-payments', enabled: false, namespace: 'payments-egress' }] },
          certificateAuthority: {
            plugin: {
              keyVaultId: '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/Payments-RG/providers/Microsoft.KeyVault/vaults/payments-mesh-kv',
              certObjectName: 'istio-intermediate-cert', keyObjectName: 'istio-intermediate-key', rootCertObjectName: 'istio-root-cert', certChainObjectName: 'istio-cert-chain',
            },
          },
        },
        cluster: { kubernetesVersion: '1.31', tier: 'LTS' },
        keyVaultAccess: { tenantId: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d', identityClientId: 'e4d3c2b1-a0f9-4e8d-9c7b-6a5f4e3d2c1b' },
      },
    },
    {
      name: 'a bare serviceMeshProfile with --name and --kube-version', file: 'service-mesh-profile.json', opts: { name: 'edge', kubeVersion: 'v1.33.2' }, meshName: 'edge',
      header: /^# Imported by `meshplane import --aks` from the serviceMeshProfile in service-mesh-profile\.json\.\n# spec\.mode/,
      spec: { mode: 'Istio', istio: { revisions: ['asm-1-28'], components: { ingressGateways: [{ mode: 'External', enabled: true }], proxyRedirectionMechanism: 'CNIChaining' } }, cluster: { kubernetesVersion: '1.33' } },
    },
    {
      name: 'a bare serviceMeshProfile without a Kubernetes version', file: 'service-mesh-profile.json', opts: { name: 'edge' }, meshName: 'edge', header: /serviceMeshProfile in/,
      notices: [/spec\.cluster\.kubernetesVersion is not set/],
      spec: { mode: 'Istio', istio: { revisions: ['asm-1-28'], components: { ingressGateways: [{ mode: 'External', enabled: true }], proxyRedirectionMechanism: 'CNIChaining' } } },
    },
    {
      name: 'mode Disabled with nothing else to import is still a valid intent', file: 'aks-show-disabled.json', meshName: 'dev-aks', header: /AKS cluster: dev-aks/,
      spec: { mode: 'Disabled', cluster: { kubernetesVersion: '1.33', tier: 'Standard' } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = importAks(fixture(c.file), { source: c.file, ...c.opts });
      const intent = throughPipeline(result.text) as { metadata: { name: string }; spec: unknown };
      assert.deepEqual(parse(result.text), intent, 'the text is the validated intent');
      assert.equal(intent.metadata.name, c.meshName);
      assert.deepEqual(intent.spec, c.spec);
      assert.match(result.text, c.header);
      assert.match(result.text, /\n\napiVersion: meshplane\.io\/v1alpha1\nkind: ServiceMesh\n/);
      const notices = result.notices.map((n) => `${n.level}: ${n.where ? `${n.where.file}:${n.where.line}:${n.where.column}: ` : ''}${n.message}`);
      assert.equal(notices.length, (c.notices ?? []).length, notices.join('\n'));
      for (const p of c.notices ?? []) assert.ok(notices.some((n) => p.test(n)), `${p} in\n${notices.join('\n')}`);
      assert.equal(importAks(fixture(c.file), { source: c.file, ...c.opts }).text, result.text, 'deterministic');
    });
  }
  it('writes revisions as a flow list and gateways as flow mappings, like the examples', () => {
    const text = importAks(fixture('aks-show-cli.json'), { source: 'x.json' }).text;
    assert.match(text, /\n {4}revisions: \[asm-1-27\]\n/);
    assert.match(text, /\n {8}- \{mode: External, enabled: true\}\n/);
  });
  it('the flags supply what a plug-in CA needs when the input lacks it', () => {
    const cluster = JSON.parse(fixture('aks-show-arm-canary-plugin-ca.json')) as { identity: unknown; properties: { addonProfiles: unknown } };
    delete cluster.identity;
    cluster.properties.addonProfiles = {};
    const opts = { source: 'a.json', tenantId: '00000000-1111-2222-3333-444444444444', identityClientId: '55555555-6666-7777-8888-999999999999' };
    const intent = throughPipeline(importAks(JSON.stringify(cluster), opts).text) as { spec: { keyVaultAccess: unknown } };
    assert.deepEqual(intent.spec.keyVaultAccess, { tenantId: opts.tenantId, identityClientId: opts.identityClientId });
  });
});

const profile = (p: unknown): string => JSON.stringify({ name: 'c1', kubernetesVersion: '1.32', serviceMeshProfile: p }, null, 2);

describe('importAks: refusals say what, where and how to fix', () => {
  const cases: Array<{ name: string; text: string; opts?: Partial<ImportOptions>; code: string; message: RegExp; where?: [number, number]; hint: RegExp }> = [
    { name: 'text that is not JSON', text: '{\n  "name": "x",\n  "serviceMeshProfile": {mode: "Istio"}\n}', code: 'import-invalid', message: /in\.json is not JSON \(Expected property name/, where: [3, 26], hint: /az aks show .* -o json/ },
    { name: 'YAML instead of JSON', text: 'mode: Istio\n', code: 'import-invalid', message: /is not JSON/, where: [1, 1], hint: /YAML and table output are not accepted/ },
    { name: 'an empty file', text: '', code: 'import-invalid', message: /is not JSON \(Unexpected end of JSON input\)/, where: [1, 1], hint: /az aks show/ },
    { name: 'the output of az aks list', text: '[{"name": "a"}, {"name": "b"}]', code: 'import-invalid', message: /holds a list of 2 clusters, not one/, where: [1, 1], hint: /\[\?name==/ },
    { name: 'a cluster that never had the add-on', text: fixture('aks-show-no-mesh.json'), code: 'import-invalid', message: /serviceMeshProfile is null: the Istio add-on was never enabled/, where: [7, 3], hint: /az aks mesh enable/ },
    { name: 'a cluster object without a serviceMeshProfile field', text: '{\n  "name": "c1",\n  "properties": {"kubernetesVersion": "1.32"}\n}', code: 'import-invalid', message: /it has no serviceMeshProfile/, where: [3, 3], hint: /az aks mesh enable/ },
    { name: 'a profile without a mode', text: profile({ istio: { revisions: ['asm-1-27'] } }), code: 'import-invalid', message: /serviceMeshProfile has no mode; it must be Istio or Disabled/, where: [4, 3], hint: /fix the field/ },
    { name: 'an unknown mode', text: profile({ mode: 'Enabled' }), code: 'import-invalid', message: /has mode "Enabled"/, where: [5, 5], hint: /fix the field/ },
    { name: 'mode Istio without revisions', text: profile({ mode: 'Istio', istio: null }), code: 'import-invalid', message: /mode Istio but no istio\.revisions/, where: [6, 5], hint: /istio\.revisions` lists its revision/ },
    { name: 'a field the schema rejects, pointed at in the input', text: profile({ mode: 'Istio', istio: { revisions: ['asm-1-27'], components: { ingressGateways: [{ mode: 'Public', enabled: true }] } } }), code: 'import-invalid', message: /the imported mesh intent would not be valid \(1 problem\)/, where: [13, 13], hint: /fix the input/ },
    { name: 'a plug-in CA with no way to reach the vault', text: profile({ mode: 'Istio', istio: { revisions: ['asm-1-27'], certificateAuthority: { plugin: { keyVaultId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1', certObjectName: 'a', keyObjectName: 'b', rootCertObjectName: 'c', certChainObjectName: 'd' } } } }), code: 'import-invalid', message: /the plug-in CA needs spec\.keyVaultAccess/, where: [11, 9], hint: /--tenant-id/ },
    { name: 'a Kubernetes version that is not 1.x', text: '{"name": "c1", "kubernetesVersion": "latest", "serviceMeshProfile": {"mode": "Disabled"}}', code: 'import-invalid', message: /the Kubernetes version "latest" is not a 1\.x version/, where: [1, 16], hint: /--kube-version/ },
    { name: 'a bare profile without --name', text: '{"mode": "Disabled"}', code: 'import-invalid', message: /names no cluster, so the mesh has no name/, where: [1, 1], hint: /--name/ },
    { name: 'an invalid --name', text: '{"mode": "Disabled"}', opts: { name: 'Prod_1' }, code: 'usage', message: /--name "Prod_1" is not a DNS label/, hint: /lower-case/ },
    { name: 'an invalid --kube-version', text: '{"mode": "Disabled"}', opts: { name: 'p', kubeVersion: '2.0' }, code: 'usage', message: /--kube-version "2\.0" is not a Kubernetes 1\.x version/, hint: /1\.32/ },
  ];
  for (const c of cases) {
    it(`refuses ${c.name}`, () => {
      assert.throws(() => importAks(c.text, { source: 'in.json', ...c.opts }), (err: unknown) => {
        assert.ok(err instanceof MeshplaneError, String(err));
        assert.equal(err.code, c.code);
        assert.match(err.message, c.message);
        const detail = err.details[0];
        if (c.where) assert.deepEqual([detail?.where?.file, detail?.where?.line, detail?.where?.column], ['in.json', ...c.where], JSON.stringify(err.details));
        assert.match(`${err.hint ?? ''} ${err.details.map((d) => d.hint ?? '').join(' ')}`, c.hint);
        return true;
      });
    });
  }
  it('reports profile fields it does not import, with their position', () => {
    const r = importAks(profile({ mode: 'Disabled', futureField: { x: 1 } }), { source: 'in.json' });
    assert.deepEqual(r.notices.map((n) => [n.level, n.where?.line, n.message]), [['warning', 6, 'serviceMeshProfile.futureField is not imported (not a serviceMeshProfile field Meshplane knows)']]);
  });
});
