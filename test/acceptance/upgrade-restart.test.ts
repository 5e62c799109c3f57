/**
 * `meshplane upgrade restart` through bin/meshplane against the fake API server (the real
 * @kubernetes/client-node over HTTPS). The cluster is test/cases/upgrade-status/mid-wave.yaml plus
 * workloads.yaml: waves 1 (docs, search) and 2 (shop, orders) moved to asm-1-29. Which workloads
 * must be patched is read off those fixtures by hand (see workloads.yaml's header).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { RESTART_RULES } from '../../src/pipeline/resolve-restart-hook.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import type { KubeObj } from '../fake-apiserver/cluster.js';
import type { Rule } from '../fake-apiserver/rbac.js';
import { writeKubeconfig } from '../fake-apiserver/harness.js';
import { startFakeApiServer, type FakeApiServer } from '../fake-apiserver/server.js';

const TOKEN = 'upgrade-restart-token';
const load = (f: string): KubeObj[] => (parse(readFileSync(path.join(REPO_ROOT, 'test', 'cases', 'upgrade-status', f), 'utf8')) as { objects: KubeObj[] }).objects;
const OBJECTS = [...load('mid-wave.yaml'), ...load('workloads.yaml')];
/** The hook's Role rules (templates/restart-hook.libsonnet), written out here by hand. */
const HOOK_RULES: Rule[] = [
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'statefulsets'], verbs: ['get', 'list', 'patch'] },
];
const MOVED = 'docs,search,shop,orders';
const EXPECTED = [
  '/apis/apps/v1/namespaces/orders/deployments/orders-legacy',
  '/apis/apps/v1/namespaces/orders/statefulsets/orders-worker',
  '/apis/apps/v1/namespaces/shop/daemonsets/shop-agent',
  '/apis/apps/v1/namespaces/shop/deployments/shop-web',
];

/** The objects with every pod re-injected by asm-1-29 (a finished restart). */
function allCurrent(objects: KubeObj[]): KubeObj[] {
  return objects.map((o) => {
    const ann = o.metadata.annotations as Record<string, string> | undefined;
    if (o.kind !== 'Pod' || !ann?.['sidecar.istio.io/status']) return o;
    const status = JSON.parse(ann['sidecar.istio.io/status']) as Record<string, unknown>;
    return { ...o, metadata: { ...o.metadata, annotations: { ...ann, 'sidecar.istio.io/status': JSON.stringify({ ...status, revision: 'asm-1-29' }) } } };
  }).filter((o) => o.kind !== 'Pod' || o.metadata.name !== 'orders-legacy-1');
}

