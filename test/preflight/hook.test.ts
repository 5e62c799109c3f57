/**
 * The opt-in PreSync hook (spec.policy.preflightHook): what `generate` adds, and that its
 * ClusterRole grants exactly what preflight calls: compared with the reads declared in code
 * (access.ts) and with the requests a fake API server that enforces that ClusterRole receives.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { MeshplaneError } from '../../src/core/errors.js';
import { render } from '../../src/pipeline/render.js';
import type { KubeObject } from '../../src/core/types.js';
import { requiredRules, type PolicyRule } from '../../src/integrations/preflight/access.js';
import { runPreflight } from '../../src/integrations/preflight/run.js';
import type { RecordedRequest } from '../fake-apiserver/server.js';
import { startScenario, type RunningScenario } from '../fake-apiserver/harness.js';
import { REPO_ROOT } from '../helpers/cli.js';

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Obj extends KubeObject {
  metadata: { name: string; namespace?: string; labels: Record<string, string>; annotations?: Record<string, string> };
}

async function hookObjects(policy: Record<string, unknown>): Promise<Obj[]> {
  const intent = { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'prod' }, spec: { mode: 'Istio', istio: { revisions: ['asm-1-28'] }, policy } };
  const result = await render({ files: [{ path: 'mesh.yaml', text: stringify(intent) }], env: { KUBE_VERSION: 'v1.32.3' } });
  return result.objects.map((o) => o.object as Obj).filter((o) => o.metadata.labels?.['meshplane.io/component'] === 'preflight');
}

const find = (objs: Obj[], kind: string): Obj => {
  const o = objs.find((x) => x.kind === kind);
  assert.ok(o, `${kind} is rendered`);
  return o;
};

/** Every (verb, group/resource) or (verb, URL) a set of ClusterRole rules grants. */
function grants(rules: PolicyRule[]): string[] {
  return rules.flatMap((r) => r.verbs.flatMap((verb) => (r.nonResourceURLs ?? []).map((u) => `${verb} ${u}`).concat((r.apiGroups ?? []).flatMap((g) => (r.resources ?? []).map((res) => `${verb} ${g}/${res}`))))).sort();
}

/** What the fake server saw, in the same form. */
function asked(requests: RecordedRequest[]): string[] {
  return [...new Set(requests.map((q) => (q.attributes?.kind === 'url' ? `${q.attributes.verb} ${q.attributes.path}` : `${q.attributes?.verb} ${q.attributes?.apiGroup}/${q.attributes?.resource}${q.attributes?.subresource ? `/${q.attributes.subresource}` : ''}`)))].sort();
}

const running: RunningScenario[] = [];
after(async () => Promise.all(running.map((r) => r.close())));

