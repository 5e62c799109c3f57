// Plug-in CA (docs/design.md, "Plug-in CA"): per revision a SecretProviderClass `istio-spc-<rev>` that
// has the Secrets Store CSI driver's Azure provider fetch the four CA secrets from Key Vault, and
// the `cacerts` volume of istiod that mounts them at /etc/cacerts. `input.pluginCa` is resolved
// in src/pipeline/resolve-addons.ts (vault name parsed from keyVaultId, objects sorted).
local k = import 'lib/k.libsonnet';

local spcName(rev) = 'istio-spc-' + rev.name;

// One entry of the provider's `objects` list; objectAlias is the file istiod reads. Values are
// double-quoted: the provider decodes each entry with gopkg.in/yaml.v3 (Azure provider v1.8.2,
// pkg/provider/provider.go), which leaves a string field empty for a plain null, Null or NULL,
// all valid Key Vault secret names (intent: letters, digits, hyphens). A JSON string is a
// double-quoted YAML scalar, so std.escapeStringJson quotes it.
local objectEntry(o) =
  'objectName: ' + std.escapeStringJson(o.objectName) + '\nobjectType: secret\nobjectAlias: ' + std.escapeStringJson(o.fileName) + '\n';

local secretProviderClass(input, rev) =
  local ca = input.pluginCa;
  k.obj('secrets-store.csi.x-k8s.io/v1', 'SecretProviderClass', spcName(rev), input.namespaces.system, labels=k.revLabels(rev, { app: 'istiod' })) {
    spec: {
      provider: 'azure',
      parameters: {
        // The identity of the azure-keyvault-secrets-provider add-on (a user-assigned managed
        // identity on the nodes), which the add-on docs tell users to grant secret `get` on the vault.
        usePodIdentity: 'false',
        useVMManagedIdentity: 'true',
        userAssignedIdentityID: ca.identityClientId,
        keyvaultName: ca.keyVault.name,
        // The provider reads `tenantID` first and only then the deprecated `tenantId`
        // (Azure provider pkg/provider/types/parameters.go GetTenantID, v1.2.0 to v1.8.2).
        tenantID: ca.tenantId,
        objects: k.yaml({ array: [objectEntry(o) for o in ca.objects] }),
      } + (if ca.cloudName != null then { cloudName: ca.cloudName } else {}),
    },
  };

// Both functions are called only when input.pluginCa is set (main.jsonnet, istiod.libsonnet), so
// this file is not even imported for a mesh that uses istiod's self-signed CA.
{
  // The SecretProviderClass of one revision.
  revision(input, rev):: [secretProviderClass(input, rev)],

  // istiod's `cacerts` volume: a read-only CSI mount of the revision's SecretProviderClass.
  cacertsVolume(input, rev)::
    { name: 'cacerts', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: spcName(rev) } } },
}
