import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/types.js';
import { joinPath, stripNoise } from './noise.js';

describe('stripNoise', () => {
  const cases: Array<{ name: string; type: string; obj: KubeObject; removed: string[] }> = [
    {
      name: 'every webhook caBundle',
      type: 'admissionregistration.k8s.io/MutatingWebhookConfiguration',
      obj: { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', webhooks: [{ clientConfig: { caBundle: 'A' } }, { clientConfig: { caBundle: 'B' } }] },
      removed: ['webhooks[0].clientConfig.caBundle', 'webhooks[1].clientConfig.caBundle'],
    },
    {
      name: 'no caBundle rule for a kind it does not name',
      type: 'core/ConfigMap',
      obj: { apiVersion: 'v1', kind: 'ConfigMap', webhooks: [{ clientConfig: { caBundle: 'A' } }] },
      removed: [],
    },
    {
      name: 'checksum annotations by prefix, not their neighbours',
      type: 'apps/Deployment',
      obj: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { annotations: { 'checksum/config': '1', 'checksum/secret': '2', 'checksumx': '3' } } },
      removed: ['metadata.annotations["checksum/config"]', 'metadata.annotations["checksum/secret"]'],
    },
    {
      name: 'chart and version labels, object and pod template',
      type: 'apps/Deployment',
      obj: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { labels: { 'helm.sh/chart': 'c-1', app: 'a' } }, spec: { template: { metadata: { labels: { 'app.kubernetes.io/version': '1' } } } } },
      removed: ['metadata.labels["helm.sh/chart"]', 'spec.template.metadata.labels["app.kubernetes.io/version"]'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const before = structuredClone(c.obj);
      const { object, removed } = stripNoise(c.obj, c.type);
      assert.deepEqual(removed.map((r) => r.path), c.removed);
      assert.deepEqual(c.obj, before, 'the input is not modified');
      assert.doesNotMatch(JSON.stringify(object), c.removed.length ? /caBundle|checksum\/|helm\.sh\/chart|app\.kubernetes\.io\/version/ : /^$/);
    });
  }
});

describe('joinPath', () => {
  const cases: Array<[string, string | number, string]> = [['', 'metadata', 'metadata'], ['a', 0, 'a[0]'], ['a', 'b', 'a.b'], ['a', 'x/y', 'a["x/y"]'], ['a', 'k.v', 'a["k.v"]']];
  for (const [at, key, want] of cases) it(`${at} + ${String(key)} → ${want}`, () => assert.equal(joinPath(at, key), want));
});
