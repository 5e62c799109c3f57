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
    {
      name: 'a CRD conversion webhook caBundle (the CRD only)',
      type: 'apiextensions.k8s.io/CustomResourceDefinition',
      obj: { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', spec: { conversion: { strategy: 'Webhook', webhook: { clientConfig: { caBundle: 'Q0E=', service: { name: 's' } } } } } },
      removed: ['spec.conversion.webhook.clientConfig.caBundle'],
    },
    {
      name: 'a validating webhook caBundle',
      type: 'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
      obj: { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', webhooks: [{ clientConfig: { caBundle: 'A' } }] },
      removed: ['webhooks[0].clientConfig.caBundle'],
    },
    {
      name: 'the pod template: checksum annotations, chart and version labels',
      type: 'apps/Deployment',
      obj: { apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { metadata: { annotations: { 'checksum/cm': 'x', other: 'y' }, labels: { 'helm.sh/chart': 'c', app: 'a' } } } } },
      removed: ['spec.template.metadata.annotations["checksum/cm"]', 'spec.template.metadata.labels["helm.sh/chart"]'],
    },
    {
      name: 'the object\'s version label; sorted by path, not by rule',
      type: 'apps/Deployment',
      obj: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { labels: { 'app.kubernetes.io/version': '1.2', 'helm.sh/chart': 'c-1' } }, spec: { template: { metadata: { annotations: { 'checksum/a': '1' } } } } },
      removed: ['metadata.labels["app.kubernetes.io/version"]', 'metadata.labels["helm.sh/chart"]', 'spec.template.metadata.annotations["checksum/a"]'],
    },
    {
      name: 'null and absent parents are not noise (and do not crash)',
      type: 'admissionregistration.k8s.io/MutatingWebhookConfiguration',
      obj: { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: null, webhooks: [null, { clientConfig: null }, {}] } as unknown as KubeObject,
      removed: [],
    },
    {
      name: 'a field present with an undefined value is not listed as hidden',
      type: 'core/ConfigMap',
      obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { labels: { 'helm.sh/chart': undefined } } } as unknown as KubeObject,
      removed: [],
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

describe('stripNoise with custom rules', () => {
  it('removes each matching value and reports it with the value, so a change to noise can be told apart', () => {
    const obj: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { annotations: { 'x/a': '1' } }, data: { k: 'v', j: 'w' } };
    const { object, removed } = stripNoise(obj, 'core/ConfigMap', [{ id: 'data', path: ['data', '*'] }, { id: 'x', kinds: ['core/ConfigMap'], path: ['metadata', 'annotations', { prefix: 'x/' }] }]);
    assert.deepEqual(removed, [{ path: 'data.j', value: 'w' }, { path: 'data.k', value: 'v' }, { path: 'metadata.annotations["x/a"]', value: '1' }]);
    assert.deepEqual(object, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { annotations: {} }, data: {} });
  });
});
