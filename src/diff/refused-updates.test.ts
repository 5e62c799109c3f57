import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/types.js';
import { diffObjects } from './diff-objects.js';
import { findRefusedUpdates, recreatedBy, REFUSED_UPDATE_RULES } from './refused-updates.js';

const KEY = 'grafana.integreatly.org/GrafanaDashboard/aks-istio-system/istio-mesh';
const dash = (spec: Record<string, unknown>, kind = 'GrafanaDashboard'): KubeObject => ({
  apiVersion: 'grafana.integreatly.org/v1beta1', kind, metadata: { name: 'istio-mesh', namespace: 'aks-istio-system' }, spec,
});
const SEL = { matchLabels: { dashboards: 'grafana' } };
const ARGO_HOOK = { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation,HookSucceeded' };
const FLUX_FORCE = { 'kustomize.toolkit.fluxcd.io/force': 'enabled' };
const job = (command: string[], annotations: Record<string, string> = {}, labels: Record<string, string> = {}, backoffLimit = 0): KubeObject => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'istio-mesh', namespace: 'aks-istio-system', annotations, labels },
  spec: { backoffLimit, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i', command }] } } },
});
/** A Job with `spec` fields beside its template, and `extra` merged into the template (`metadata`, `spec`) or, as `resources`, into its container. */
const jobWith = (specFields: Record<string, unknown>, extra: { metadata?: Record<string, unknown>; spec?: Record<string, unknown>; resources?: unknown } = {}, command = ['a']): KubeObject => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'istio-mesh', namespace: 'aks-istio-system' },
  spec: {
    backoffLimit: 0, ...specFields,
    template: {
      ...(extra.metadata ? { metadata: extra.metadata } : {}),
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i', command, ...(extra.resources ? { resources: extra.resources } : {}) }], ...extra.spec },
    },
  },
});
const NODE_AFFINITY = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['batch'] }] }] } } };
const POD_AFFINITY = { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'x' } } }] };
/** Every scheduling directive validatePodTemplateUpdate lets a suspended Job change, changed at once. */
const SCHEDULING = {
  metadata: { labels: { queue: 'a' }, annotations: { note: 'b' } },
  spec: { nodeSelector: { pool: 'batch' }, tolerations: [{ key: 'spot', operator: 'Exists' }], schedulingGates: [{ name: 'quota' }], affinity: NODE_AFFINITY },
};
const base = { instanceSelector: SEL, allowCrossNamespaceImport: true, folder: 'Istio', grafanaCom: { id: 7639 } };

