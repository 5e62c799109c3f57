/**
 * The plug-in CA's `objects` parameter read by the real gopkg.in/yaml.v3, the parser the Azure
 * Key Vault provider decodes it with (Azure/secrets-store-csi-driver-provider-azure v1.8.2,
 * pkg/provider/types/parameters.go GetObjectsArray, then provider.go into KeyVaultObject). Into a
 * Go string field yaml.v3 keeps a scalar's text unless the scalar resolves to null, which leaves
 * the field empty (yaml.v3 v3.0.1 decode.go `scalar` and `null`). Key Vault secret names are
 * letters, digits and hyphens, so `null`, `Null` and `NULL` are valid names: every rendered entry
 * must resolve to !!str and read back as the exact name. The same readings check the test
 * emulation decodeAzureObjects (test/schemas/object-validators.ts) where they overlap.
 *
 * Needs the Go toolchain and Debian's Go YAML sources, as test/go-yaml/go-yaml.test.ts does.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { render } from '../../src/pipeline/render.js';
import { decodeAzureObjects } from '../schemas/object-validators.js';
import { readWithGo, type GoParser, type GoReading } from './go-parsers.js';

/** Secret names that are valid in Key Vault and that YAML would resolve to something other than a string if unquoted. */
const NAMES = ['null', 'Null', 'NULL', 'true', 'False', '0123', '0x1F', '1e3', 'ca-cert'];

function intent(certName: string): string {
  return `apiVersion: meshplane.io/v1alpha1
kind: ServiceMesh
metadata: {name: m}
spec:
  mode: Istio
  cluster: {kubernetesVersion: "1.32"}
  istio:
    revisions: [asm-1-28]
    certificateAuthority:
      plugin:
        keyVaultId: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/mesh-kv
        certObjectName: "${certName}"
        keyObjectName: ca-key
        rootCertObjectName: root-cert
        certChainObjectName: cert-chain
  keyVaultAccess: {tenantId: 11111111-1111-1111-1111-111111111111, identityClientId: 22222222-2222-2222-2222-222222222222}
`;
}

describe('gopkg.in/yaml.v3 reads every rendered Key Vault object name as that name', () => {
  const outer: string[] = [];
  let entries: string[][] = [];
  let readings: Array<Record<GoParser, GoReading>> = [];
  before(async () => {
    for (const name of NAMES) {
      const objects = (await render({ files: [{ path: 'mesh.yaml', text: intent(name) }], env: {} })).objects.map((o) => o.object);
      const spc = objects.find((o) => o.kind === 'SecretProviderClass') as unknown as { spec: { parameters: { objects: string } } };
      outer.push(spc.spec.parameters.objects);
    }
    const arrays = readWithGo(outer).map((r) => (r['gopkg.in/yaml.v3'].json as { array: string[] }).array);
    entries = arrays;
    readings = readWithGo(arrays.flat());
  });

  for (const [i, name] of NAMES.entries()) {
    it(`a secret named ${name}`, () => {
      const list = entries[i] ?? [];
      assert.equal(list.length, 4, 'four entries in objects.array');
      const offset = entries.slice(0, i).reduce((n, a) => n + a.length, 0);
      const mine = decodeAzureObjects(outer[i] ?? '');
      assert.ok('entries' in mine, JSON.stringify(mine));
      for (const [j] of list.entries()) {
        const r = readings[offset + j]!;
        const tags = r['gopkg.in/yaml.v3 tags'].json as Record<string, string>;
        assert.deepEqual(Object.values(tags), ['!!str', '!!str', '!!str'], `entry ${j}: every value resolves to a string (${JSON.stringify(tags)})`);
        assert.deepEqual(mine.entries[j], r['gopkg.in/yaml.v3'].json, `entry ${j}: the test emulation agrees with yaml.v3`);
      }
      const cert = readings.slice(offset, offset + list.length).map((r) => r['gopkg.in/yaml.v3'].json as Record<string, string>).find((e) => e.objectAlias === 'ca-cert.pem');
      assert.deepEqual(cert, { objectName: name, objectType: 'secret', objectAlias: 'ca-cert.pem' });
    });
  }

  it('the harness sees the failure the quoting prevents: a plain null resolves to !!null', () => {
    const [plain] = readWithGo(['objectName: null\nobjectType: secret\n']);
    assert.deepEqual(plain!['gopkg.in/yaml.v3 tags'].json, { '!!str objectName': '!!null', '!!str objectType': '!!str' });
    const mine = decodeAzureObjects('array:\n  - |\n    objectName: null\n    objectType: secret\n');
    assert.deepEqual('entries' in mine ? mine.entries : mine, [{ objectName: '', objectType: 'secret' }]);
  });
});
