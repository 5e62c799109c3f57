/**
 * The fake server's 403 answers as the real @kubernetes/client-node receives them, for requests on
 * subresources, a namespace object and its subresources, cluster-scoped subresources and a list:
 * the Status a real API server sends (k8s.io/apiserver v0.36.3 responsewriters/errors.go
 * forbiddenMessage, k8s.io/apimachinery v0.36.3 errors.go NewForbidden; request-info.ts), and
 * what Meshplane makes of it (preflight/api-errors.ts shows the server's message as is).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiException, AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { statusMessage, toClusterError } from '../../src/integrations/preflight/api-errors.js';
import { trackedScenarios } from './harness.js';
import type { Rule } from './rbac.js';

const USER = 'system:serviceaccount:kube-system:meshplane-preflight-prod';
/** Reads of the objects themselves, none of their subresources. */
const RULES: Rule[] = [
  { apiGroups: [''], resources: ['pods', 'nodes', 'namespaces'], verbs: ['get', 'list'] },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'patch'] },
];
const scenario = trackedScenarios();

/** The ApiException a client call ends with (fails when it succeeds). */
async function rejection(call: Promise<unknown>): Promise<ApiException<string>> {
  try {
    await call;
  } catch (err) {
    assert.ok(err instanceof ApiException, String(err));
    return err as ApiException<string>;
  }
  assert.fail('the request was allowed');
}

async function clients(rules: Rule[]) {
  const r = await scenario('clean', { rules, user: USER });
  const kc = new KubeConfig();
  kc.loadFromFile(r.kubeconfig);
  return { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api), server: r.server };
}

describe('403 Forbidden from the fake API server through @kubernetes/client-node', () => {
  it('names the resource with its subresource in the reason and without it in the prefix and details', async () => {
    const { core, apps } = await clients(RULES);
    const cases: Array<[string, Promise<unknown>, string, Record<string, string>]> = [
      ['pod log', core.readNamespacedPodLog({ namespace: 'shop', name: 'web-0' }), `pods "web-0" is forbidden: User "${USER}" cannot get resource "pods/log" in API group "" in the namespace "shop"`, { name: 'web-0', kind: 'pods' }],
      ['pod eviction', core.createNamespacedPodEviction({ namespace: 'shop', name: 'web-0', body: { metadata: { name: 'web-0', namespace: 'shop' } } }), `pods "web-0" is forbidden: User "${USER}" cannot create resource "pods/eviction" in API group "" in the namespace "shop"`, { name: 'web-0', kind: 'pods' }],
      ['deployment status', apps.readNamespacedDeploymentStatus({ namespace: 'kube-system', name: 'coredns' }), `deployments.apps "coredns" is forbidden: User "${USER}" cannot get resource "deployments/status" in API group "apps" in the namespace "kube-system"`, { name: 'coredns', group: 'apps', kind: 'deployments' }],
      ['deployment scale', apps.patchNamespacedDeploymentScale({ namespace: 'kube-system', name: 'coredns', body: { spec: { replicas: 2 } } }), `deployments.apps "coredns" is forbidden: User "${USER}" cannot patch resource "deployments/scale" in API group "apps" in the namespace "kube-system"`, { name: 'coredns', group: 'apps', kind: 'deployments' }],
      ['node status (cluster scope)', core.readNodeStatus({ name: 'aks-user-0' }), `nodes "aks-user-0" is forbidden: User "${USER}" cannot get resource "nodes/status" in API group "" at the cluster scope`, { name: 'aks-user-0', kind: 'nodes' }],
      ['namespace status (in the namespace itself)', core.readNamespaceStatus({ name: 'shop' }), `namespaces "shop" is forbidden: User "${USER}" cannot get resource "namespaces/status" in API group "" in the namespace "shop"`, { name: 'shop', kind: 'namespaces' }],
      ['namespace finalize', core.replaceNamespaceFinalize({ name: 'shop', body: { metadata: { name: 'shop' } } }), `namespaces "shop" is forbidden: User "${USER}" cannot update resource "namespaces/finalize" in API group "" in the namespace "shop"`, { name: 'shop', kind: 'namespaces' }],
    ];
    for (const [what, call, message, details] of cases) {
      const err = await rejection(call);
      const body = JSON.parse(err.body) as { kind: string; status: string; reason: string; code: number; message: string; details: unknown };
      assert.deepEqual([err.code, body.kind, body.status, body.reason, body.code, body.message, body.details], [403, 'Status', 'Failure', 'Forbidden', 403, message, details], what);
      assert.equal(statusMessage(err), message, `${what}: Meshplane reads the server's message whole`);
    }
  });

  it('a request about a namespace object is "in the namespace" it names', async () => {
    const { core } = await clients([{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }]);
    const err = await rejection(core.readNamespace({ name: 'shop' }));
    assert.equal(statusMessage(err), `namespaces "shop" is forbidden: User "${USER}" cannot get resource "namespaces" in API group "" in the namespace "shop"`);
    const list = await rejection(core.listNamespace());
    assert.equal(statusMessage(list), `namespaces is forbidden: User "${USER}" cannot list resource "namespaces" in API group "" at the cluster scope`);
  });

  it('a rule naming the subresource (or */status) lets it through; GET status answers the object', async () => {
    for (const resources of [['deployments/status'], ['*/status']]) {
      const { apps } = await clients([{ apiGroups: ['apps'], resources, verbs: ['get'] }]);
      const d = await apps.readNamespacedDeploymentStatus({ namespace: 'kube-system', name: 'coredns' });
      assert.equal(d.metadata?.name, 'coredns', resources.join());
      const plain = await rejection(apps.readNamespacedDeployment({ namespace: 'kube-system', name: 'coredns' }));
      assert.match(statusMessage(plain) ?? '', /cannot get resource "deployments" in API group "apps"/, `${resources.join()} does not grant the object itself`);
    }
  });

  it('Meshplane\'s preflight error shows the server\'s message with the subresource', async () => {
    const { core } = await clients(RULES);
    const err = await rejection(core.readNamespacedPodLog({ namespace: 'shop', name: 'web-0' }));
    const mapped = toClusterError(err, { server: 'https://aks.example:443', user: 'tester', source: 'kubeconfig', read: { kind: 'resource', apiGroup: '', resource: 'pods', verb: 'list', why: 'a test read' }, timeoutMs: 5000 });
    assert.equal(mapped.code, 'cluster-forbidden');
    assert.match(mapped.message, /: pods "web-0" is forbidden: User "system:serviceaccount:kube-system:meshplane-preflight-prod" cannot get resource "pods\/log" in API group "" in the namespace "shop"$/);
  });
});