describe('preflight PreSync hook', () => {
  it('is not rendered unless spec.policy.preflightHook is true', async () => {
    assert.deepEqual(await hookObjects({}), []);
    assert.deepEqual(await hookObjects({ preflightHook: false }), []);
  });

  it('renders ServiceAccount, ClusterRole, ClusterRoleBinding, ConfigMap and Job, all PreSync hooks at wave -10', async () => {
    const objs = await hookObjects({ preflightHook: true });
    assert.deepEqual(objs.map((o) => o.kind).sort(), ['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Job', 'ServiceAccount']);
    for (const o of objs) {
      assert.equal(o.metadata.name, 'meshplane-preflight-prod');
      assert.equal(o.metadata.annotations?.['argocd.argoproj.io/hook'], 'PreSync', o.kind);
      assert.equal(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'], '-10', o.kind);
      assert.equal(o.metadata.labels['app.kubernetes.io/managed-by'], 'meshplane');
    }
    assert.equal(find(objs, 'Job').metadata.annotations?.['argocd.argoproj.io/hook-delete-policy'], 'BeforeHookCreation,HookSucceeded');
    assert.equal(find(objs, 'ServiceAccount').metadata.annotations?.['argocd.argoproj.io/hook-delete-policy'], 'BeforeHookCreation');
    const binding = find(objs, 'ClusterRoleBinding') as Obj & { roleRef: { name: string }; subjects: Array<{ kind: string; name: string; namespace: string }> };
    assert.equal(binding.roleRef.name, 'meshplane-preflight-prod');
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'meshplane-preflight-prod', namespace: 'kube-system' }]);
  });

  it('runs `meshplane preflight` on the mounted intent as its ServiceAccount, hardened, with the release image', async () => {
    const objs = await hookObjects({ preflightHook: true });
    const job = find(objs, 'Job') as Obj & { spec: { backoffLimit: number; template: { spec: any } } };
    const pod = job.spec.template.spec;
    const [c] = pod.containers;
    assert.equal(job.metadata.namespace, 'kube-system');
    assert.equal(job.spec.backoffLimit, 0);
    assert.equal(pod.serviceAccountName, 'meshplane-preflight-prod');
    assert.equal(pod.restartPolicy, 'Never');
    assert.equal(c.image, `ghcr.io/meshplane/meshplane:${VERSION}`);
    assert.deepEqual(c.command.slice(0, 3), ['meshplane', 'preflight', '/etc/meshplane/intent']);
    const mount = c.volumeMounts.find((m: { name: string }) => m.name === 'intent');
    assert.deepEqual([mount.mountPath, mount.subPath], ['/etc/meshplane/intent/mesh.yaml', 'mesh.yaml'], 'a file, not a symlinked ConfigMap volume');
    assert.equal(pod.volumes.find((v: { name: string }) => v.name === 'intent').configMap.name, 'meshplane-preflight-prod');
    assert.deepEqual([pod.securityContext.runAsNonRoot, c.securityContext.readOnlyRootFilesystem, c.securityContext.allowPrivilegeEscalation, c.securityContext.capabilities.drop], [true, true, false, ['ALL']]);
  });

  it('takes spec.policy.preflightImage', async () => {
    const job = find(await hookObjects({ preflightHook: true, preflightImage: 'registry.example/mirror/meshplane:0.1.0' }), 'Job') as Obj & { spec: { template: { spec: { containers: Array<{ image: string }> } } } };
    assert.equal(job.spec.template.spec.containers[0]?.image, 'registry.example/mirror/meshplane:0.1.0');
  });

  it('the ClusterRole is exactly the rules derived from the reads in code', async () => {
    const role = find(await hookObjects({ preflightHook: true }), 'ClusterRole') as Obj & { rules: PolicyRule[] };
    assert.deepEqual(role.rules, requiredRules());
    assert.ok(grants(role.rules).every((g) => /^(list [a-z0-9.-]*\/[a-z]+|get \/[a-z]+)$/.test(g)), 'only list on resources and get on discovery URLs');
  });

  it('the ClusterRole grants exactly what preflight asks a live server for (RBAC enforced by the fake server)', async () => {
    const role = find(await hookObjects({ preflightHook: true }), 'ClusterRole') as Obj & { rules: PolicyRule[] };
    // foreign-istiod serves install.istio.io, so every read (IstioOperators included) happens.
    const r = await startScenario('foreign-istiod', { rules: role.rules, user: 'system:serviceaccount:kube-system:meshplane-preflight-prod' });
    running.push(r);
    const report = await runPreflight({ dir: r.dir, kubeconfig: r.kubeconfig, env: {} });
    assert.ok(report.violations.length > 0, 'the scenario still fails on its own findings');
    assert.deepEqual(r.server.requests.filter((q) => q.status !== 200), [], 'nothing was forbidden');
    assert.deepEqual(asked(r.server.requests), grants(role.rules), 'every grant is used, nothing beyond them is asked for');
  });

  it('without one of its rules, preflight fails closed naming the missing permission', async () => {
    const role = find(await hookObjects({ preflightHook: true }), 'ClusterRole') as Obj & { rules: PolicyRule[] };
    const r = await startScenario('clean', { rules: role.rules.filter((x) => !x.resources?.includes('deployments')), user: 'system:serviceaccount:kube-system:meshplane-preflight-prod' });
    running.push(r);
    await assert.rejects(runPreflight({ dir: r.dir, kubeconfig: r.kubeconfig, env: {} }), (e: unknown) => e instanceof MeshplaneError && e.code === 'cluster-forbidden' && /may not list deployments \(apps\)/.test(e.message) && /deployments\.apps is forbidden/.test(e.message));
  });

  it('the intent in its ConfigMap is what the Job checks: it validates and passes on a clean cluster', async () => {
    const cm = find(await hookObjects({ preflightHook: true }), 'ConfigMap') as Obj & { data: Record<string, string> };
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-hook-intent-'));
    await writeFile(path.join(dir, 'mesh.yaml'), cm.data['mesh.yaml'] ?? '');
    const r = await startScenario('clean');
    running.push(r);
    const report = await runPreflight({ dir, kubeconfig: r.kubeconfig, env: {} });
    assert.deepEqual([report.mesh, report.revisions, report.violations], ['prod', ['asm-1-28'], []]);
  });
});