// Each case is a transition the CRD's rules (grafana/grafana-operator
// config/crd/bases/grafana.integreatly.org_grafanadashboards.yaml, v5.16.0 to v5.24.0) refuse or allow.
const cases: Array<{ name: string; before: KubeObject; after: KubeObject; refused: string[] }> = [
  { name: 'a new instanceSelector label value (self == oldSelf)', before: dash(base), after: dash({ ...base, instanceSelector: { matchLabels: { dashboards: 'other' } } }), refused: ['grafanadashboard-instance-selector'] },
  { name: 'an added instanceSelector label', before: dash(base), after: dash({ ...base, instanceSelector: { matchLabels: { dashboards: 'grafana', team: 'mesh' } } }), refused: ['grafanadashboard-instance-selector'] },
  { name: 'matchExpressions added to the selector (the whole selector is compared)', before: dash(base), after: dash({ ...base, instanceSelector: { ...SEL, matchExpressions: [{ key: 'a', operator: 'Exists' }] } }), refused: ['grafanadashboard-instance-selector'] },
  { name: 'the same selector with its labels in another order', before: dash({ ...base, instanceSelector: { matchLabels: { a: '1', b: '2' } } }), after: dash({ ...base, instanceSelector: { matchLabels: { b: '2', a: '1' } } }), refused: [] },
  { name: 'a change of a mutable field (folder)', before: dash(base), after: dash({ ...base, folder: 'Mesh' }), refused: [] },
  { name: 'a uid that changes', before: dash({ ...base, uid: 'a' }), after: dash({ ...base, uid: 'b' }), refused: ['grafanadashboard-uid'] },
  { name: 'a uid that is added', before: dash(base), after: dash({ ...base, uid: 'b' }), refused: ['grafanadashboard-uid'] },
  { name: 'a uid that is removed', before: dash({ ...base, uid: 'a' }), after: dash(base), refused: ['grafanadashboard-uid'] },
  { name: 'allowCrossNamespaceImport true → false', before: dash(base), after: dash({ ...base, allowCrossNamespaceImport: false }), refused: ['grafanadashboard-cross-namespace-import'] },
  { name: 'allowCrossNamespaceImport true → unset (defaults to false)', before: dash(base), after: dash({ instanceSelector: SEL, folder: 'Istio' }), refused: ['grafanadashboard-cross-namespace-import'] },
  { name: 'allowCrossNamespaceImport false → true (allowed)', before: dash({ ...base, allowCrossNamespaceImport: false }), after: dash(base), refused: [] },
  { name: 'two immutable fields at once: both named', before: dash(base), after: dash({ ...base, instanceSelector: {}, uid: 'x' }), refused: ['grafanadashboard-instance-selector', 'grafanadashboard-uid'] },
  { name: 'another kind with the same fields', before: dash(base, 'GrafanaFolder'), after: dash({ ...base, instanceSelector: {} }, 'GrafanaFolder'), refused: [] },
  // batch/v1 Job: kubernetes/kubernetes pkg/apis/batch/validation/validation.go ValidateJobSpecUpdate,
  // validatePodTemplateUpdate and validateCompletions, read at kubernetes/kubernetes commit 3989b18
  // and (v1.35 and later) at yongruilin/kubernetes commit 088d115; defaulting from
  // pkg/apis/batch/v1/defaults.go SetDefaults_Job (kubernetes/kubernetes commit 3e36dd6).
  { name: 'a plain Job whose command changes', before: job(['a']), after: job(['b']), refused: ['job-template'] },
  { name: 'a plain Job whose template label changes (the template is compared whole)', before: jobWith({}, { metadata: { labels: { a: '1' } } }), after: jobWith({}, { metadata: { labels: { a: '2' } } }), refused: ['job-template'] },
  { name: 'a suspended Job whose scheduling directives change (KEP-2926 / KEP-5440)', before: jobWith({ suspend: true }), after: jobWith({ suspend: true }, SCHEDULING), refused: [] },
  { name: 'a suspended Job whose node affinity is dropped, node affinity being all it held', before: jobWith({ suspend: true }, { spec: { affinity: NODE_AFFINITY } }), after: jobWith({ suspend: true }), refused: [] },
  { name: 'a suspended Job whose pod anti-affinity changes (not a scheduling directive the exception covers)', before: jobWith({ suspend: true }), after: jobWith({ suspend: true }, { spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone' }] } } } }), refused: ['job-template'] },
  { name: 'a suspended Job whose pod affinity stays while its node affinity is dropped', before: jobWith({ suspend: true }, { spec: { affinity: { ...NODE_AFFINITY, podAffinity: POD_AFFINITY } } }), after: jobWith({ suspend: true }, { spec: { affinity: { podAffinity: POD_AFFINITY } } }), refused: [] },
  { name: 'a suspended Job whose whole affinity with a pod affinity is dropped', before: jobWith({ suspend: true }, { spec: { affinity: { ...NODE_AFFINITY, podAffinity: POD_AFFINITY } } }), after: jobWith({ suspend: true }), refused: ['job-template'] },
  { name: 'a suspended Job whose command changes', before: jobWith({ suspend: true }, {}, ['a']), after: jobWith({ suspend: true }, {}, ['b']), refused: ['job-template'] },
  { name: 'a suspended Job whose container resources change (refused before Kubernetes 1.36)', before: jobWith({ suspend: true }), after: jobWith({ suspend: true }, { resources: { requests: { cpu: '2' } } }), refused: ['job-template'] },
  { name: 'a running Job suspended by the same update whose node selector changes (the live Job counts)', before: jobWith({}), after: jobWith({ suspend: true }, SCHEDULING), refused: ['job-template'] },
  { name: 'a Job whose selector is set where the API server generated one', before: jobWith({}), after: jobWith({ manualSelector: true, selector: { matchLabels: { app: 'x' } } }), refused: ['job-selector'] },
  { name: 'a Job whose completions change', before: jobWith({ completions: 1 }), after: jobWith({ completions: 2 }), refused: ['job-completions'] },
  { name: 'a Job that sets completions 1 where completions and parallelism were unset (defaulted to 1)', before: jobWith({}), after: jobWith({ completions: 1 }), refused: [] },
  { name: 'a Job that sets completions 1 where only parallelism was set (completions stayed unset)', before: jobWith({ parallelism: 2 }), after: jobWith({ parallelism: 2, completions: 1 }), refused: ['job-completions'] },
  { name: 'an Indexed Job whose completions and parallelism change together (elastic Indexed Job)', before: jobWith({ completionMode: 'Indexed', completions: 3, parallelism: 3 }), after: jobWith({ completionMode: 'Indexed', completions: 4, parallelism: 4 }), refused: [] },
  { name: 'an Indexed Job whose completions change alone', before: jobWith({ completionMode: 'Indexed', completions: 3, parallelism: 3 }), after: jobWith({ completionMode: 'Indexed', completions: 4, parallelism: 3 }), refused: ['job-completions'] },
  { name: 'a Job whose parallelism changes (mutable)', before: jobWith({ parallelism: 1 }), after: jobWith({ parallelism: 3 }), refused: [] },
  { name: 'a Job that sets completionMode NonIndexed where it was unset (the default)', before: jobWith({}), after: jobWith({ completionMode: 'NonIndexed' }), refused: [] },
  { name: 'a Job whose completionMode changes to Indexed', before: jobWith({ completions: 2 }), after: jobWith({ completions: 2, completionMode: 'Indexed' }), refused: ['job-completion-mode'] },
  { name: 'a Job whose podFailurePolicy is added', before: jobWith({}), after: jobWith({ podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] } }), refused: ['job-pod-failure-policy'] },
  { name: 'a Job whose backoffLimitPerIndex changes', before: jobWith({ completionMode: 'Indexed', completions: 2, backoffLimitPerIndex: 1 }), after: jobWith({ completionMode: 'Indexed', completions: 2, backoffLimitPerIndex: 2 }), refused: ['job-backoff-limit-per-index'] },
  { name: 'a Job whose managedBy is set to the built-in controller where it was unset', before: jobWith({}), after: jobWith({ managedBy: 'kubernetes.io/job-controller' }), refused: ['job-managed-by'] },
  { name: 'a Job whose successPolicy changes', before: jobWith({ completionMode: 'Indexed', completions: 2, successPolicy: { rules: [{ succeededCount: 1 }] } }), after: jobWith({ completionMode: 'Indexed', completions: 2, successPolicy: { rules: [{ succeededCount: 2 }] } }), refused: ['job-success-policy'] },
  { name: 'a Job whose activeDeadlineSeconds, ttlSecondsAfterFinished and suspend change (mutable)', before: jobWith({ activeDeadlineSeconds: 300 }), after: jobWith({ activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 60, suspend: true }), refused: [] },
  { name: 'a plain Job whose backoffLimit changes (outside the template)', before: job(['a']), after: job(['a'], {}, {}, 1), refused: [] },
  // The API server compares decoded Go values with apiequality.Semantic.DeepEqual (apimachinery
  // v0.36.3): null is the zero value, as an absent key, and an empty slice equals a nil one.
  { name: 'a Job whose podFailurePolicy goes from absent to null (the same nil pointer)', before: jobWith({}), after: jobWith({ podFailurePolicy: null }), refused: [] },
  { name: 'a Job whose selector, backoffLimitPerIndex, managedBy and successPolicy are written as null', before: jobWith({}), after: jobWith({ selector: null, backoffLimitPerIndex: null, managedBy: null, successPolicy: null }), refused: [] },
  { name: 'a plain Job whose template gains an empty tolerations list (an empty slice equals none)', before: jobWith({}), after: jobWith({}, { spec: { tolerations: [], nodeSelector: null } }), refused: [] },
  { name: 'a Job whose selector goes from absent to {} (a pointer to an empty selector is not nil)', before: jobWith({}), after: jobWith({ selector: {} }), refused: ['job-selector'] },
  { name: 'a plain Job whose template gains a toleration (not empty)', before: jobWith({}), after: jobWith({}, { spec: { tolerations: [{ key: 'spot', operator: 'Exists' }] } }), refused: ['job-template'] },
  { name: 'an Argo CD hook Job (BeforeHookCreation) without Flux force: refused for Flux', before: job(['a'], ARGO_HOOK), after: job(['b'], ARGO_HOOK), refused: ['job-template'] },
  { name: 'a Job Flux may force-replace, not an Argo CD hook: refused for Argo CD', before: job(['a'], FLUX_FORCE), after: job(['b'], FLUX_FORCE), refused: ['job-template'] },
  { name: 'an Argo CD hook Job with Flux force: both tools recreate it', before: job(['a'], ARGO_HOOK), after: job(['b'], { ...ARGO_HOOK, ...FLUX_FORCE }), refused: [] },
  { name: 'the same, with Flux force as a label', before: job(['a'], ARGO_HOOK), after: job(['b'], ARGO_HOOK, FLUX_FORCE), refused: [] },
];

describe('findRefusedUpdates', () => {
  for (const c of cases) {
    it(`${c.refused.length ? 'refuses' : 'allows'} ${c.name}`, () => {
      const keyOf = (o: KubeObject): string => `${String(o.apiVersion).split('/')[0]}/${String(o.kind)}/aks-istio-system/istio-mesh`;
      const got = findRefusedUpdates(new Map([[keyOf(c.before), c.before]]), new Map([[keyOf(c.after), c.after]]));
      assert.deepEqual(got.map((r) => r.ruleId), c.refused);
    });
  }

  it('every rule of the registry has a refused and an allowed case above', () => {
    for (const rule of REFUSED_UPDATE_RULES) {
      assert.ok(cases.some((c) => c.refused.includes(rule.id)), `${rule.id}: no refused case`);
      assert.ok(cases.some((c) => !c.refused.includes(rule.id) && `${String(c.before.apiVersion).split('/')[0]}/${String(c.before.kind)}` === rule.kind), `${rule.id}: no allowed case`);
      assert.match(rule.source, /^[\w-]+\/[\w-]+ [\w./-]+\.(yaml|go), .*\bv\d+\.\d+/, `${rule.id} cites its repository, file and release`);
      assert.ok(rule.why.length > 0 && !rule.why.endsWith('.'), `${rule.id}: why is one clause`);
    }
  });

  it('needs the object on both sides: a dashboard that is added or removed is not an update', () => {
    assert.deepEqual(findRefusedUpdates(new Map(), new Map([[KEY, dash(base)]])), []);
    assert.deepEqual(findRefusedUpdates(new Map([[KEY, dash(base)]]), new Map()), []);
  });

  it('says what, why and how to proceed, naming the intent field that feeds the selector', () => {
    const [r] = findRefusedUpdates(new Map([[KEY, dash(base)]]), new Map([[KEY, dash({ ...base, instanceSelector: {} })]]));
    assert.equal(r?.key, KEY);
    assert.match(r?.message ?? '', /spec\.instanceSelector changes \(Meshplane renders it from spec\.monitoring\.grafanaInstanceSelector\): the API server will refuse the update/);
    assert.match(r?.fix ?? '', /kubectl delete grafanadashboards\.grafana\.integreatly\.org -n aks-istio-system istio-mesh/);
    assert.match(r?.fix ?? '', /Force=true,Replace=true together \(Replace=true alone is an update and is refused too\)/);
    assert.match(r?.fix ?? '', /Flux spec\.force: true/);
  });

  it('is part of diffObjects, alongside the ordinary diff of the object', () => {
    const result = diffObjects([dash(base)], [dash({ ...base, instanceSelector: { matchLabels: { dashboards: 'b' } } })]);
    assert.deepEqual(result.resources.map((r) => [r.change, r.key]), [['changed', KEY]]);
    assert.deepEqual(result.refusedUpdates.map((r) => [r.key, r.ruleId]), [[KEY, 'grafanadashboard-instance-selector']]);
  });

  it('names only the tool that updates, and its fix, when the other one recreates the object', () => {
    const K = 'batch/Job/aks-istio-system/istio-mesh';
    const [argoOnly] = findRefusedUpdates(new Map([[K, job(['a'], ARGO_HOOK)]]), new Map([[K, job(['b'], ARGO_HOOK)]]));
    assert.match(argoOnly?.message ?? '', /^spec\.template changes: the API server will refuse the update, because .*; only a Flux sync fails, as Argo CD deletes this hook before it creates it again/);
    assert.match(argoOnly?.fix ?? '', /kubectl delete jobs\.batch -n aks-istio-system istio-mesh\), or have the sync recreate it: Flux spec\.force: true on the Kustomization$/);
    const [fluxOnly] = findRefusedUpdates(new Map([[K, job(['a'], FLUX_FORCE)]]), new Map([[K, job(['b'], FLUX_FORCE)]]));
    assert.match(fluxOnly?.message ?? '', /; only an Argo CD sync fails, as Flux replaces it when the apply is refused/);
    assert.match(fluxOnly?.fix ?? '', /: Argo CD sync options Force=true,Replace=true together \(Replace=true alone is an update and is refused too\)$/);
  });
});

