/**
 * Key Vault resource ids (the plug-in CA's `keyVaultId`), parsed once in code so the templates
 * get the vault name as plain data instead of taking strings apart.
 */

/** The parts of a Key Vault ARM id. */
export interface KeyVaultRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** The result of parsing: the parts, or why the id is not a Key Vault id. */
export type KeyVaultParse = { ok: true; ref: KeyVaultRef } | { ok: false; reason: string };

/** The expected form, for messages. */
export const KEY_VAULT_ID_FORM = '/subscriptions/<subscription-guid>/resourceGroups/<resource-group>/providers/Microsoft.KeyVault/vaults/<vault-name>';

const ID = /^\/subscriptions\/(?<sub>[^/]+)\/resourcegroups\/(?<rg>[^/]+)\/providers\/microsoft\.keyvault\/vaults\/(?<name>[^/]+)$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Azure resource-group names: 1-90 of letters, digits, `-_.()`, not ending in a period.
const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;
// Key Vault names: 3-24 characters, letters/digits/hyphens, starting with a letter, ending with
// a letter or digit, no two hyphens in a row (Azure naming rules for Microsoft.KeyVault/vaults).
const VAULT = /^[a-zA-Z](?!.*--)[-a-zA-Z0-9]{1,22}[a-zA-Z0-9]$/;

/** Parses a Key Vault ARM id; the provider namespace and `resourceGroups` match case-insensitively, as ARM does. */
export function parseKeyVaultId(id: string): KeyVaultParse {
  const m = ID.exec(id.trim());
  if (!m?.groups) return { ok: false, reason: `it is not of the form ${KEY_VAULT_ID_FORM}` };
  const { sub, rg, name } = m.groups as { sub: string; rg: string; name: string };
  if (!GUID.test(sub)) return { ok: false, reason: `the subscription "${sub}" is not a GUID` };
  if (!RESOURCE_GROUP.test(rg)) return { ok: false, reason: `the resource group "${rg}" is not a valid resource-group name` };
  if (!VAULT.test(name)) return { ok: false, reason: `the vault name "${name}" is not a valid Key Vault name (3-24 letters, digits and single hyphens, starting with a letter)` };
  return { ok: true, ref: { subscriptionId: sub.toLowerCase(), resourceGroup: rg, name } };
}
