/**
 * The opt-in PostSync restart hook (spec.upgrade.restartHook): what `generate` adds once a wave
 * has moved, that every object validates against the Kubernetes schemas (kubernetes-models, as
 * test/schemas does), and that its RBAC is a Role per moved namespace with nothing more.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { MeshplaneError } from '../../src/core/errors.js';
import { render } from '../../src/pipeline/render.js';
import type { KubeObject } from '../../src/core/types.js';
import { validateObject } from '../schemas/object-validators.js';

interface Obj extends KubeObject {
  metadata: { name: string; namespace?: string; labels: Record<string, string>; annotations?: Record<string, string> };
  [k: string]: unknown;
}

/** A mid-upgrade intent: asm-1-28 → asm-1-29, `moved` of three named waves on the canary. */
function intent(moved: number, upgradeExtra: Record<string, unknown>): Record<string, unknown> {
  const tags = ['early', 'main', 'critical'];
  return {
    apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'prod' },
    spec: {
      mode: 'Istio', istio: { revisions: ['asm-1-28', 'asm-1-29'] },
      tags: Object.fromEntries(tags.map((t, i) => [`wave-${t}`, i < moved ? 'asm-1-29' : 'asm-1-28'])),
      upgrade: { waves: [{ tag: 'wave-early', namespaces: ['search', 'docs'] }, { tag: 'wave-main', namespaces: ['shop', 'orders'] }, { tag: 'wave-critical', namespaces: ['payments'] }], ...upgradeExtra },
    },
  };
}

async function hookObjects(doc: Record<string, unknown>): Promise<Obj[]> {
  const result = await render({ files: [{ path: 'mesh.yaml', text: stringify(doc) }], env: { KUBE_VERSION: 'v1.32.3' } });
  return result.objects.map((o) => o.object as Obj).filter((o) => o.metadata.labels?.['meshplane.io/component'] === 'restart-hook');
}

const id = (o: Obj): string => `${o.kind} ${o.metadata.namespace ?? '-'}/${o.metadata.name}`;

describe('restart PostSync hook', () => {
  it('is not rendered when disabled, or when no wave has moved', async () => {
    assert.deepEqual(await hookObjects(intent(2, {})), []);
    assert.deepEqual(await hookObjects(intent(2, { restartHook: { enabled: false } })), []);
    assert.deepEqual(await hookObjects(intent(0, { restartHook: { enabled: true } })), []);
  });

  it('renders ServiceAccount, a Role and RoleBinding per moved namespace, and the Job, as PostSync hooks', async () => {
    const objs = await hookObjects(intent(2, { restartHook: { enabled: true } }));
    assert.deepEqual(objs.map(id).sort(), [
      'Job kube-system/meshplane-restart-prod',
      ...['aks-istio-system', 'docs', 'orders', 'search', 'shop'].flatMap((ns) => [`Role ${ns}/meshplane-restart-prod`, `RoleBinding ${ns}/meshplane-restart-prod`]),
      'ServiceAccount kube-system/meshplane-restart-prod',
    ].sort());
    for (const o of objs) {
      assert.equal(o.metadata.annotations?.['argocd.argoproj.io/hook'], 'PostSync', id(o));
      assert.equal(o.metadata.annotations?.['argocd.argoproj.io/hook-delete-policy'], o.kind === 'Job' ? 'BeforeHookCreation,HookSucceeded' : 'BeforeHookCreation', id(o));
    }
    const job = objs.find((o) => o.kind === 'Job') as Obj & { spec: { template: { spec: { serviceAccountName: string; securityContext: { runAsNonRoot: boolean }; containers: Array<{ command: string[]; securityContext: Record<string, unknown> }> } } } };
    const pod = job.spec.template.spec;
    assert.deepEqual(pod.containers[0]?.command, ['meshplane', 'upgrade', 'restart', '--namespaces', 'docs,orders,search,shop', '--revision', 'asm-1-29', '--timeout', '20']);
    assert.equal(pod.serviceAccountName, 'meshplane-restart-prod');
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.deepEqual(pod.containers[0]?.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    assert.ok(!objs.some((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding'), 'no cluster-wide grant');
  });

  it('grants get,list on pods and get,list,patch on the three apps workloads, nothing else', async () => {
    const objs = await hookObjects(intent(3, { restartHook: { enabled: true } }));
    const roles = objs.filter((o) => o.kind === 'Role' && o.metadata.namespace !== 'aks-istio-system');
    assert.deepEqual(roles.map((r) => r.metadata.namespace).sort(), ['docs', 'orders', 'payments', 'search', 'shop']);
    const grants = (r: Obj): string[] => (r.rules as Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>).flatMap((x) => x.apiGroups.flatMap((g) => x.resources.flatMap((res) => x.verbs.map((v) => `${v} ${g}/${res}`)))).sort();
    const want = ['get /pods', 'list /pods', ...['daemonsets', 'deployments', 'statefulsets'].flatMap((r) => ['get', 'list', 'patch'].map((v) => `${v} apps/${r}`))].sort();
    for (const r of roles) assert.deepEqual(grants(r), want, id(r));
    for (const b of objs.filter((o) => o.kind === 'RoleBinding')) {
      assert.deepEqual(b.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'meshplane-restart-prod' });
      assert.deepEqual(b.subjects, [{ kind: 'ServiceAccount', name: 'meshplane-restart-prod', namespace: 'kube-system' }]);
    }
  });

  it('grants get on istiod-<canary> in aks-istio-system by name, nothing else there', async () => {
    const objs = await hookObjects(intent(2, { restartHook: { enabled: true } }));
    const role = objs.find((o) => o.kind === 'Role' && o.metadata.namespace === 'aks-istio-system');
    assert.deepEqual(role?.rules, [{ apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['istiod-asm-1-29'], verbs: ['get'] }]);
    const binding = objs.find((o) => o.kind === 'RoleBinding' && o.metadata.namespace === 'aks-istio-system');
    assert.deepEqual(binding?.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'meshplane-restart-prod' });
    assert.deepEqual(binding?.subjects, [{ kind: 'ServiceAccount', name: 'meshplane-restart-prod', namespace: 'kube-system' }]);
  });

  it('every hook object validates against its Kubernetes schema', async () => {
    const objs = await hookObjects(intent(2, { restartHook: { enabled: true, image: 'registry.example/meshplane:dev' } }));
    assert.equal(objs.length, 12);
    for (const o of objs) {
      const v = await validateObject(o);
      assert.equal(v.status, 'valid', `${id(o)}: ${JSON.stringify(v)}`);
    }
    const broken = { ...(objs.find((o) => o.kind === 'Role') as Obj), rules: [{ apiGroups: [''], resources: 'pods', verbs: ['get'] }] };
    assert.equal((await validateObject(broken)).status, 'invalid', 'the validator rejects a broken Role');
  });

  it('refuses a wave picked by namespaceSelector (a Role cannot be bound in namespaces not named)', async () => {
    const doc = intent(1, { restartHook: { enabled: true } });
    const spec = doc.spec as { upgrade: { waves: Array<Record<string, unknown>> } };
    spec.upgrade.waves[1] = { tag: 'wave-main', namespaceSelector: { matchLabels: { tier: 'standard' } } };
    await assert.rejects(hookObjects(doc), (err: unknown) => err instanceof MeshplaneError && /restartHook is enabled but spec\.upgrade\.waves\[1\] \(tag wave-main\) picks namespaces by namespaceSelector/.test(err.message));
  });
});
