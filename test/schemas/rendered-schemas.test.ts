/**
 * Every object of every example validates against its schema (docs/design.md, "Quality bars"; issue 3 "Must show"),
 * and no object goes unchecked for lack of a schema. The validators are exercised on broken
 * objects first, so a validator that accepts anything fails this test.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { KubeObject } from '../../src/core/types.js';
import { exampleNames, renderExample } from '../helpers/examples.js';
import { render } from '../../src/pipeline/render.js';
import { decodeAzureObjects, validateObject } from './object-validators.js';

function id(o: KubeObject): string {
  return `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? '-'}/${o.metadata?.name ?? '?'}`;
}

describe('the validators reject broken objects', () => {
  const broken: Array<{ name: string; obj: KubeObject; want: 'invalid' | 'no-schema' }> = [
    { name: 'Deployment with a numeric container name', obj: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { selector: {}, template: { spec: { containers: [{ name: 5 }] } } } }, want: 'invalid' },
    { name: 'Service with a string port', obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 'eighty' }] } }, want: 'invalid' },
    { name: 'azmonitoring PodMonitor with a bad endpoint list', obj: { apiVersion: 'azmonitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: 'x' }, spec: { selector: {}, podMetricsEndpoints: 'all' } }, want: 'invalid' },
    { name: 'PeerAuthentication v1 with a bad mTLS mode', obj: { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'x' }, spec: { mtls: { mode: 'ON' } } }, want: 'invalid' },
    { name: 'a kind nothing describes', obj: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } }, want: 'no-schema' },
  ];
  for (const c of broken) {
    it(c.name, async () => assert.equal((await validateObject(c.obj)).status, c.want));
  }
});

/** A GrafanaDashboard with `spec` merged over a valid one (grafanaCom source, one matchLabels entry). */
function dashboard(spec: Record<string, unknown>, drop: string[] = []): KubeObject {
  const base: Record<string, unknown> = { instanceSelector: { matchLabels: { dashboards: 'grafana' } }, grafanaCom: { id: 7645 }, ...spec };
  for (const k of drop) delete base[k];
  return { apiVersion: 'grafana.integreatly.org/v1beta1', kind: 'GrafanaDashboard', metadata: { name: 'x', namespace: 'n' }, spec: base };
}