// Each case is Argo CD's reading of the hook annotations (argo-cd v3.5.1 gitops-engine/pkg/sync:
// hook/hook.go IsHook and Skip, hook/delete_policy.go DeletePolicies with its default, and
// sync_task.go deleteBeforeCreation) or Flux's force selector (kustomize-controller v1.9.4).
describe('recreatedBy', () => {
  const obj = (annotations: Record<string, string>, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', annotations, labels } });
  const table: Array<[string, KubeObject, string[]]> = [
    ['no annotation', obj({}), []],
    ['a hook with no delete policy (the default is BeforeHookCreation)', obj({ 'argocd.argoproj.io/hook': 'PreSync' }), ['Argo CD']],
    ['a hook with BeforeHookCreation among others, spaces around', obj({ 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded , BeforeHookCreation' }), ['Argo CD']],
    ['a hook deleted only when it succeeds (a failed one is applied over next time)', obj({ 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' }), []],
    ['a hook whose only policy is unknown (ignored, so the default applies)', obj({ 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/hook-delete-policy': 'Never' }), ['Argo CD']],
    ['Skip alone is not a hook', obj({ 'argocd.argoproj.io/hook': 'Skip' }), []],
    ['Skip with another type is a hook', obj({ 'argocd.argoproj.io/hook': 'Skip,PreSync' }), ['Argo CD']],
    ['the delete policy without the hook annotation', obj({ 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' }), []],
    ['Flux force annotation', obj({ 'kustomize.toolkit.fluxcd.io/force': 'enabled' }), ['Flux']],
    ['Flux force label', obj({}, { 'kustomize.toolkit.fluxcd.io/force': 'enabled' }), ['Flux']],
    ['Flux force with another value', obj({ 'kustomize.toolkit.fluxcd.io/force': 'true' }), []],
    ['Flux force in another case (Flux compares ignoring case)', obj({ 'kustomize.toolkit.fluxcd.io/force': 'Enabled' }), ['Flux']],
    ['Flux force label in capitals', obj({}, { 'kustomize.toolkit.fluxcd.io/force': 'ENABLED' }), ['Flux']],
    ['both', obj({ 'argocd.argoproj.io/hook': 'PreSync', 'kustomize.toolkit.fluxcd.io/force': 'enabled' }), ['Argo CD', 'Flux']],
  ];
  for (const [name, o, want] of table) it(name, () => assert.deepEqual(recreatedBy(o), want));
});
