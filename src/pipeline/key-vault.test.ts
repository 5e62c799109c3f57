import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseKeyVaultId } from './key-vault.js';

const SUB = '00000000-0000-0000-0000-00000000abcd';

describe('parseKeyVaultId', () => {
  const good: Array<{ name: string; id: string; want: { subscriptionId: string; resourceGroup: string; name: string } }> = [
    { name: 'canonical casing', id: `/subscriptions/${SUB}/resourceGroups/mesh-rg/providers/Microsoft.KeyVault/vaults/mesh-kv`, want: { subscriptionId: SUB, resourceGroup: 'mesh-rg', name: 'mesh-kv' } },
    { name: 'lower-case segments as az sometimes prints them', id: `/subscriptions/${SUB.toUpperCase()}/resourcegroups/RG_1.(x)/providers/microsoft.keyvault/vaults/Kv1`, want: { subscriptionId: SUB, resourceGroup: 'RG_1.(x)', name: 'Kv1' } },
  ];
  for (const c of good) {
    it(`accepts: ${c.name}`, () => assert.deepEqual(parseKeyVaultId(c.id), { ok: true, ref: c.want }));
  }
  const bad: Array<{ name: string; id: string; reason: RegExp }> = [
    { name: 'a vault name only', id: 'mesh-kv', reason: /not of the form/ },
    { name: 'the vault URI', id: 'https://mesh-kv.vault.azure.net/', reason: /not of the form/ },
    { name: 'another resource type', id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/kv`, reason: /not of the form/ },
    { name: 'subscription not a GUID', id: '/subscriptions/my-sub/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/mesh-kv', reason: /not a GUID/ },
    { name: 'resource group ending in a period', id: `/subscriptions/${SUB}/resourceGroups/rg./providers/Microsoft.KeyVault/vaults/mesh-kv`, reason: /resource group/ },
    { name: 'vault name too short', id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv`, reason: /vault name/ },
    { name: 'vault name with a double hyphen', id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/mesh--kv`, reason: /vault name/ },
    { name: 'vault name starting with a digit', id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/1kv`, reason: /vault name/ },
    { name: 'trailing path segment', id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/mesh-kv/secrets/x`, reason: /not of the form/ },
  ];
  for (const c of bad) {
    it(`rejects: ${c.name}`, () => {
      const r = parseKeyVaultId(c.id);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.reason, c.reason);
    });
  }
});
