/**
 * Telling the managed AKS add-on apart from foreign Istio and from this mesh. The add-on's labels
 * in these cases are the ones published for an add-on cluster (`kubectl get all -n
 * aks-istio-system --show-labels`, VijayRod/demo container-storage/logs/k8s-servicemesh-istio.md)
 * and the `release` label of istio/istio 1.28.0's istiod chart with the add-on's release name.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog } from '../../../catalog/catalog.js';
import type { ServiceMesh } from '../../../intent/types.js';
import type { ClusterSnapshot, LiveObject, LiveWebhookConfiguration } from '../snapshot.js';
import { addonMarkers, isAksAddonObject } from './aks-addon.js';
import { checkCluster } from './index.js';

const OURS = { 'app.kubernetes.io/managed-by': 'meshplane', 'meshplane.io/mesh': 'prod' };
/** The istiod Deployment's labels on an add-on cluster, as published (asm-1-17 there; 1-28 here). */
const ADDON_ISTIOD = {
  'app.kubernetes.io/managed-by': 'Helm', 'helm.toolkit.fluxcd.io/name': 'azure-service-mesh-istio-discovery-helmrelease', 'helm.toolkit.fluxcd.io/namespace': '6554954d660fc400012c5a60',
  'install.operator.istio.io/owning-resource': 'unknown', istio: 'pilot', 'kubernetes.azure.com/managedby': 'aks', 'operator.istio.io/component': 'Pilot', release: 'azure-service-mesh-istio-discovery',
};
/** Upstream istioctl/Helm install in istio-system: the chart's labels with a user's release name. */
const HELM_ISTIOD = { 'app.kubernetes.io/managed-by': 'Helm', istio: 'pilot', release: 'istiod' };

const istiod = (name: string, ns: string, rev: string, labels: Record<string, string>): LiveObject =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: ns, labels: { app: 'istiod', 'istio.io/rev': rev, ...labels } });
const injector = (name: string, rev: string, labels: Record<string, string>): LiveWebhookConfiguration =>
  ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', name, labels: { app: 'sidecar-injector', 'istio.io/rev': rev, ...labels }, webhookNames: ['rev.namespace.sidecar-injector.istio.io'] });

function snapshot(deployments: LiveObject[], webhooks: LiveWebhookConfiguration[] = []): ClusterSnapshot {
  return {
    server: 'https://k8s.example:443', version: { gitVersion: 'v1.32.3', major: '1', minor: '32' }, groupVersions: ['apps/v1'],
    nodes: [], namespaces: [], pods: [], meshPods: [], deployments, webhooks, crds: [], istioOperators: [], requests: 0,
  };
}

const intent: ServiceMesh = { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'prod' }, spec: { mode: 'Istio', istio: { revisions: ['asm-1-28'] } } };
const run = (s: ClusterSnapshot): string[] => checkCluster({ cluster: s, intent, catalog: loadCatalog() }).map((v) => `${v.severity} ${v.ruleId} ${v.resource}`);

describe('isAksAddonObject: which labels mark the add-on', () => {
  const cases: Array<{ name: string; labels: Record<string, string>; markers: string[] }> = [
    { name: 'the published add-on istiod labels', labels: ADDON_ISTIOD, markers: ['kubernetes.azure.com/managedby=aks', 'helm.toolkit.fluxcd.io/name=azure-service-mesh-istio-discovery-helmrelease', 'release=azure-service-mesh-istio-discovery'] },
    { name: 'AKS\'s managedby label alone', labels: { 'kubernetes.azure.com/managedby': 'aks' }, markers: ['kubernetes.azure.com/managedby=aks'] },
    { name: 'the add-on\'s Helm release alone (the chart\'s webhook labels)', labels: { release: 'azure-service-mesh-istio-discovery' }, markers: ['release=azure-service-mesh-istio-discovery'] },
    { name: 'a user\'s Helm release', labels: HELM_ISTIOD, markers: [] },
    { name: 'a user\'s Flux HelmRelease', labels: { 'helm.toolkit.fluxcd.io/name': 'istiod' }, markers: [] },
    { name: 'managedby with another value', labels: { 'kubernetes.azure.com/managedby': 'sig-cluster' }, markers: [] },
    { name: 'Meshplane\'s own labels (same names as the add-on)', labels: OURS, markers: [] },
    { name: 'the component label Meshplane renders too', labels: { 'azureservicemesh/istio.component': 'egress-gateway' }, markers: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(addonMarkers({ labels: c.labels }), c.markers);
      assert.equal(isAksAddonObject({ labels: c.labels }), c.markers.length > 0);
    });
  }
});

