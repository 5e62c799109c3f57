/**
 * The fake API server answers with the Kubernetes API's shapes. Checked in-process with supertest
 * (no TLS) so a shape regression shows here, not as a confusing client-library failure.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { FakeCluster } from './cluster.js';
import { loadScenario } from './harness.js';
import { createFakeApiApp, type RecordedRequest } from './server.js';

const TOKEN = 'good-token';

async function app(scenario = 'foreign-istiod', rules?: Parameters<typeof createFakeApiApp>[1]['rules']) {
  const s = await loadScenario(scenario);
  const log: RecordedRequest[] = [];
  return { app: createFakeApiApp(new FakeCluster(s.cluster), { token: TOKEN, ...(rules ? { rules, user: 'system:serviceaccount:kube-system:sa' } : {}) }, log, () => '127.0.0.1:6443'), log };
}

const get = (a: Awaited<ReturnType<typeof app>>['app'], url: string, token = TOKEN) => request(a).get(url).set('Authorization', `Bearer ${token}`);

describe('fake API server', () => {
  it('/version is a VersionInfo', async () => {
    const r = await get((await app()).app, '/version');
    assert.equal(r.status, 200);
    assert.deepEqual([r.body.major, r.body.minor, r.body.gitVersion], ['1', '32', 'v1.32.3']);
  });

  it('/api and /apis are discovery documents; CRD groups are served', async () => {
    const { app: a } = await app();
    const api = await get(a, '/api');
    assert.deepEqual([api.body.kind, api.body.versions], ['APIVersions', ['v1']]);
    const apis = await get(a, '/apis');
    assert.equal(apis.body.kind, 'APIGroupList');
    const iop = apis.body.groups.find((g: { name: string }) => g.name === 'install.istio.io');
    assert.deepEqual(iop?.preferredVersion, { groupVersion: 'install.istio.io/v1alpha1', version: 'v1alpha1' });
  });

  it('lists are <Kind>Lists with resourceVersion; built-in items carry no apiVersion/kind, custom ones do', async () => {
    const { app: a } = await app();
    const nodes = await get(a, '/api/v1/nodes');
    assert.deepEqual([nodes.body.kind, nodes.body.apiVersion, nodes.body.metadata.resourceVersion], ['NodeList', 'v1', '4242']);
    assert.ok(nodes.body.items.length >= 4);
    assert.equal(nodes.body.items[0].kind, undefined);
    assert.match(nodes.body.items[0].metadata.uid, /^[0-9a-f]{8}-/);
    const iops = await get(a, '/apis/install.istio.io/v1alpha1/istiooperators');
    assert.deepEqual([iops.body.kind, iops.body.items[0].kind], ['IstioOperatorList', 'IstioOperator']);
  });

  it('applies namespace, label and field selectors', async () => {
    const { app: a } = await app();
    const names = async (url: string): Promise<string[]> => (await get(a, url)).body.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    assert.deepEqual(await names('/apis/apps/v1/deployments?labelSelector=app%20in%20(istiod%2Cosm-controller)'), ['istiod-asm-1-28', 'istiod']);
    assert.deepEqual(await names('/apis/apps/v1/namespaces/kube-system/deployments'), ['coredns']);
    assert.deepEqual(await names('/api/v1/pods?fieldSelector=spec.nodeName%3Dakswin000000'), ['iis-0']);
    assert.deepEqual(await names('/api/v1/namespaces/shop/pods'), ['batch-burst-0', 'web-7c9f5d-abcde']);
  });

  it('pages with limit and continue, then stops', async () => {
    const { app: a } = await app();
    const first = await get(a, '/api/v1/namespaces?limit=2');
    assert.equal(first.body.items.length, 2);
    assert.ok(first.body.metadata.continue);
    assert.equal(first.body.metadata.remainingItemCount, 4);
    const seen = [...first.body.items];
    let cont = first.body.metadata.continue as string | undefined;
    while (cont) {
      const page = await get(a, `/api/v1/namespaces?limit=2&continue=${encodeURIComponent(cont)}`);
      seen.push(...page.body.items);
      cont = page.body.metadata.continue;
    }
    assert.equal(seen.length, (await get(a, '/api/v1/namespaces')).body.items.length);
  });

  it('remainingItemCount only for an unfiltered list with more to come (ListMeta: unknown, so left out, under a selector)', async () => {
    const { app: a } = await app();
    const cases: Array<[string, number | undefined]> = [
      ['/api/v1/namespaces?limit=2', 4],
      ['/api/v1/namespaces?limit=2&labelSelector=%21no-such-label', undefined],
      ['/api/v1/namespaces?limit=2&fieldSelector=metadata.name%21%3Dnone', undefined],
      ['/api/v1/namespaces?limit=100', undefined],
    ];
    for (const [url, want] of cases) {
      const r = await get(a, url);
      assert.equal(r.status, 200, url);
      assert.equal(r.body.metadata.remainingItemCount, want, url);
      assert.equal('remainingItemCount' in r.body.metadata, want !== undefined, `${url}: the field is omitted, not null`);
    }
    for (const [url] of cases.slice(1, 3)) assert.ok((await get(a, url)).body.metadata.continue, `${url}: a filtered first page still continues`);
  });

  it('Status details as apimachinery fills them: kind is the resource, group and name only when not empty', async () => {
    const { app: a } = await app('clean', [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }]);
    const cases: Array<[string, number, Record<string, string>, RegExp]> = [
      ['/api/v1/namespaces/shop/pods', 403, { kind: 'pods' }, /^pods is forbidden: /],
      ['/api/v1/namespaces/shop/pods/web-0', 403, { name: 'web-0', kind: 'pods' }, /^pods "web-0" is forbidden: User "system:serviceaccount:kube-system:sa" cannot get resource "pods" in API group "" in the namespace "shop"$/],
      ['/apis/apps/v1/namespaces/shop/deployments/web', 403, { name: 'web', group: 'apps', kind: 'deployments' }, /^deployments\.apps "web" is forbidden: .* cannot get resource "deployments" in API group "apps"/],
      ['/apis', 403, {}, /^forbidden: User ".*" cannot get path "\/apis"$/],
    ];
    for (const [url, code, want, message] of cases) {
      const r = await get(a, url);
      assert.deepEqual([r.status, r.body.reason, r.body.details], [code, 'Forbidden', want], url);
      assert.match(r.body.message, message, url);
    }
    const { app: open } = await app();
    const missing: Array<[string, Record<string, string>]> = [
      ['/api/v1/namespaces/shop/pods/nope', { name: 'nope', kind: 'pods' }],
      ['/apis/apps/v1/namespaces/shop/deployments/nope', { name: 'nope', group: 'apps', kind: 'deployments' }],
    ];
    for (const [url, want] of missing) assert.deepEqual((await get(open, url)).body.details, want, url);
  });

  it('answers errors with Status objects: 401, 404, 400, 405', async () => {
    const { app: a } = await app();
    const cases: Array<[request.Test, number, string]> = [
      [get(a, '/api/v1/nodes', 'wrong'), 401, 'Unauthorized'],
      [request(a).get('/version'), 401, 'Unauthorized'],
      [get(a, '/apis/batch/v1/jobs'), 404, 'NotFound'],
      [get(a, '/api/v1/namespaces/shop/pods/nope'), 404, 'NotFound'],
      [get(a, '/no/such/path'), 404, 'NotFound'],
      [get(a, '/api/v1/pods?fieldSelector=spec.hostname%3Dx'), 400, 'BadRequest'],
      [request(a).delete('/api/v1/nodes').set('Authorization', `Bearer ${TOKEN}`), 405, 'MethodNotAllowed'],
    ];
    for (const [p, code, reason] of cases) {
      const r = await p;
      assert.deepEqual([r.status, r.body.kind, r.body.apiVersion, r.body.status, r.body.reason, r.body.code], [code, 'Status', 'v1', 'Failure', reason, code], p.url);
    }
  });

  it('enforces ClusterRole rules with the real 403 wording, and records every request', async () => {
    const { app: a, log } = await app('clean', [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }, { nonResourceURLs: ['/version'], verbs: ['get'] }]);
    assert.equal((await get(a, '/api/v1/nodes')).status, 200);
    assert.equal((await get(a, '/version')).status, 200);
    const pods = await get(a, '/api/v1/namespaces/shop/pods');
    assert.equal(pods.status, 403);
    assert.equal(pods.body.message, 'pods is forbidden: User "system:serviceaccount:kube-system:sa" cannot list resource "pods" in API group "" in the namespace "shop"');
    assert.equal((await get(a, '/apis')).status, 403);
    assert.deepEqual(log.map((l) => `${l.status} ${l.path}`), ['200 /api/v1/nodes', '200 /version', '403 /api/v1/namespaces/shop/pods', '403 /apis']);
  });

  describe('writes (opt-in: writable)', () => {
    async function writable() {
      const s = await loadScenario('clean');
      return createFakeApiApp(new FakeCluster(s.cluster), { token: TOKEN, writable: true }, [], () => '127.0.0.1:6443');
    }
    const post = (a: Awaited<ReturnType<typeof writable>>, url: string, body: unknown) => request(a).post(url).set('Authorization', `Bearer ${TOKEN}`).send(body as object);
    const del = (a: Awaited<ReturnType<typeof writable>>, url: string) => request(a).delete(url).set('Authorization', `Bearer ${TOKEN}`);
    const dep = (name: string, ns?: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, ...(ns ? { namespace: ns } : {}) } });

    it('a group-version lists its resources with kind, plural and scope (what client-node maps kinds with)', async () => {
      const a = await writable();
      const apps = await get(a, '/apis/apps/v1');
      assert.deepEqual([apps.body.kind, apps.body.groupVersion], ['APIResourceList', 'apps/v1']);
      assert.deepEqual(apps.body.resources.map((r: { name: string; kind: string; namespaced: boolean }) => [r.name, r.kind, r.namespaced]), [['deployments', 'Deployment', true], ['statefulsets', 'StatefulSet', true], ['daemonsets', 'DaemonSet', true]]);
      assert.ok((await get(a, '/api/v1')).body.resources.some((r: { name: string; namespaced: boolean }) => r.name === 'namespaces' && !r.namespaced));
      assert.equal((await get(a, '/apis/nothing.example/v1')).status, 404);
    });

    it('creates (201), refuses a taken name (409) and a missing namespace (404), deletes (200, then 404)', async () => {
      const a = await writable();
      const noNs = await post(a, '/apis/apps/v1/namespaces/missing/deployments', dep('x'));
      assert.deepEqual([noNs.status, noNs.body.message, noNs.body.details], [404, 'namespaces "missing" not found', { name: 'missing', kind: 'namespaces' }]);
      assert.equal((await post(a, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'made' } })).status, 201);
      const made = await post(a, '/apis/apps/v1/namespaces/made/deployments', dep('x'));
      assert.deepEqual([made.status, made.body.metadata.namespace, typeof made.body.metadata.uid], [201, 'made', 'string']);
      const again = await post(a, '/apis/apps/v1/namespaces/made/deployments', dep('x', 'made'));
      assert.deepEqual([again.status, again.body.reason, again.body.details], [409, 'AlreadyExists', { name: 'x', group: 'apps', kind: 'deployments' }]);
      assert.equal((await post(a, '/apis/apps/v1/namespaces/made/deployments', dep('y', 'other'))).status, 400);
      assert.equal((await get(a, '/apis/apps/v1/namespaces/made/deployments/x')).status, 200);
      const gone = await del(a, '/apis/apps/v1/namespaces/made/deployments/x');
      assert.deepEqual([gone.body.status, gone.body.details.name, gone.body.details.group, gone.body.details.kind, typeof gone.body.details.uid], ['Success', 'x', 'apps', 'deployments', 'string']);
      const core = await del(a, '/api/v1/namespaces/made');
      assert.deepEqual([core.body.details.name, 'group' in core.body.details, core.body.details.kind], ['made', false, 'namespaces'], 'no group for the core group');
      assert.equal((await get(a, '/apis/apps/v1/namespaces/made/deployments/x')).status, 404);
      assert.equal((await del(a, '/apis/apps/v1/namespaces/made/deployments/x')).status, 404);
    });

    it('a created CRD serves its type', async () => {
      const a = await writable();
      const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.io' }, spec: { group: 'example.io', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' }, versions: [{ name: 'v1', served: true }] } };
      assert.equal((await get(a, '/apis/example.io/v1/widgets')).status, 404);
      assert.equal((await post(a, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status, 201);
      assert.equal((await get(a, '/apis/example.io/v1/widgets')).status, 200);
    });

    it('without writable, writes stay 405', async () => {
      const { app: a } = await app('clean');
      assert.equal((await post(a as never, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } })).status, 405);
    });
  });
});
