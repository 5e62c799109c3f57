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
import { validateObject } from './object-validators.js';

function id(o: KubeObject): string {
  return `${o.apiVersion} ${o.kind} ${o.metadata?.namespace ?? '-'}/${o.metadata?.name ?? '?'}`;
}

describe('the validators reject broken objects', () => {
  const broken: Array<{ name: string; obj: KubeObject; want: 'invalid' | 'no-schema' }> = [
    { name: 'Deployment with a numeric container name', obj: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { selector: {}, template: { spec: { containers: [{ name: 5 }] } } } }, want: 'invalid' },
    { name: 'Service with a string port', obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 'eighty' }] } }, want: 'invalid' },
    { name: 'azmonitoring PodMonitor with a bad endpoint list', obj: { apiVersion: 'azmonitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: 'x' }, spec: { selector: {}, podMetricsEndpoints: 'all' } }, want: 'invalid' },
    { name: 'PeerAuthentication v1 with a bad mTLS mode', obj: { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'x' }, spec: { mtls: { mode: 'ON' } } }, want: 'invalid' },
    { name: 'GrafanaDashboard without instanceSelector', obj: { apiVersion: 'grafana.integreatly.org/v1beta1', kind: 'GrafanaDashboard', metadata: { name: 'x', namespace: 'n' }, spec: { grafanaCom: { id: 1 } } }, want: 'invalid' },
    { name: 'SecretProviderClass with a numeric parameter', obj: { apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', metadata: { name: 'x', namespace: 'n' }, spec: { provider: 'azure', parameters: { tenantId: 1 } } }, want: 'invalid' },
    { name: 'a kind nothing describes', obj: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } }, want: 'no-schema' },
  ];
  for (const c of broken) {
    it(c.name, async () => assert.equal((await validateObject(c.obj)).status, c.want));
  }
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
          if (json !== undefined) assert.ok(Array.isArray((JSON.parse(json) as { panels?: unknown }).panels), id(o));
        }
        if (o.kind === 'SecretProviderClass') {
          const objs = parse((o as unknown as { spec: { parameters: { objects: string } } }).spec.parameters.objects) as { array: string[] };
          assert.deepEqual(objs.array.map((s) => (parse(s) as { objectAlias: string }).objectAlias).sort(), ['ca-cert.pem', 'ca-key.pem', 'cert-chain.pem', 'root-cert.pem'], id(o));
        }
      }
    });
  });
}