describe('upgrade restart against a fake cluster', () => {
  const servers: FakeApiServer[] = [];
  const dirs: string[] = [];
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  async function run(objects: KubeObj[], rules: Rule[], args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; server: FakeApiServer; kubeconfig: string }> {
    const server = await startFakeApiServer({ gitVersion: 'v1.32.4', objects }, { token: TOKEN, rules, user: 'system:serviceaccount:kube-system:meshplane-restart-prod' });
    servers.push(server);
    const kubeconfig = await writeKubeconfig(server.url, TOKEN, server.caPem);
    dirs.push(path.dirname(kubeconfig));
    const r = await runCli(['upgrade', 'restart', '--kubeconfig', kubeconfig, '--context', 'fake', ...args]);
    return { ...r, server, kubeconfig };
  }
  const patches = (s: FakeApiServer): string[] => s.requests.filter((q) => q.method === 'PATCH').map((q) => q.path).sort();

  it('the hook renders exactly these rules', () => assert.deepEqual(RESTART_RULES, HOOK_RULES));

  it('patches exactly the moved namespaces\' workloads whose pods run the old revision or no sidecar', async () => {
    const r = await run(OBJECTS, HOOK_RULES, ['--namespaces', MOVED, '--revision', 'asm-1-29', '--output', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(patches(r.server), EXPECTED);
    assert.ok(r.server.requests.filter((q) => q.method === 'PATCH').every((q) => q.contentType === 'application/strategic-merge-patch+json' && q.status === 200), 'strategic merge patches, as kubectl sends them');
    assert.ok(r.server.requests.every((q) => q.status === 200), 'no request was refused by the hook\'s rules');
    assert.ok(!r.server.requests.some((q) => q.path.includes('/payments/')), 'wave 3 (payments) is not touched');
    const report = JSON.parse(r.stdout) as { workloads: Array<{ kind: string; namespace: string; name: string; result: string; stalePods: string[] }> };
    assert.deepEqual(report.workloads.map((w) => `${w.result} ${w.kind} ${w.namespace}/${w.name} ${w.stalePods.join(',')}`), [
      'restarted Deployment orders/orders-legacy orders-legacy-1',
      'restarted StatefulSet orders/orders-worker orders-worker-0',
      'restarted DaemonSet shop/shop-agent shop-agent-x1',
      'restarted Deployment shop/shop-web shop-web-b',
    ]);
  });

  it('sets restartedAt in RFC 3339 on the pod template and keeps the other annotations', async () => {
    const r = await run(OBJECTS, HOOK_RULES, ['--namespaces', 'shop', '--revision', 'asm-1-29']);
    assert.equal(r.code, 0, r.stderr);
    const res = await fetchObject(r.server, r.kubeconfig, '/apis/apps/v1/namespaces/shop/deployments/shop-web');
    const ann = res.spec.template.metadata.annotations;
    assert.match(ann['kubectl.kubernetes.io/restartedAt'] ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/);
    assert.notEqual(ann['kubectl.kubernetes.io/restartedAt'], '2026-11-20T10:00:00Z');
    assert.equal(ann['prometheus.io/scrape'], 'true');
    assert.equal(res.metadata.generation, 4, 'a spec change bumps the generation');
    assert.match(r.stdout, /restarted Deployment shop\/shop-web \(pods shop-web-b\)/);
  });

  it('is idempotent: nothing is patched when every pod runs the revision', async () => {
    const r = await run(allCurrent(OBJECTS), HOOK_RULES, ['--namespaces', MOVED, '--revision', 'asm-1-29']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(patches(r.server), []);
    assert.match(r.stdout, /nothing to restart/);
  });

  it('--dry-run lists and patches nothing', async () => {
    const r = await run(OBJECTS, HOOK_RULES, ['--namespaces', MOVED, '--revision', 'asm-1-29', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(patches(r.server), []);
    assert.equal((r.stdout.match(/would restart/g) ?? []).length, 4);
  });

  it('a ServiceAccount without patch rights gets 403 and exit 1 with a clear message', async () => {
    const readOnly: Rule[] = [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }, { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'statefulsets'], verbs: ['get', 'list'] }];
    const r = await run(OBJECTS, readOnly, ['--namespaces', MOVED, '--revision', 'asm-1-29']);
    assert.equal(r.code, 1);
    assert.deepEqual(r.server.requests.filter((q) => q.method === 'PATCH').map((q) => q.status), [403, 403, 403, 403]);
    assert.match(r.stderr, /4 of 4 restarts failed/);
    assert.match(r.stderr, /Deployment shop\/shop-web: 403: deployments\.apps "shop-web" is forbidden: User "system:serviceaccount:kube-system:meshplane-restart-prod" cannot patch resource "deployments" in API group "apps" in the namespace "shop"/);
    assert.match(r.stderr, /grant patch on deployments, statefulsets and daemonsets/);
  });

  for (const [name, args, message] of [
    ['no --namespaces', ['--revision', 'asm-1-29'], /name the namespaces/],
    ['a bad namespace', ['--namespaces', 'Shop', '--revision', 'asm-1-29'], /"Shop" is not a namespace name/],
    ['no --revision', ['--namespaces', 'shop'], /--revision must name the revision/],
  ] as const) {
    it(`exits 2 with nothing on stdout on usage errors: ${name}`, async () => {
      const r = await runCli(['upgrade', 'restart', ...args]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
    });
  }

  it('exits 2 when the workloads cannot be listed', async () => {
    const r = await run(OBJECTS, [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }], ['--namespaces', 'shop', '--revision', 'asm-1-29']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /permission denied.*list deployments \(apps\)/);
  });
});

/** GETs an object from the fake server with the kubeconfig's CA and token. */
async function fetchObject(server: FakeApiServer, kubeconfig: string, p: string): Promise<{ metadata: { generation: number }; spec: { template: { metadata: { annotations: Record<string, string> } } } }> {
  const { KubeConfig, AppsV1Api } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const [, , , , , ns, , name] = p.split('/');
  const obj = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: ns as string, name: name as string });
  assert.ok(server.requests.some((q) => q.method === 'GET' && q.path === p));
  return obj as unknown as { metadata: { generation: number }; spec: { template: { metadata: { annotations: Record<string, string> } } } };
}
