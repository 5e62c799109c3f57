/**
 * Acceptance: intents that are invalid for the gateway, plug-in CA and CoreDNS settings fail
 * `bin/meshplane generate` with exit 2, `file:line` and a fix on stderr, and nothing on stdout
 * (issue 3 "Must show"; fail closed, docs/design.md "Contracts").
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';

const HEAD = 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: m}\nspec:\n  mode: Istio\n  cluster: {kubernetesVersion: "1.32"}\n';
const KV = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults';
const ACCESS = '  keyVaultAccess: {tenantId: 11111111-1111-1111-1111-111111111111, identityClientId: 22222222-2222-2222-2222-222222222222}\n';
const plugin = (id: string): string => `    certificateAuthority:\n      plugin:\n        keyVaultId: ${id}\n        certObjectName: a\n        keyObjectName: b\n        rootCertObjectName: c\n        certChainObjectName: d\n`;

const cases: Array<{ name: string; body: string; line: number; match: RegExp[] }> = [
  {
    name: 'a Service annotation outside the allowlist',
    body: '  istio:\n    revisions: [asm-1-28]\n    components:\n      ingressGateways: [{mode: External, enabled: true}]\n  gateways:\n    external:\n      serviceAnnotations:\n        service.beta.kubernetes.io/azure-dns-label-name: shop\n',
    line: 14,
    match: [/annotation "service\.beta\.kubernetes\.io\/azure-dns-label-name" is not one the add-on lets users set/, /allowed annotations .*service\.beta\.kubernetes\.io\/azure-pip-name/],
  },
  {
    name: 'a Key Vault id that is not an ARM id (schema)',
    body: `  istio:\n    revisions: [asm-1-28]\n${plugin('https://mesh-kv.vault.azure.net/')}${ACCESS}`,
    line: 11,
    match: [/keyVaultId/, /\/subscriptions\/<subscription-guid>\/resourceGroups/],
  },
  {
    name: 'a Key Vault name Azure would refuse (double hyphen)',
    body: `  istio:\n    revisions: [asm-1-28]\n${plugin(`${KV}/mesh--kv`)}${ACCESS}`,
    line: 11,
    match: [/not a valid Key Vault resource id: the vault name "mesh--kv"/],
  },
  {
    name: 'a plug-in CA without keyVaultAccess',
    body: `  istio:\n    revisions: [asm-1-28]\n${plugin(`${KV}/mesh-kv`)}`,
    line: 10,
    match: [/a plug-in CA needs spec\.keyVaultAccess/],
  },
  {
    name: 'two egress gateways with one name in one namespace',
    body: '  istio:\n    revisions: [asm-1-28]\n    components:\n      egressGateways:\n        - {name: eg, enabled: true, gatewayConfigurationName: a}\n        - {name: eg, enabled: true, gatewayConfigurationName: b}\n',
    line: 12,
    match: [/egress gateway "eg" in namespace aks-istio-egress is already declared at line 11/],
  },
  {
    name: 'grafana-operator without an instance selector (schema)',
    body: '  istio: {revisions: [asm-1-28]}\n  monitoring: {grafana: grafana-operator}\n',
    line: 8,
    match: [/missing required field "grafanaInstanceSelector"/],
  },
];

describe('generate with an invalid gateway / CA / monitoring intent', () => {
  for (const c of cases) {
    it(`${c.name}: exit 2, nothing on stdout, file:line and a fix on stderr`, async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-intent-'));
      try {
        await writeFile(path.join(dir, 'mesh.yaml'), HEAD + c.body);
        const r = await runCli(['generate', dir], { env: { KUBE_VERSION: undefined } });
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, new RegExp(`mesh\\.yaml:${c.line}:\\d+`), r.stderr);
        for (const m of c.match) assert.match(r.stderr, m);
        assert.match(r.stderr, /fix:/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});