describe('test/schemas/grafanadashboard.schema.json holds grafana-operator v5.24.0', () => {
  // Each row is one upstream rule; the file and tag are in the schema's descriptions.
  const cases: Array<{ name: string; obj: KubeObject; want: 'valid' | 'invalid' }> = [
    { name: 'a grafanaCom dashboard (as Meshplane renders it)', obj: dashboard({ allowCrossNamespaceImport: true, folder: 'Istio' }), want: 'valid' },
    { name: 'an empty instanceSelector (the CRD sets no minimum)', obj: dashboard({ instanceSelector: {} }), want: 'valid' },
    { name: 'json that is empty next to grafanaCom (the controller counts only a non-empty json)', obj: dashboard({ json: '' }), want: 'valid' },
    { name: 'no instanceSelector (CRD required)', obj: dashboard({}, ['instanceSelector']), want: 'invalid' },
    { name: 'two content sources (resolver.go: more than one source)', obj: dashboard({ json: '{"title":"t"}' }), want: 'invalid' },
    { name: 'no content source (resolver.go: no source)', obj: dashboard({}, ['grafanaCom']), want: 'invalid' },
    { name: 'oci next to grafanaCom (oci counts as a source since v5.24.0)', obj: dashboard({ oci: { reference: 'ghcr.io/a/b:v1', path: 'd.json' } }), want: 'invalid' },
    { name: 'folder with folderUID (CEL)', obj: dashboard({ folder: 'Istio', folderUID: 'abc' }), want: 'invalid' },
    { name: 'folderUID with folderRef (CEL)', obj: dashboard({ folderUID: 'abc', folderRef: 'f' }), want: 'invalid' },
    { name: 'a uid of 41 characters (CRD maxLength)', obj: dashboard({ uid: 'u'.repeat(41) }), want: 'invalid' },
    { name: 'a uid with a dot (CRD pattern)', obj: dashboard({ uid: 'a.b' }), want: 'invalid' },
    { name: 'a resyncPeriod that is no Go duration (CRD pattern)', obj: dashboard({ resyncPeriod: '5 minutes' }), want: 'invalid' },
    { name: 'a url that is not http(s) (CRD pattern), as the only source', obj: dashboard({ url: 'ftp://x/d.json' }, ['grafanaCom']), want: 'invalid' },
    { name: 'a grafanaCom id as a string (CRD integer)', obj: dashboard({ grafanaCom: { id: '7645' } }), want: 'invalid' },
    { name: 'a datasource mapping without datasourceName (CRD required)', obj: dashboard({ datasources: [{ inputName: 'DS' }] }), want: 'invalid' },
    { name: 'a configMapRef without key (CRD required), as the only source', obj: dashboard({ configMapRef: { name: 'cm' } }, ['grafanaCom']), want: 'invalid' },
    { name: 'an env without name (CRD required)', obj: dashboard({ envs: [{ value: 'v' }] }), want: 'invalid' },
    { name: 'a plugin with an empty name (CRD minLength)', obj: dashboard({ plugins: [{ name: '', version: '1.0.0' }] }), want: 'invalid' },
    { name: 'gzipJson that is not base64 (CRD format byte), as the only source', obj: dashboard({ gzipJson: 'not base64!' }, ['grafanaCom']), want: 'invalid' },
    // format byte as the API server checks it (object-validators.ts crdByteProblem; test/go-base64/crd-byte.test.ts asks Go).
    { name: 'gzipJson of a real gzip stream (of {"title":"t"}), as the only source', obj: dashboard({ gzipJson: 'H4sIAAAAAAAAA6tWKsksyUlVslIqUaoFAORi/0cNAAAA' }, ['grafanaCom']), want: 'valid' },
    { name: 'gzipJson "ab==" (non-zero trailing bits: Go\'s StdEncoding is not strict, the format pattern does not look)', obj: dashboard({ gzipJson: 'ab==' }, ['grafanaCom']), want: 'valid' },
    { name: 'gzipJson "abc" without its padding', obj: dashboard({ gzipJson: 'abc' }, ['grafanaCom']), want: 'invalid' },
    { name: 'gzipJson of one character', obj: dashboard({ gzipJson: 'A' }, ['grafanaCom']), want: 'invalid' },
    { name: 'gzipJson with padding after a full group', obj: dashboard({ gzipJson: 'QUJD==' }, ['grafanaCom']), want: 'invalid' },
    { name: 'gzipJson that is empty (the format pattern needs a group; Go would decode it)', obj: dashboard({ gzipJson: '' }, ['grafanaCom']), want: 'invalid' },
    { name: 'gzipJson wrapped over lines (Go would skip the line break; the format pattern refuses it)', obj: dashboard({ gzipJson: 'QUJD\nREVG' }, ['grafanaCom']), want: 'invalid' },
    { name: 'a jsonnetLib whose gzipJsonnetProject is not padded (CRD format byte)', obj: dashboard({ jsonnetLib: { fileName: 'd.jsonnet', gzipJsonnetProject: 'abc' } }, ['grafanaCom']), want: 'invalid' },
    { name: 'a jsonnetLib with a base64 gzipJsonnetProject', obj: dashboard({ jsonnetLib: { fileName: 'd.jsonnet', gzipJsonnetProject: 'QUJD' } }, ['grafanaCom']), want: 'valid' },
    { name: 'a matchExpressions entry without operator (LabelSelector)', obj: dashboard({ instanceSelector: { matchExpressions: [{ key: 'a' }] } }), want: 'invalid' },
    { name: 'a matchLabels value that is no label value (matches no Grafana)', obj: dashboard({ instanceSelector: { matchLabels: { dashboards: 'my grafana' } } }), want: 'invalid' },
    { name: 'a matchLabels key that is no label key (matches no Grafana)', obj: dashboard({ instanceSelector: { matchLabels: { 'a/b/c': 'x' } } }), want: 'invalid' },
    { name: 'a field the CRD does not have (pruned)', obj: dashboard({ folderName: 'Istio' }), want: 'invalid' },
  ];
  for (const c of cases) {
    it(`${c.want === 'valid' ? 'accepts' : 'rejects'} ${c.name}`, async () => {
      const r = await validateObject(c.obj);
      assert.equal(r.status, c.want, r.status === 'invalid' ? r.message : '');
    });
  }
});

