/**
 * preflight-injection-revision-missing and preflight-sidecar-revision-removed over inline
 * snapshots: Istio's selector rules (namespace label, pod label only in an unlabelled namespace,
 * any istio-injection label switching revision injection off, sidecar.istio.io/inject=false),
 * the severity split (served now by this mesh = error, served by nothing = warning), and what
 * every finding says.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog } from '../../../catalog/catalog.js';
import type { ServiceMesh } from '../../../intent/types.js';
import { parseSourceFile } from '../../../pipeline/load.js';
import type { ClusterSnapshot, LiveObject, LivePod, LiveWebhookConfiguration, PodController } from '../snapshot.js';
import type { PreflightContext } from './context.js';
import { injectionRevisionMissingRule, sidecarRevisionRemovedRule } from './injection-orphans.js';

const OURS = { 'app.kubernetes.io/managed-by': 'meshplane', 'meshplane.io/mesh': 'prod' };

const ns = (name: string, labels: Record<string, string> = {}): LiveObject => ({ apiVersion: 'v1', kind: 'Namespace', name, labels });
const istiod = (rev: string, labels: Record<string, string> = OURS): LiveObject =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', name: `istiod-${rev}`, namespace: 'aks-istio-system', labels: { app: 'istiod', 'istio.io/rev': rev, ...labels } });
const tagHook = (tag: string, rev: string, labels: Record<string, string> = OURS): LiveWebhookConfiguration =>
  ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', name: `istio-revision-tag-${tag}-aks-istio-system`, labels: { 'istio.io/tag': tag, 'istio.io/rev': rev, ...labels }, webhookNames: ['rev.namespace.sidecar-injector.istio.io'] });
const pod = (name: string, namespace: string, extra: { labels?: Record<string, string>; sidecar?: string; controller?: PodController; phase?: string } = {}): LivePod =>
  ({ apiVersion: 'v1', kind: 'Pod', name, namespace, labels: extra.labels ?? {}, ...(extra.sidecar ? { sidecarRevision: extra.sidecar } : {}), ...(extra.controller ? { controller: extra.controller } : {}), ...(extra.phase ? { phase: extra.phase } : {}) });
/** A pod of Deployment `deployment`: owned by ReplicaSet <deployment>-<hash>, labelled pod-template-hash=<hash>. */
let podSerial = 0;
const deployPod = (deployment: string, namespace: string, extra: { labels?: Record<string, string>; sidecar?: string } = {}): LivePod =>
  pod(`${deployment}-5c8d7f-p${++podSerial}`, namespace, { ...extra, labels: { ...extra.labels, 'pod-template-hash': '5c8d7f' }, controller: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${deployment}-5c8d7f` } });

function ctx(over: Partial<ClusterSnapshot>, revisions: string[] = ['asm-1-28'], tags?: Record<string, string>): PreflightContext {
  const cluster: ClusterSnapshot = {
    server: 'https://k8s.example:443', version: { gitVersion: 'v1.32.3', major: '1', minor: '32' }, groupVersions: [],
    nodes: [], namespaces: [], pods: [], meshPods: [], deployments: [istiod('asm-1-27'), istiod('asm-1-28')], webhooks: [], crds: [], istioOperators: [], requests: 0,
    ...over,
  };
  const intent: ServiceMesh = { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'prod' }, spec: { mode: 'Istio', istio: { revisions }, ...(tags ? { tags } : {}) } };
  return { cluster, intent, catalog: loadCatalog() };
}

const run = (c: PreflightContext): string[] =>
  [injectionRevisionMissingRule, sidecarRevisionRemovedRule].flatMap((r) => r.check(c)).map((v) => `${v.severity} ${v.ruleId} ${v.resource}`);

const MISSING = 'preflight-injection-revision-missing';
const REMOVED = 'preflight-sidecar-revision-removed';

const cases: Array<[name: string, ctx: PreflightContext, expect: string[]]> = [
  ['namespaces on installed revisions and tags pass', ctx({ namespaces: [ns('a', { 'istio.io/rev': 'asm-1-28' }), ns('b', { 'istio.io/rev': 'stable' }), ns('c')] }, ['asm-1-28'], { stable: 'asm-1-28' }), []],
  ['complete: a namespace still labelled with the revision the sync removes is an error', ctx({ namespaces: [ns('legacy', { 'istio.io/rev': 'asm-1-27' })] }), [`error ${MISSING} core/Namespace/_cluster/legacy`]],
  ['a label naming a revision nothing serves only warns (already unmeshed)', ctx({ namespaces: [ns('old', { 'istio.io/rev': 'asm-1-20' })] }), [`warning ${MISSING} core/Namespace/_cluster/old`]],
  ['an istio-injection label of any value turns revision injection off: not reported', ctx({ namespaces: [ns('off', { 'istio.io/rev': 'asm-1-27', 'istio-injection': 'disabled' }), ns('legacy', { 'istio.io/rev': 'asm-1-27', 'istio-injection': 'enabled' })] }), []],
  ['a tag the intent drops while its managed webhook serves it is an error', ctx({ namespaces: [ns('web', { 'istio.io/rev': 'canary' })], webhooks: [tagHook('canary', 'asm-1-28')] }), [`error ${MISSING} core/Namespace/_cluster/web`]],
  ['a tag webhook of another mesh does not make it this sync\'s doing', ctx({ namespaces: [ns('web', { 'istio.io/rev': 'canary' })], webhooks: [tagHook('canary', 'asm-1-28', {})] }), [`warning ${MISSING} core/Namespace/_cluster/web`]],
  ['an istiod of another mesh does not make it this sync\'s doing', ctx({ namespaces: [ns('legacy', { 'istio.io/rev': 'asm-1-26' })], deployments: [istiod('asm-1-26', {}), istiod('asm-1-28')] }), [`warning ${MISSING} core/Namespace/_cluster/legacy`]],
  [
    'a pod label picks the injector only in a namespace without injection labels',
    ctx({
      namespaces: [ns('jobs'), ns('shop', { 'istio.io/rev': 'asm-1-28' }), ns('off', { 'istio-injection': 'disabled' })],
      meshPods: [
        pod('report-0', 'jobs', { labels: { 'istio.io/rev': 'asm-1-27' } }),
        pod('report-1', 'jobs', { labels: { 'istio.io/rev': 'asm-1-27' } }),
        pod('skip-0', 'jobs', { labels: { 'istio.io/rev': 'asm-1-27', 'sidecar.istio.io/inject': 'false' } }),
        pod('ok-0', 'jobs', { labels: { 'istio.io/rev': 'asm-1-28' } }),
        pod('cart-0', 'shop', { labels: { 'istio.io/rev': 'asm-1-27' } }),
        pod('x-0', 'off', { labels: { 'istio.io/rev': 'asm-1-27' } }),
      ],
    }),
    [`error ${MISSING} core/Pod/jobs/report-0`],
  ],
  [
    'running sidecars of a revision the sync removes: one error per namespace and revision',
    ctx({
      namespaces: [ns('payments', { 'istio.io/rev': 'asm-1-28' }), ns('shop', { 'istio.io/rev': 'asm-1-28' })],
      meshPods: [pod('api-0', 'payments', { sidecar: 'asm-1-27' }), pod('api-1', 'payments', { sidecar: 'asm-1-27' }), pod('cart-0', 'shop', { sidecar: 'asm-1-28' }), pod('cart-1', 'shop', { sidecar: 'asm-1-27' })],
    }),
    [`error ${REMOVED} core/Pod/payments/api-0`, `error ${REMOVED} core/Pod/shop/cart-1`],
  ],
  ['sidecars of a revision already gone only warn', ctx({ namespaces: [ns('shop', { 'istio.io/rev': 'asm-1-28' })], meshPods: [pod('cart-0', 'shop', { sidecar: 'asm-1-25' })] }), [`warning ${REMOVED} core/Pod/shop/cart-0`]],
  [
    'istiod and gateway pods are the mesh\'s own: the sync replaces them',
    ctx({
      namespaces: [ns('aks-istio-system'), ns('aks-istio-ingress'), ns('egress')],
      meshPods: [
        pod('istiod-asm-1-27-abc', 'aks-istio-system', { labels: { app: 'istiod', 'istio.io/rev': 'asm-1-27', 'app.kubernetes.io/part-of': 'istio' } }),
        pod('gw-asm-1-27-abc', 'aks-istio-ingress', { labels: { 'istio.io/rev': 'asm-1-27' }, sidecar: 'asm-1-27' }),
        pod('egress-asm-1-27-abc', 'egress', { labels: { 'istio.io/rev': 'asm-1-27', 'app.kubernetes.io/part-of': 'istio' }, sidecar: 'asm-1-27' }),
      ],
    }),
    [],
  ],
  ['a canary pair keeps both revisions: nothing to report', ctx({ namespaces: [ns('legacy', { 'istio.io/rev': 'asm-1-27' })], meshPods: [pod('a', 'legacy', { sidecar: 'asm-1-27' })] }, ['asm-1-27', 'asm-1-28']), []],
];

describe('preflight injection orphans', () => {
  for (const [name, c, expect] of cases) {
    it(name, () => assert.deepEqual(run(c), expect));
  }

  it('a namespace finding names the label, what serves it now, the relabel command and the keep option', () => {
    const [v] = injectionRevisionMissingRule.check(ctx({ namespaces: [ns('legacy', { 'istio.io/rev': 'asm-1-27' })] }, ['asm-1-28'], { stable: 'asm-1-28' }));
    assert.match(v?.message ?? '', /^namespace legacy is labelled istio\.io\/rev=asm-1-27, which is neither a revision nor a tag of this intent \(asm-1-28, stable\); istiod aks-istio-system\/istiod-asm-1-27 serves asm-1-27 now and this intent drops it, so the sync removes it: new pods in legacy start without a sidecar \(no injection webhook matches them/);
    assert.match(v?.remediation ?? '', /`kubectl label namespace legacy istio\.io\/rev=stable --overwrite` \(or another of: asm-1-28\), then restart the workloads in legacy that should run a sidecar \(preflight saw no pod there.*keep asm-1-27 in spec\.istio\.revisions for one more commit/);
  });

  it('a dropped tag is kept in spec.tags, not spec.istio.revisions', () => {
    const [v] = injectionRevisionMissingRule.check(ctx({ namespaces: [ns('web', { 'istio.io/rev': 'canary' })], webhooks: [tagHook('canary', 'asm-1-28')] }));
    assert.match(v?.message ?? '', /the tag webhook istio-revision-tag-canary-aks-istio-system serves canary now/);
    assert.match(v?.remediation ?? '', /keep canary in spec\.tags for one more commit/);
  });

  it('an error points at the intent field that keeping the value edits: spec.tags for a tag, spec.istio.revisions for a revision', () => {
    const text = 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: prod}\nspec:\n  mode: Istio\n  istio:\n    revisions: [asm-1-28]\n  tags:\n    stable: asm-1-28\n';
    const [doc] = parseSourceFile({ path: 'mesh.yaml', text });
    const c = { ...ctx({ namespaces: [ns('web', { 'istio.io/rev': 'canary' }), ns('legacy', { 'istio.io/rev': 'asm-1-27' }), ns('old', { 'istio.io/rev': 'asm-1-20' })], webhooks: [tagHook('canary', 'asm-1-28')] }, ['asm-1-28'], { stable: 'asm-1-28' }), ...(doc ? { intentDocument: doc } : {}) };
    const lines = injectionRevisionMissingRule.check(c).map((v) => [v.resource, v.where?.line]);
    assert.deepEqual(lines, [['core/Namespace/_cluster/web', 8], ['core/Namespace/_cluster/legacy', 7], ['core/Namespace/_cluster/old', undefined]]);
  });

  it('a sidecar finding lists at most five pods and says to restart', () => {
    const pods = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((n) => pod(`api-${n}`, 'payments', { sidecar: 'asm-1-27' }));
    const [v] = sidecarRevisionRemovedRule.check(ctx({ namespaces: [ns('payments', { 'istio.io/rev': 'asm-1-28' })], meshPods: pods }));
    assert.match(v?.message ?? '', /^7 pods api-a, api-b, api-c, api-d, api-e and 2 more in namespace payments run sidecars injected by asm-1-27 \(sidecar\.istio\.io\/status\), which this intent does not install \(asm-1-28\); the sync removes that istiod \(istiod aks-istio-system\/istiod-asm-1-27\), after which their proxies get no configuration updates and cannot renew their workload certificate/);
    assert.match(v?.remediation ?? '', /restart them so istio\.io\/rev=asm-1-28 injects them again: pod\/api-a, pod\/api-b, .* have no controller.*keep asm-1-27 in spec\.istio\.revisions for one more commit, until every pod has restarted/);
  });
  // The restart part of each finding names the workloads that own the affected pods (pod-workloads.ts),
  // never a namespace-wide `kubectl rollout restart deployment -n <ns>`.
  const MIXED = (namespace: string, extra: { labels?: Record<string, string>; sidecar?: string }): LivePod[] => [
    deployPod('cart', namespace, extra),
    deployPod('cart', namespace, extra),
    pod('db-0', namespace, { ...extra, controller: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' } }),
    pod('agent-q8k2m', namespace, { ...extra, controller: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent' } }),
    pod('report-29012345-7m2kq', namespace, { ...extra, controller: { apiVersion: 'batch/v1', kind: 'Job', name: 'report-29012345' } }),
    pod('debug', namespace, extra),
    pod('web-abc12', namespace, { ...extra, labels: { ...extra.labels, 'pod-template-hash': '5c8d7f' }, controller: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web' } }),
  ];
  const NAMED = /`kubectl rollout restart -n shop daemonset\/agent deployment\/cart statefulset\/db`; job\/report-29012345 is a Job, which `rollout restart` does not restart.*; replicaset\/web is a ReplicaSet whose name is not <deployment>-<pod-template-hash>.*; pod\/debug has no controller/;
  const restartCases: Array<[string, () => string, RegExp]> = [
    ['sidecar-revision-removed names the workloads of the pods on the dropped revision', () => sidecarRevisionRemovedRule.check(ctx({ namespaces: [ns('shop', { 'istio.io/rev': 'asm-1-28' })], meshPods: MIXED('shop', { sidecar: 'asm-1-27' }) }))[0]?.remediation ?? '', NAMED],
    ['a namespace relabel names the workloads of its meshed pods', () => injectionRevisionMissingRule.check(ctx({ namespaces: [ns('shop', { 'istio.io/rev': 'asm-1-27' })], meshPods: MIXED('shop', { sidecar: 'asm-1-27' }) }))[0]?.remediation ?? '', NAMED],
    ['pods that pick the injector by their own label: their workloads, for the template and for the restart', () => injectionRevisionMissingRule.check(ctx({ namespaces: [ns('shop')], meshPods: MIXED('shop', { labels: { 'istio.io/rev': 'asm-1-27' } }) }))[0]?.remediation ?? '', /in the manifest of daemonset\/agent, deployment\/cart, job\/report-29012345, pod\/debug, replicaset\/web, statefulset\/db .*restart them: `kubectl rollout restart -n shop daemonset\/agent deployment\/cart statefulset\/db`/],
    [
      'a namespace relabel leaves out opted-out, finished and other namespaces\' pods',
      () => injectionRevisionMissingRule.check(ctx({ namespaces: [ns('shop', { 'istio.io/rev': 'asm-1-27' }), ns('other', { 'istio.io/rev': 'asm-1-28' })], meshPods: [deployPod('cart', 'shop', { sidecar: 'asm-1-27' }), deployPod('optout', 'shop', { labels: { 'sidecar.istio.io/inject': 'false' } }), pod('done-x', 'shop', { sidecar: 'asm-1-27', phase: 'Succeeded', controller: { apiVersion: 'batch/v1', kind: 'Job', name: 'done' } }), deployPod('elsewhere', 'other', { sidecar: 'asm-1-27' })] }))[0]?.remediation ?? '',
      /then restart the workloads of its meshed pods: `kubectl rollout restart -n shop deployment\/cart`; or keep/,
    ],
    ['a namespace nothing of this mesh serves: the unmeshed pods preflight cannot see are called out', () => injectionRevisionMissingRule.check(ctx({ namespaces: [ns('shop', { 'istio.io/rev': 'asm-1-20' })], meshPods: [deployPod('cart', 'shop', { sidecar: 'asm-1-20' })] }))[0]?.remediation ?? '', /`kubectl rollout restart -n shop deployment\/cart`; pods of shop that started without a sidecar carry neither label preflight reads pods by, so restart their workloads too/],
  ];
  for (const [name, remediation, expect] of restartCases) {
    it(name, () => {
      const text = remediation();
      assert.match(text, expect);
      assert.doesNotMatch(text, /rollout restart deployment -n|StatefulSets and DaemonSets/, 'no namespace-wide restart');
    });
  }
  // A value this mesh does not serve may still be served by an injector it does not manage: the
  // finding names that injector instead of saying nothing takes the pods.
  const foreignHook = (name: string, selects: { namespace?: string[]; object?: string[] }, labels: Record<string, string> = {}): LiveWebhookConfiguration =>
    ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', name, labels, webhookNames: ['rev.namespace.sidecar-injector.istio.io'], revSelected: { namespace: selects.namespace ?? [], object: selects.object ?? [] } });
  const foreignCases: Array<[string, PreflightContext, RegExp | null]> = [
    ['a namespace value an unmanaged namespace webhook selects', ctx({ namespaces: [ns('books', { 'istio.io/rev': '1-26-3' })], webhooks: [foreignHook('istio-sidecar-injector-1-26-3', { namespace: ['1-26-3'] })] }), /nothing of this mesh serves 1-26-3 now; the MutatingWebhookConfiguration istio-sidecar-injector-1-26-3, which this mesh does not manage, selects it: new pods in books get that webhook's sidecar, from outside this mesh$/],
    ['a webhook selecting the value only of pods does not take a labelled namespace', ctx({ namespaces: [ns('books', { 'istio.io/rev': '1-26-3' })], webhooks: [foreignHook('obj-only', { object: ['1-26-3'] })] }), null],
    ['a pod value an unmanaged object webhook selects', ctx({ namespaces: [ns('jobs')], meshPods: [pod('r-0', 'jobs', { labels: { 'istio.io/rev': '1-26-3' } })], webhooks: [foreignHook('istio-sidecar-injector-1-26-3', { object: ['1-26-3'] })] }), /selects it: new pods of its workload get that webhook's sidecar, from outside this mesh$/],
    ['this mesh\'s own webhook is not foreign', ctx({ namespaces: [ns('books', { 'istio.io/rev': '1-26-3' })], webhooks: [foreignHook('istio-sidecar-injector-1-26-3', { namespace: ['1-26-3'] }, OURS)] }), null],
  ];
  for (const [name, c, expect] of foreignCases) {
    it(name, () => {
      const [v] = injectionRevisionMissingRule.check(c);
      assert.equal(v?.severity, 'warning');
      if (expect) {
        assert.match(v?.message ?? '', expect);
        assert.doesNotMatch(v?.remediation ?? '', /started without a sidecar/, 'the injector it names injects them, so no unseen unmeshed pods are claimed');
      } else {
        assert.match(v?.message ?? '', /nothing of this mesh serves 1-26-3 now either: new pods .* (start without a sidecar)/);
      }
    });
  }

  it('sidecars of a revision an unmanaged istiod runs stay on that control plane', () => {
    const [v] = sidecarRevisionRemovedRule.check(ctx({ namespaces: [ns('books', { 'istio.io/rev': 'asm-1-28' })], meshPods: [deployPod('catalog', 'books', { sidecar: '1-26-3' })], deployments: [istiod('1-26-3', {}), istiod('asm-1-28')] }));
    assert.equal(v?.severity, 'warning');
    assert.match(v?.message ?? '', /no istiod of this mesh serves 1-26-3 now; istiod aks-istio-system\/istiod-1-26-3, which this mesh does not manage, runs that revision, so its proxy most likely stays on that control plane, outside this mesh$/);
    const [gone] = sidecarRevisionRemovedRule.check(ctx({ namespaces: [ns('books', { 'istio.io/rev': 'asm-1-28' })], meshPods: [deployPod('catalog', 'books', { sidecar: '1-26-3' })] }));
    assert.match(gone?.message ?? '', /no istiod of this mesh serves 1-26-3 now, so its proxy gets no configuration updates/);
  });
});