describe('preflight: the managed add-on vs foreign Istio vs this mesh', () => {
  const cases: Array<{ name: string; cluster: ClusterSnapshot; expect: string[] }> = [
    {
      name: 'managed add-on only: named as the add-on, not as foreign Istio',
      cluster: snapshot([istiod('istiod-asm-1-28', 'aks-istio-system', 'asm-1-28', ADDON_ISTIOD)], [injector('istio-sidecar-injector-asm-1-28-aks-istio-system', 'asm-1-28', { release: 'azure-service-mesh-istio-discovery' })]),
      expect: [
        'error preflight-aks-addon-present admissionregistration.k8s.io/MutatingWebhookConfiguration/_cluster/istio-sidecar-injector-asm-1-28-aks-istio-system',
        'error preflight-aks-addon-present apps/Deployment/aks-istio-system/istiod-asm-1-28',
      ],
    },
    {
      name: 'foreign Istio only: the foreign-istio stop',
      cluster: snapshot([istiod('istiod', 'istio-system', 'default', HELM_ISTIOD)], [injector('istio-sidecar-injector', 'default', { release: 'istiod' })]),
      expect: [
        'error preflight-foreign-istio admissionregistration.k8s.io/MutatingWebhookConfiguration/_cluster/istio-sidecar-injector',
        'error preflight-foreign-istio apps/Deployment/istio-system/istiod',
      ],
    },
    {
      name: 'mixed: add-on canary, a foreign istiod and this mesh\'s istiod, each reported by its own rule',
      cluster: snapshot([
        istiod('istiod-asm-1-27', 'aks-istio-system', 'asm-1-27', ADDON_ISTIOD),
        istiod('istiod-asm-1-28', 'aks-istio-system', 'asm-1-28', ADDON_ISTIOD),
        istiod('istiod', 'istio-system', 'default', HELM_ISTIOD),
        istiod('istiod-asm-1-28', 'mesh-b', 'asm-1-28', OURS),
      ]),
      expect: [
        'error preflight-aks-addon-present apps/Deployment/aks-istio-system/istiod-asm-1-27',
        'error preflight-aks-addon-present apps/Deployment/aks-istio-system/istiod-asm-1-28',
        'error preflight-foreign-istio apps/Deployment/istio-system/istiod',
      ],
    },
    {
      name: 'the same names with Meshplane\'s labels only: nothing to report',
      cluster: snapshot([istiod('istiod-asm-1-28', 'aks-istio-system', 'asm-1-28', OURS)], [injector('istio-sidecar-injector-asm-1-28-aks-istio-system', 'asm-1-28', OURS)]),
      expect: [],
    },
    {
      name: 'a sync applied over the add-on (both label sets): still the add-on',
      cluster: snapshot([istiod('istiod-asm-1-28', 'aks-istio-system', 'asm-1-28', { ...ADDON_ISTIOD, ...OURS })]),
      expect: ['error preflight-aks-addon-present apps/Deployment/aks-istio-system/istiod-asm-1-28'],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(run(c.cluster), c.expect));

  it('names the add-on, its markers and the migration steps with the runbook', () => {
    const [v] = checkCluster({ cluster: snapshot([istiod('istiod-asm-1-28', 'aks-istio-system', 'asm-1-28', ADDON_ISTIOD)]), intent, catalog: loadCatalog() });
    assert.ok(v);
    assert.match(v.message, /^istiod aks-istio-system\/istiod-asm-1-28 \(revision asm-1-28\) belongs to the managed AKS Istio add-on \(kubernetes\.azure\.com\/managedby=aks, /);
    assert.doesNotMatch(v.message, /also carries/);
    for (const step of [/docs\/migrate-from-aks-addon\.md/, /meshplane import --aks/, /az aks mesh disable -g <resource-group> -n <cluster>/, /meshplane preflight/]) assert.match(v.remediation, step);
  });

  it('says when a sync was applied over the add-on', () => {
    const [v] = checkCluster({ cluster: snapshot([istiod('istiod-asm-1-28', 'aks-istio-system', 'asm-1-28', { ...ADDON_ISTIOD, ...OURS })]), intent, catalog: loadCatalog() });
    assert.match(v?.message ?? '', /also carries mesh "prod"'s labels/);
  });
});
