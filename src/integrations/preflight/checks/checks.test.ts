import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog } from '../../../catalog/catalog.js';
import type { ServiceMesh } from '../../../intent/types.js';
import type { ClusterSnapshot, LiveObject } from '../snapshot.js';
import type { PreflightContext } from './context.js';
import { checkCluster, PREFLIGHT_RULES } from './index.js';

const OURS = { 'app.kubernetes.io/managed-by': 'meshplane', 'meshplane.io/mesh': 'prod' };

function obj(apiVersion: string, kind: string, name: string, namespace?: string, labels: Record<string, string> = {}): LiveObject {
  return { apiVersion, kind, name, ...(namespace ? { namespace } : {}), labels };
}

const istiod = (rev: string, labels: Record<string, string> = OURS, ns = 'aks-istio-system', name = `istiod-${rev}`): LiveObject =>
  obj('apps/v1', 'Deployment', name, ns, { app: 'istiod', 'istio.io/rev': rev, ...labels });

function snapshot(over: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    server: 'https://k8s.example:443',
    version: { gitVersion: 'v1.32.3', major: '1', minor: '32' },
    groupVersions: ['apps/v1'],
    nodes: [
      { ...obj('v1', 'Node', 'linux-0', undefined, { 'kubernetes.io/os': 'linux' }), operatingSystem: 'linux' },
      { ...obj('v1', 'Node', 'win-0', undefined, { 'kubernetes.io/os': 'windows' }), operatingSystem: 'windows' },
      obj('v1', 'Node', 'vk-0', undefined, { type: 'virtual-kubelet' }),
    ],
    namespaces: [obj('v1', 'Namespace', 'shop', undefined, { 'istio.io/rev': 'asm-1-28' }), obj('v1', 'Namespace', 'plain')],
    pods: [],
    meshPods: [],
    deployments: [istiod('asm-1-28')],
    webhooks: [],
    crds: [],
    istioOperators: [],
    requests: 0,
    ...over,
  };
}

function intent(revisions: string[], extra: Partial<ServiceMesh['spec']> = {}): ServiceMesh {
  return { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'prod' }, spec: { mode: 'Istio', istio: { revisions }, ...extra } };
}

function ctx(cluster: ClusterSnapshot, mesh: ServiceMesh = intent(['asm-1-28'])): PreflightContext {
  return { cluster, intent: mesh, catalog: loadCatalog() };
}

const pod = (name: string, ns: string, node: string, labels: Record<string, string> = {}) => ({ ...obj('v1', 'Pod', name, ns, labels), nodeName: node });

interface Case {
  name: string;
  ctx: PreflightContext;
  /** Expected `severity ruleId resource` lines, in report order. */
  expect: string[];
}