/** An Azure SecretProviderClass with `parameters` merged over valid ones (the add-on identity, one secret). */
function spc(parameters: Record<string, unknown>, drop: string[] = [], spec: Record<string, unknown> = {}): KubeObject {
  const base: Record<string, unknown> = {
    usePodIdentity: 'false', useVMManagedIdentity: 'true', userAssignedIdentityID: '22222222-2222-2222-2222-222222222222',
    keyvaultName: 'mesh-kv', tenantId: '11111111-1111-1111-1111-111111111111', objects: objects('objectName: ca-cert\nobjectType: secret\nobjectAlias: ca-cert.pem\n'), ...parameters,
  };
  for (const k of drop) delete base[k];
  return { apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', metadata: { name: 'x', namespace: 'n' }, spec: { provider: 'azure', parameters: base, ...spec } };
}

/** The `objects` parameter with the given entries, in the provider's `array:` form. */
function objects(...entries: string[]): string {
  return `array:\n${entries.map((e) => `  - |\n${e.split('\n').filter((l) => l !== '').map((l) => `    ${l}\n`).join('')}`).join('')}`;
}

describe('test/schemas/secretproviderclass.schema.json holds the driver v1.6.0 and the Azure provider v1.8.2', () => {
  const cases: Array<{ name: string; obj: KubeObject; want: 'valid' | 'invalid' }> = [
    { name: 'the add-on identity reading one secret (as Meshplane renders it)', obj: spc({}), want: 'valid' },
    { name: 'tenantID instead of tenantId (read first since v1.2.0)', obj: spc({ tenantID: '11111111-1111-1111-1111-111111111111' }, ['tenantId']), want: 'valid' },
    { name: 'a plain numeric-looking object name (yaml.v3 keeps its text)', obj: spc({ objects: objects('objectName: 0123\nobjectType: secret') }), want: 'valid' },
    { name: 'a quoted object name null', obj: spc({ objects: objects('objectName: "null"\nobjectType: secret\nobjectAlias: ca-key.pem') }), want: 'valid' },
    { name: 'a numeric parameter (CRD: a string map)', obj: spc({ tenantId: 1 }), want: 'invalid' },
    { name: 'no provider (utils.go: provider not set)', obj: { apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', metadata: { name: 'x', namespace: 'n' }, spec: { parameters: { a: 'b' } } }, want: 'invalid' },
    { name: 'a provider name with a dot (provider_client.go pluginNameRe)', obj: spc({}, [], { provider: 'azure.v2' }), want: 'invalid' },
    { name: 'empty parameters (utils.go: parameters not set)', obj: spc({}, [], { parameters: {} }), want: 'invalid' },
    { name: 'a secretObjects entry with an unknown field (CRD)', obj: spc({}, [], { secretObjects: [{ secretName: 's', type: 'Opaque', dataa: [] }] }), want: 'invalid' },
    { name: 'no keyvaultName (provider.go)', obj: spc({}, ['keyvaultName']), want: 'invalid' },
    { name: 'a 2-character keyvaultName (getVaultURL)', obj: spc({ keyvaultName: 'kv' }), want: 'invalid' },
    { name: 'a keyvaultName with an underscore (getVaultURL)', obj: spc({ keyvaultName: 'mesh_kv' }), want: 'invalid' },
    { name: 'no tenant id (provider.go: tenantId is not provided)', obj: spc({}, ['tenantId']), want: 'invalid' },
    { name: 'a flag that ParseBool refuses', obj: spc({ useVMManagedIdentity: 'yes' }), want: 'invalid' },
    { name: 'two identity modes (provider.go: only one identity mode)', obj: spc({ usePodIdentity: 'True' }), want: 'invalid' },
    { name: 'useAzureTokenProxy without clientID (buildAuthConfig)', obj: spc({ useVMManagedIdentity: 'false', useAzureTokenProxy: '1' }), want: 'invalid' },
    { name: 'an unknown cloudName (go-autorest EnvironmentFromName)', obj: spc({ cloudName: 'AzureGovCloud' }), want: 'invalid' },
    { name: 'no objects (provider.go: objects is not set)', obj: spc({}, ['objects']), want: 'invalid' },
    { name: 'objects without `array` (StringArray)', obj: spc({ objects: 'objectName: ca-cert\nobjectType: secret\n' }), want: 'invalid' },
    { name: 'an objects entry that is a mapping, not a string', obj: spc({ objects: 'array:\n  - objectName: ca-cert\n    objectType: secret\n' }), want: 'invalid' },
    { name: 'objectType Secret (the switch is case-sensitive)', obj: spc({ objects: objects('objectName: a\nobjectType: Secret') }), want: 'invalid' },
    { name: 'objectType certificate (secret, key or cert)', obj: spc({ objects: objects('objectName: a\nobjectType: certificate') }), want: 'invalid' },
    { name: 'objectEncoding with objectType cert (validate.go)', obj: spc({ objects: objects('objectName: a\nobjectType: cert\nobjectEncoding: base64') }), want: 'invalid' },
    { name: 'an unknown objectEncoding (validate.go)', obj: spc({ objects: objects('objectName: a\nobjectType: secret\nobjectEncoding: latin1') }), want: 'invalid' },
    { name: 'objectFormat der (validate.go: pem or pfx)', obj: spc({ objects: objects('objectName: a\nobjectType: cert\nobjectFormat: der') }), want: 'invalid' },
    { name: 'objectFormat pfx with objectType key (validate.go)', obj: spc({ objects: objects('objectName: a\nobjectType: key\nobjectFormat: pfx') }), want: 'invalid' },
    { name: 'an objectAlias with .. (validateFileName)', obj: spc({ objects: objects('objectName: a\nobjectType: secret\nobjectAlias: ../ca.pem') }), want: 'invalid' },
    { name: 'an absolute objectAlias (validateFileName)', obj: spc({ objects: objects('objectName: a\nobjectType: secret\nobjectAlias: /etc/ca.pem') }), want: 'invalid' },
    { name: 'a filePermission that is not octal (GetFilePermission)', obj: spc({ objects: objects('objectName: a\nobjectType: secret\nfilePermission: 0648') }), want: 'invalid' },
    { name: 'a plain object name null (yaml.v3 leaves the field empty)', obj: spc({ objects: objects('objectName: null\nobjectType: secret\nobjectAlias: ca-key.pem') }), want: 'invalid' },
    { name: 'a misspelt entry field (the decoder would drop it)', obj: spc({ objects: objects('objectName: a\nobjectType: secret\nobjectAlais: a.pem') }), want: 'invalid' },
  ];
  for (const c of cases) {
    it(`${c.want === 'valid' ? 'accepts' : 'rejects'} ${c.name}`, async () => {
      const r = await validateObject(c.obj);
      assert.equal(r.status, c.want, r.status === 'invalid' ? r.message : '');
    });
  }
});

describe('decodeAzureObjects decodes as gopkg.in/yaml.v3 does into KeyVaultObject', () => {
  const cases: Array<{ name: string; objects: string; want: Array<Record<string, string>> | RegExp }> = [
    { name: 'block strings, values trimmed', objects: objects('objectName: ca-cert \nobjectType: secret'), want: [{ objectName: 'ca-cert', objectType: 'secret' }] },
    { name: 'plain scalars keep their text', objects: objects('objectName: 0123\nobjectType: secret\nobjectVersion: true'), want: [{ objectName: '0123', objectType: 'secret', objectVersion: 'true' }] },
    { name: 'null-like plain scalars become empty', objects: objects('objectName: NULL\nobjectType: secret\nobjectVersion: ~'), want: [{ objectName: '', objectType: 'secret', objectVersion: '' }] },
    { name: 'quoted null stays', objects: objects('objectName: "null"\nobjectType: secret'), want: [{ objectName: 'null', objectType: 'secret' }] },
    { name: 'no array', objects: 'objects: []\n', want: /no `array` list/ },
    { name: 'a nested value', objects: objects('objectName: {a: b}\nobjectType: secret'), want: /objectName is not a scalar/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = decodeAzureObjects(c.objects);
      if (c.want instanceof RegExp) assert.match('error' in r ? r.error : '', c.want);
      else assert.deepEqual('entries' in r ? r.entries : r, c.want);
    });
  }
});

describe('the plug-in CA objects survive the provider\'s decoding', () => {
  // Key Vault secret names are letters, digits and hyphens, so null, Null and NULL are valid
  // names; yaml.v3 would turn them, unquoted, into an empty objectName.
  for (const name of ['null', 'Null', 'NULL', '0123', 'true']) {
    it(`a Key Vault secret named ${name}`, async () => {
      const text = `apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: m}\nspec:\n  mode: Istio\n  cluster: {kubernetesVersion: "1.32"}\n  istio:\n    revisions: [asm-1-28]\n    certificateAuthority:\n      plugin:\n        keyVaultId: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/mesh-kv\n        certObjectName: "${name}"\n        keyObjectName: ca-key\n        rootCertObjectName: root-cert\n        certChainObjectName: cert-chain\n  keyVaultAccess: {tenantId: 11111111-1111-1111-1111-111111111111, identityClientId: 22222222-2222-2222-2222-222222222222}\n`;
      const rendered = (await render({ files: [{ path: 'mesh.yaml', text }], env: {} })).objects.map((o) => o.object);
      const spcObj = rendered.find((o) => o.kind === 'SecretProviderClass') as { spec: { parameters: { objects: string } } } | undefined;
      assert.ok(spcObj, 'a SecretProviderClass is rendered');
      const decoded = decodeAzureObjects(spcObj.spec.parameters.objects);
      assert.ok('entries' in decoded, JSON.stringify(decoded));
      assert.deepEqual(decoded.entries.find((e) => e.objectAlias === 'ca-cert.pem'), { objectName: name, objectType: 'secret', objectAlias: 'ca-cert.pem' });
      assert.equal((await validateObject(spcObj as unknown as KubeObject)).status, 'valid');
    });
  }
});

/** Grafana's uid rule (grafana/grafana pkg/util/shortid_generator.go at 07c364c: IsValidShortUID, IsShortUIDTooLong). */
const GRAFANA_UID = /^[a-zA-Z0-9\-_]{1,40}$/;

describe('the control-plane dashboard uid', () => {
  async function uid(meshName: string): Promise<string> {
    const text = `apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: ${meshName}}\nspec:\n  mode: Istio\n  cluster: {kubernetesVersion: "1.32"}\n  istio: {revisions: [asm-1-28]}\n  monitoring: {grafana: grafana-operator, grafanaInstanceSelector: {dashboards: grafana}}\n`;
    const rendered = (await render({ files: [{ path: 'mesh.yaml', text }], env: {} })).objects.map((o) => o.object);
    const d = rendered.find((o) => o.kind === 'GrafanaDashboard' && o.metadata?.name === 'meshplane-control-plane') as { spec: { json: string } } | undefined;
    assert.ok(d);
    return (JSON.parse(d.spec.json) as { uid: string }).uid;
  }
  it('is meshplane-cp-<mesh> while that fits in 40 characters', async () => {
    assert.equal(await uid('prod'), 'meshplane-cp-prod');
    assert.equal(await uid('p'.repeat(27)), `meshplane-cp-${'p'.repeat(27)}`);
  });
  it('stays a valid Grafana uid, and differs for long mesh names that share their first 27 characters', async () => {
    const prefix = 'contoso-payments-prod-westeu';
    const a = await uid(`${prefix}-01`);
    const b = await uid(`${prefix}-02`);
    assert.match(a, GRAFANA_UID);
    assert.match(b, GRAFANA_UID);
    assert.notEqual(a, b, 'a fleet sharing one Grafana keeps one dashboard per mesh');
  });
});

for (const example of exampleNames()) {
  describe(`examples/${example}: every object has a schema and matches it`, () => {
    let objects: KubeObject[] = [];
    before(async () => {
      objects = await renderExample(example);
    });

    it('renders objects', () => assert.ok(objects.length > 0));

    it('validates each object', async () => {
      const problems: string[] = [];
      for (const o of objects) {
        const r = await validateObject(o);
        if (r.status === 'no-schema') problems.push(`${id(o)}: no schema`);
        if (r.status === 'invalid') problems.push(`${id(o)}: ${r.schema}: ${r.message}`);
      }
      assert.deepEqual(problems, []);
    });

    it('embeds parseable documents (mesh config YAML, dashboard JSON, Key Vault objects)', () => {
      for (const o of objects) {
        const data = (o as { data?: Record<string, string> }).data;
        if (o.kind === 'ConfigMap' && data?.mesh !== undefined) assert.equal(typeof parse(data.mesh), 'object', id(o));
        if (o.kind === 'GrafanaDashboard') {
          const json = (o as unknown as { spec: { json?: string } }).spec.json;
          if (json !== undefined) {
            const model = JSON.parse(json) as { panels?: unknown; title?: unknown; uid?: unknown };
            assert.ok(Array.isArray(model.panels), id(o));
            // Grafana refuses an empty title (pkg/services/dashboards ErrDashboardTitleEmpty) and a
            // uid that breaks GRAFANA_UID; the operator sends the model's uid as it is.
            assert.ok(typeof model.title === 'string' && model.title.trim() !== '', `${id(o)}: title`);
            assert.match(String(model.uid), GRAFANA_UID, `${id(o)}: uid`);
          }
        }
        if (o.kind === 'SecretProviderClass') {
          const decoded = decodeAzureObjects((o as unknown as { spec: { parameters: { objects: string } } }).spec.parameters.objects);
          assert.ok('entries' in decoded, id(o));
          assert.deepEqual(decoded.entries.map((e) => e.objectAlias).sort(), ['ca-cert.pem', 'ca-key.pem', 'cert-chain.pem', 'root-cert.pem'], id(o));
        }
      }
    });
  });
}
