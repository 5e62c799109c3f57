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
import { istiodRules, RESTART_RULES } from '../../src/pipeline/resolve-restart-hook.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import type { KubeObj } from '../fake-apiserver/cluster.js';
import type { Rule } from '../fake-apiserver/rbac.js';
import { writeKubeconfig } from '../fake-apiserver/harness.js';
import { startFakeApiServer, type FakeApiServer } from '../fake-apiserver/server.js';

const TOKEN = 'upgrade-restart-token';
const load = (f: string): KubeObj[] => (parse(readFileSync(path.join(REPO_ROOT, 'test', 'cases', 'upgrade-status', f), 'utf8')) as { objects: KubeObj[] }).objects;
/**
 * Deployment istiod-asm-1-29 in aks-istio-system with the status a Deployment controller writes
 * (apps/v1 DeploymentStatus): `ready` one available replica of generation 2, else a new
 * generation its controller has observed but whose pod is not available yet (the injection
 * webhook has no endpoint).
 */
function istiod(ready: boolean): KubeObj {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'istiod-asm-1-29', namespace: 'aks-istio-system', generation: 2 },
    spec: { replicas: 1, selector: { matchLabels: { app: 'istiod', 'istio.io/rev': 'asm-1-29' } }, template: { metadata: { labels: { app: 'istiod', 'istio.io/rev': 'asm-1-29' } }, spec: { containers: [{ name: 'discovery', image: 'istiod' }] } } },
    status: ready
      ? { observedGeneration: 2, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Available', status: 'True' }, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }] }
      : { observedGeneration: 2, replicas: 1, updatedReplicas: 1, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 1, conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }] },
  };
}
const WORKLOADS = [...load('mid-wave.yaml'), ...load('workloads.yaml')];
const OBJECTS = [...WORKLOADS, istiod(true)];
/** The hook's Role rules in the waves' namespaces (templates/restart-hook.libsonnet), written out here by hand. */
const WAVE_RULES: Rule[] = [
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'statefulsets'], verbs: ['get', 'list', 'patch'] },
];
/** The hook's Role in aks-istio-system: get on istiod-asm-1-29 only. */
const ISTIOD_RULES: Rule[] = [{ apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['istiod-asm-1-29'], verbs: ['get'] }];
const HOOK_RULES: Rule[] = [...WAVE_RULES, ...ISTIOD_RULES];
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

  it('the hook renders exactly these rules', () => {
    assert.deepEqual(RESTART_RULES, WAVE_RULES);
    assert.deepEqual(istiodRules('asm-1-29'), ISTIOD_RULES);
  });

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
    const readOnly: Rule[] = [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }, { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'statefulsets'], verbs: ['get', 'list'] }, ...ISTIOD_RULES];
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

  const istiodGets = (s: FakeApiServer): number => s.requests.filter((q) => q.method === 'GET' && q.path === '/apis/apps/v1/namespaces/aks-istio-system/deployments/istiod-asm-1-29').length;

  it('waits for istiod-<rev> first: available at once, one read, then the restarts', async () => {
    const r = await run(OBJECTS, HOOK_RULES, ['--namespaces', MOVED, '--revision', 'asm-1-29', '--timeout', '5']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(istiodGets(r.server), 1);
    const first = r.server.requests.findIndex((q) => q.path.endsWith('/istiod-asm-1-29'));
    assert.equal(first, 0, 'istiod is read before any workload');
    assert.deepEqual(patches(r.server), EXPECTED);
  });

  it('waits while istiod-<rev> has no available replica and restarts once it has one', async () => {
    const server = await startFakeApiServer({ gitVersion: 'v1.32.4', objects: [...WORKLOADS, istiod(false)] }, { token: TOKEN, rules: HOOK_RULES, user: 'system:serviceaccount:kube-system:meshplane-restart-prod' });
    servers.push(server);
    const kubeconfig = await writeKubeconfig(server.url, TOKEN, server.caPem);
    dirs.push(path.dirname(kubeconfig));
    const type = server.cluster.find('apps', 'v1', 'deployments');
    assert.ok(type);
    // The Deployment controller's status update, after the command read it not ready three times.
    const flip = setInterval(() => {
      if (istiodGets(server) >= 3) {
        server.cluster.update(type, { ...istiod(true), metadata: { ...(server.cluster.get(type, 'aks-istio-system', 'istiod-asm-1-29')?.metadata ?? {}) } } as KubeObj);
        clearInterval(flip);
      }
    }, 20);
    const r = await runCli(['upgrade', 'restart', '--kubeconfig', kubeconfig, '--context', 'fake', '--namespaces', MOVED, '--revision', 'asm-1-29', '--timeout', '15']);
    clearInterval(flip);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(istiodGets(server) >= 4, `read ${istiodGets(server)} times`);
    const lastIstiod = server.requests.map((q) => q.path).lastIndexOf('/apis/apps/v1/namespaces/aks-istio-system/deployments/istiod-asm-1-29');
    assert.ok(server.requests.slice(0, lastIstiod).every((q) => q.method === 'GET' && q.path.endsWith('/istiod-asm-1-29')), 'nothing else is read before istiod is available');
    assert.deepEqual(patches(server), EXPECTED);
  });

  it('fails (exit 2) and restarts nothing when istiod-<rev> never becomes available', async () => {
    const started = Date.now();
    const r = await run([...WORKLOADS, istiod(false)], HOOK_RULES, ['--namespaces', MOVED, '--revision', 'asm-1-29', '--timeout', '5', '--istiod-wait', '2']);
    assert.equal(r.code, 2);
    assert.ok(Date.now() - started < 12_000, 'bounded by --istiod-wait');
    assert.ok(istiodGets(r.server) >= 2, 'it polled');
    assert.deepEqual(patches(r.server), []);
    assert.ok(r.server.requests.every((q) => q.path.endsWith('/istiod-asm-1-29')), 'no workload was even listed');
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /Deployment aks-istio-system\/istiod-asm-1-29 is not available after 2 s \(generation 2, observed 2; 1 updated, 0 available of 1 desired\)/);
    assert.match(r.stderr, /kubectl -n aks-istio-system describe deployment istiod-asm-1-29/);
    assert.match(r.stderr, /larger --istiod-wait/);
  });

  it('--istiod-wait must be whole seconds from 0 to 600', async () => {
    for (const bad of ['-1', '601', '1.5', 'soon']) {
      const r = await runCli(['upgrade', 'restart', '--namespaces', MOVED, '--revision', 'asm-1-29', `--istiod-wait=${bad}`]);
      assert.equal(r.code, 2, bad);
      assert.match(r.stderr, new RegExp(`--istiod-wait must be whole seconds from 0 to 600 \\(got "${bad.replace('.', '\\.')}"\\)`), bad);
    }
  });

  it('fails helpfully and restarts nothing when istiod-<rev> does not exist', async () => {
    const r = await run(WORKLOADS, HOOK_RULES, ['--namespaces', MOVED, '--revision', 'asm-1-29', '--timeout', '5']);
    assert.equal(r.code, 2);
    assert.deepEqual(patches(r.server), []);
    assert.match(r.stderr, /Deployment aks-istio-system\/istiod-asm-1-29 does not exist/);
    assert.match(r.stderr, /spec\.istio\.revisions/);
  });

  it('a hook without the istiod Role gets 403 and a fix naming the grant', async () => {
    // The fake server's rules are cluster-wide, so "no get on deployments anywhere" stands in for
    // wave Roles that do not reach aks-istio-system (list and patch are all the restart needs there).
    const noGet: Rule[] = [WAVE_RULES[0] as Rule, { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'statefulsets'], verbs: ['list', 'patch'] }];
    const r = await run(OBJECTS, noGet, ['--namespaces', MOVED, '--revision', 'asm-1-29', '--timeout', '5']);
    assert.equal(r.code, 2);
    assert.deepEqual(patches(r.server), []);
    assert.match(r.stderr, /cannot read Deployment aks-istio-system\/istiod-asm-1-29.*403/);
    assert.match(r.stderr, /grant get on deployments \(apps\) named istiod-asm-1-29 in aks-istio-system/);
  });

  it('exits 2 when the workloads cannot be listed', async () => {
    const r = await run(OBJECTS, [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }, ...ISTIOD_RULES], ['--namespaces', 'shop', '--revision', 'asm-1-29']);
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