const cases: Case[] = [
  { name: 'a clean cluster with our istiod', ctx: ctx(snapshot()), expect: [] },
  {
    name: 'OSM controller and a monitored namespace are errors; its CRD only warns',
    ctx: ctx(snapshot({
      deployments: [istiod('asm-1-28'), obj('apps/v1', 'Deployment', 'osm-controller', 'kube-system', { app: 'osm-controller' })],
      namespaces: [obj('v1', 'Namespace', 'legacy', undefined, { 'openservicemesh.io/monitored-by': 'osm' })],
      crds: [{ ...obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'meshconfigs.config.openservicemesh.io'), group: 'config.openservicemesh.io' }],
    })),
    expect: [
      'warning preflight-osm-installed apiextensions.k8s.io/CustomResourceDefinition/_cluster/meshconfigs.config.openservicemesh.io',
      'error preflight-osm-installed apps/Deployment/kube-system/osm-controller',
      'error preflight-osm-installed core/Namespace/_cluster/legacy',
    ],
  },
  {
    name: 'an unlabelled istiod, its injector and an IstioOperator are foreign',
    ctx: ctx(snapshot({
      deployments: [istiod('asm-1-28'), istiod('default', {}, 'istio-system', 'istiod')],
      webhooks: [{ ...obj('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'istio-sidecar-injector'), webhookNames: ['namespace.sidecar-injector.istio.io'] }],
      istioOperators: [obj('install.istio.io/v1alpha1', 'IstioOperator', 'installed-state', 'istio-system')],
    })),
    expect: [
      'error preflight-foreign-istio admissionregistration.k8s.io/MutatingWebhookConfiguration/_cluster/istio-sidecar-injector',
      'error preflight-foreign-istio apps/Deployment/istio-system/istiod',
      'error preflight-foreign-istio install.istio.io/IstioOperator/istio-system/installed-state',
    ],
  },
  {
    name: 'an istiod of another Meshplane mesh is foreign; a custom-named injector is found by its webhook names',
    ctx: ctx(snapshot({
      deployments: [istiod('asm-1-28', { ...OURS, 'meshplane.io/mesh': 'staging' }, 'aks-istio-system', 'istiod-staging')],
      webhooks: [
        { ...obj('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'my-injector'), webhookNames: ['rev.object.sidecar-injector.istio.io'] },
        { ...obj('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'istio-sidecar-injector-asm-1-28', undefined, OURS), webhookNames: ['rev.namespace.sidecar-injector.istio.io'] },
        { ...obj('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'cert-manager-webhook'), webhookNames: ['webhook.cert-manager.io'] },
      ],
    })),
    expect: [
      'error preflight-foreign-istio admissionregistration.k8s.io/MutatingWebhookConfiguration/_cluster/my-injector',
      'error preflight-foreign-istio apps/Deployment/aks-istio-system/istiod-staging',
    ],
  },
  {
    name: 'a managed istiod of a revision the intent dropped (older) is neither foreign nor a downgrade',
    ctx: ctx(snapshot({ deployments: [istiod('asm-1-27'), istiod('asm-1-28')] })),
    expect: [],
  },
  {
    name: 'Kubernetes below the revision range',
    ctx: ctx(snapshot({ version: { gitVersion: 'v1.29.7', major: '1', minor: '29' } })),
    expect: ['error preflight-kubernetes-incompatible meshplane.io/ServiceMesh/_cluster/prod'],
  },
  {
    name: 'Kubernetes above the range, reported once per revision of a canary pair',
    ctx: ctx(snapshot({ version: { gitVersion: 'v1.36.1', major: '1', minor: '36' } }), intent(['asm-1-27', 'asm-1-28'])),
    expect: ['error preflight-kubernetes-incompatible meshplane.io/ServiceMesh/_cluster/prod', 'error preflight-kubernetes-incompatible meshplane.io/ServiceMesh/_cluster/prod'],
  },
  {
    name: 'the LTS range applies on an LTS cluster (asm-1-25 LTS starts at 1.28)',
    ctx: ctx(snapshot({ version: { gitVersion: 'v1.28.15', major: '1', minor: '28' }, deployments: [], namespaces: [] }), intent(['asm-1-25'], { cluster: { tier: 'LTS' } })),
    expect: [],
  },
  {
    name: 'an AKS-style minor "32+" with an odd gitVersion still parses',
    ctx: ctx(snapshot({ version: { gitVersion: 'v1.32.3-aks.1', major: '1', minor: '32+' } })),
    expect: [],
  },
  {
    name: 'meshed pods on Windows and virtual nodes; unmeshed and opted-out pods pass',
    ctx: ctx(snapshot({
      pods: [
        pod('api-0', 'shop', 'win-0'),
        pod('web-0', 'shop', 'vk-0'),
        pod('iis-0', 'plain', 'win-0'),
        pod('batch-0', 'shop', 'vk-0', { 'sidecar.istio.io/inject': 'false' }),
        pod('web-1', 'shop', 'linux-0'),
      ],
    })),
    expect: ['error preflight-windows-workload core/Pod/shop/api-0', 'error preflight-virtual-node-workload core/Pod/shop/web-0'],
  },
  {
    name: 'a pod labelled istio.io/rev=<tag> in an unlabelled namespace is meshed too',
    ctx: ctx(snapshot({ pods: [pod('tagged-0', 'plain', 'win-0', { 'istio.io/rev': 'prod-stable' })] }), intent(['asm-1-28'], { tags: { 'prod-stable': 'asm-1-28' } })),
    expect: ['error preflight-windows-workload core/Pod/plain/tagged-0'],
  },
  {
    name: 'a namespace labelled for a revision nobody installs is not meshed (only the stale label is reported)',
    ctx: ctx(snapshot({ namespaces: [obj('v1', 'Namespace', 'old', undefined, { 'istio.io/rev': 'asm-1-20' })], pods: [pod('x', 'old', 'win-0')] })),
    expect: ['warning preflight-injection-revision-missing core/Namespace/_cluster/old'],
  },
  {
    name: 'a managed istiod newer than every intent revision is a downgrade',
    ctx: ctx(snapshot({ deployments: [istiod('asm-1-28')] }), intent(['asm-1-27'])),
    expect: ['error preflight-revision-downgrade apps/Deployment/aks-istio-system/istiod-asm-1-28', 'error preflight-injection-revision-missing core/Namespace/_cluster/shop'],
  },
  {
    name: 'rolling back through a canary pair is not a downgrade',
    ctx: ctx(snapshot({ deployments: [istiod('asm-1-28')] }), intent(['asm-1-27', 'asm-1-28'])),
    expect: [],
  },
];

describe('preflight checks', () => {
  for (const c of cases) {
    it(c.name, () => {
      const got = checkCluster(c.ctx).map((v) => `${v.severity} ${v.ruleId} ${v.resource}`);
      assert.deepEqual(got, c.expect);
    });
  }

  it('every violation has a message and a remediation, and rule ids are unique and prefixed', () => {
    const all = cases.flatMap((c) => checkCluster(c.ctx));
    assert.ok(all.length >= 12);
    for (const v of all) {
      assert.ok(v.message.length > 20, v.message);
      assert.ok(v.remediation.length > 20, v.remediation);
    }
    const ids = PREFLIGHT_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(ids.filter((id) => !id.startsWith('preflight-')), []);
  });

  it('names the live version and a supporting revision in the Kubernetes message', () => {
    const [v] = checkCluster(ctx(snapshot({ version: { gitVersion: 'v1.29.7', major: '1', minor: '29' } })));
    assert.match(v?.message ?? '', /asm-1-28 supports Kubernetes 1\.30–1\.35 .* v1\.29\.7/);
    assert.match(v?.remediation ?? '', /asm-1-27/);
  });
});
