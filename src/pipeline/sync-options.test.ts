import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, LocatedObject } from '../core/types.js';
import { decorate } from './decorate.js';
import { mergeSyncOptions, SYNC_OPTION_RULES, SYNC_OPTIONS, syncOptionsFor } from './sync-options.js';

function obj(apiVersion: string, kind: string, annotations?: Record<string, string>): KubeObject {
  return { apiVersion, kind, metadata: { name: 'x', ...(annotations ? { annotations } : {}) } };
}

describe('syncOptionsFor', () => {
  const cases: Array<{ name: string; object: KubeObject; expect: string[] }> = [
    { name: 'CRD → server-side apply', object: obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition'), expect: ['ServerSideApply=true'] },
    { name: 'PeerAuthentication (Istio CRD in the same sync)', object: obj('security.istio.io/v1', 'PeerAuthentication'), expect: ['SkipDryRunOnMissingResource=true'] },
    { name: 'Istio networking CR', object: obj('networking.istio.io/v1', 'Gateway'), expect: ['SkipDryRunOnMissingResource=true'] },
    { name: 'Azure managed Prometheus PodMonitor', object: obj('azmonitoring.coreos.com/v1', 'PodMonitor'), expect: ['SkipDryRunOnMissingResource=true'] },
    { name: 'Prometheus Operator ServiceMonitor', object: obj('monitoring.coreos.com/v1', 'ServiceMonitor'), expect: ['SkipDryRunOnMissingResource=true'] },
    { name: 'PrometheusRule', object: obj('monitoring.coreos.com/v1', 'PrometheusRule'), expect: ['SkipDryRunOnMissingResource=true'] },
    { name: 'GrafanaDashboard', object: obj('grafana.integreatly.org/v1beta1', 'GrafanaDashboard'), expect: ['SkipDryRunOnMissingResource=true'] },
    { name: 'SecretProviderClass', object: obj('secrets-store.csi.x-k8s.io/v1', 'SecretProviderClass'), expect: ['SkipDryRunOnMissingResource=true'] },
    { name: 'a built-in kind gets nothing', object: obj('apps/v1', 'Deployment'), expect: [] },
    { name: 'a core kind gets nothing', object: obj('v1', 'ConfigMap'), expect: [] },
    { name: 'another apiextensions kind is not a CRD', object: obj('apiextensions.k8s.io/v1', 'Other'), expect: [] },
    { name: 'webhook configurations need neither', object: obj('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration'), expect: [] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(syncOptionsFor(c.object), c.expect));

  it('every rule has options and a reason', () => {
    for (const r of SYNC_OPTION_RULES) {
      assert.ok(r.options.length > 0 && r.why.length > 10, JSON.stringify(r));
      for (const o of r.options) assert.match(o, /^[A-Za-z]+=[a-z]+$/);
    }
  });
});

describe('mergeSyncOptions', () => {
  const cases: Array<[string, string | undefined, string[], string]> = [
    ['no existing value', undefined, ['ServerSideApply=true'], 'ServerSideApply=true'],
    ['appends a missing option', 'Prune=false', ['ServerSideApply=true'], 'Prune=false,ServerSideApply=true'],
    ['keeps an option a template set, even with another value', 'ServerSideApply=false', ['ServerSideApply=true'], 'ServerSideApply=false'],
    ['trims spaces and drops empty items', ' Prune=false , ', ['Validate=false'], 'Prune=false,Validate=false'],
  ];
  for (const [name, existing, add, expect] of cases) it(name, () => assert.equal(mergeSyncOptions(existing, add), expect));
});

describe('decorate adds sync options', () => {
  function located(kind: 'rendered' | 'source', object: KubeObject): LocatedObject {
    return { object, origin: { file: 'f', line: 1, column: 1, kind } };
  }
  it('to rendered CRDs and Istio CRs, next to the wave', () => {
    const [crd, pa] = decorate([
      located('rendered', { ...obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition'), metadata: { name: 'c', labels: { 'meshplane.io/component': 'crds' } } }),
      located('rendered', obj('security.istio.io/v1', 'PeerAuthentication')),
    ], 'prod');
    assert.equal(crd?.object.metadata?.annotations?.[SYNC_OPTIONS], 'ServerSideApply=true');
    assert.equal(crd?.object.metadata?.annotations?.['argocd.argoproj.io/sync-wave'], '-6');
    assert.equal(pa?.object.metadata?.annotations?.[SYNC_OPTIONS], 'SkipDryRunOnMissingResource=true');
  });
  it('never to the source\'s own objects', () => {
    const src = located('source', obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition'));
    const [out] = decorate([src], 'prod');
    assert.equal(out?.object.metadata?.annotations, undefined);
  });
});
