/**
 * Preflight in-process against the fake API server: the real @kubernetes/client-node does the
 * talking (over HTTPS with a throwaway CA when openssl exists), the real render pipeline reads
 * the intent. One case per scenario in test/cases/preflight/, then the failure modes: paging,
 * wrong token, server down, a server that never answers, an untrusted certificate, in-cluster config.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MeshplaneError } from '../../src/core/errors.js';
import { SERVICE_ACCOUNT_TOKEN } from '../../src/integrations/preflight/kube-config.js';
import { hasErrors, runPreflight, type PreflightReport } from '../../src/integrations/preflight/run.js';
import { closedPort, trackedScenarios, startSilentServer, writeIntentDir, writeKubeconfig } from '../fake-apiserver/harness.js';
import { testCertificates } from '../fake-apiserver/tls.js';

const TRANSPORT = testCertificates() ? 'HTTPS' : 'plain HTTP (no openssl on PATH)';
const scenario = trackedScenarios();

const INTENT = { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'prod' }, spec: { mode: 'Istio', istio: { revisions: ['asm-1-28'] } } };

const lines = (r: PreflightReport): string[] => r.violations.map((v) => `${v.severity} ${v.ruleId} ${v.resource}`);

async function rejectsWith(p: Promise<unknown>, code: string, match: RegExp): Promise<MeshplaneError> {
  let caught: unknown;
  await p.catch((e: unknown) => void (caught = e));
  assert.ok(caught instanceof MeshplaneError, `expected a MeshplaneError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.match(caught.message, match);
  assert.ok(caught.hint && caught.hint.length > 20, 'says how to fix it');
  return caught;
}

const SCENARIOS: Array<{ name: string; expect: string[] }> = [
  { name: 'clean', expect: [] },
  {
    name: 'osm',
    expect: [
      'warning preflight-osm-installed apiextensions.k8s.io/CustomResourceDefinition/_cluster/meshconfigs.config.openservicemesh.io',
      'error preflight-osm-installed apps/Deployment/osm-system/osm-controller',
      'error preflight-osm-installed core/Namespace/_cluster/legacy',
    ],
  },
  {
    name: 'foreign-istiod',
    expect: [
      'error preflight-foreign-istio admissionregistration.k8s.io/MutatingWebhookConfiguration/_cluster/istio-sidecar-injector',
      'error preflight-foreign-istio apps/Deployment/istio-system/istiod',
      'error preflight-foreign-istio install.istio.io/IstioOperator/istio-system/installed-state',
    ],
  },
  {
    name: 'aks-addon',
    expect: [
      'error preflight-aks-addon-present admissionregistration.k8s.io/MutatingWebhookConfiguration/_cluster/istio-sidecar-injector-asm-1-28-aks-istio-system',
      'error preflight-aks-addon-present apps/Deployment/aks-istio-system/istiod-asm-1-28',
    ],
  },
  { name: 'windows-workload', expect: ['error preflight-windows-workload core/Pod/shop/legacy-api-0'] },
  { name: 'virtual-node-workload', expect: ['error preflight-virtual-node-workload core/Pod/shop/web-burst-0'] },
  { name: 'old-kubernetes', expect: ['error preflight-kubernetes-incompatible meshplane.io/ServiceMesh/_cluster/prod'] },
  {
    name: 'downgrade',
    expect: [
      'error preflight-revision-downgrade apps/Deployment/aks-istio-system/istiod-asm-1-28',
      // shop is labelled asm-1-28, which the downgraded intent no longer installs.
      'error preflight-injection-revision-missing core/Namespace/_cluster/shop',
    ],
  },
  {
    name: 'foreign-injector',
    expect: [
      'error preflight-foreign-istio admissionregistration.k8s.io/MutatingWebhookConfiguration/_cluster/istio-sidecar-injector-1-26-3',
      'error preflight-foreign-istio apps/Deployment/istio-system/istiod-1-26-3',
      'warning preflight-injection-revision-missing core/Namespace/_cluster/books',
      'warning preflight-sidecar-revision-removed core/Pod/books/catalog-6f7d8c-k2l9p',
    ],
  },
  {
    name: 'orphaned-revision',
    expect: [
      'error preflight-injection-revision-missing core/Namespace/_cluster/legacy',
      'warning preflight-injection-revision-missing core/Namespace/_cluster/old',
      'error preflight-injection-revision-missing core/Pod/jobs/report-0',
      'error preflight-sidecar-revision-removed core/Pod/edge/ingress-7c9f8d-m2kfp',
      'error preflight-sidecar-revision-removed core/Pod/jobs/report-0',
      'error preflight-sidecar-revision-removed core/Pod/legacy/ledger-5d8f7b-x2x9k',
      'error preflight-sidecar-revision-removed core/Pod/payments/api-6b7c9d-4kq2p',
    ],
  },
];

describe(`preflight against the fake API server (${TRANSPORT})`, () => {
  for (const s of SCENARIOS) {
    it(`${s.name}: ${s.expect.length ? s.expect.map((e) => e.split(' ')[1]).filter((v, i, a) => a.indexOf(v) === i).join(', ') : 'passes'}`, async (t) => {
      const r = await scenario(s.name);
      if (testCertificates()) assert.match(r.server.url, /^https:/);
      const report = await runPreflight({ dir: r.dir, kubeconfig: r.kubeconfig, env: {} });
      assert.deepEqual(lines(report), s.expect);
      assert.equal(hasErrors(report), s.expect.some((e) => e.startsWith('error')));
      assert.equal(report.kubernetesVersion, r.scenario.cluster.gitVersion);
      assert.equal(report.server, r.server.url);
      assert.equal(report.requests, r.server.requests.length, 'the report counts the requests the server saw');
      assert.ok(r.server.requests.every((q) => q.status === 200), 'no request failed');
      t.diagnostic(`${report.requests} requests; cluster reads ${report.timings.clusterMs} ms; total ${report.timings.totalMs} ms`);
    });
  }

  it('follows continue tokens: one item per page gives the same findings', async () => {
    const r = await scenario('osm');
    const paged = await runPreflight({ dir: r.dir, kubeconfig: r.kubeconfig, env: {}, pageSize: 1 });
    assert.deepEqual(lines(paged), SCENARIOS.find((s) => s.name === 'osm')?.expect);
    assert.ok(r.server.requests.some((q) => q.query.continue), 'continue tokens were sent');
    assert.ok(r.server.requests.every((q) => q.attributes?.kind !== 'resource' || q.query.limit === '1'));
  });

  it('reads pods on Windows and virtual nodes by field selector, and mesh pods by label selector, never every pod', async () => {
    const r = await scenario('clean');
    await runPreflight({ dir: r.dir, kubeconfig: r.kubeconfig, env: {} });
    const podReads = r.server.requests.filter((q) => q.attributes?.kind === 'resource' && q.attributes.resource === 'pods');
    assert.deepEqual(podReads.map((q) => q.query.fieldSelector ?? `labelSelector=${q.query.labelSelector ?? ''}`).sort(), ['labelSelector=istio.io/rev', 'labelSelector=service.istio.io/canonical-name', 'spec.nodeName=akswin000000', 'spec.nodeName=virtual-node-aci-linux']);
  });

  it('orphaned-revision: every finding says what, where and how to fix it', async () => {
    const r = await scenario('orphaned-revision');
    const report = await runPreflight({ dir: r.dir, kubeconfig: r.kubeconfig, env: {} });
    const text = (rule: string, resource: string): string => {
      const v = report.violations.find((x) => x.ruleId === rule && x.resource === resource);
      assert.ok(v, `${rule} ${resource}`);
      return `${v.message}\n${v.remediation}`;
    };
    const legacy = text('preflight-injection-revision-missing', 'core/Namespace/_cluster/legacy');
    assert.match(legacy, /namespace legacy is labelled istio\.io\/rev=asm-1-27.*istiod aks-istio-system\/istiod-asm-1-27 serves asm-1-27 now.*the sync removes it/);
    assert.match(legacy, /kubectl label namespace legacy istio\.io\/rev=asm-1-28 --overwrite/);
    assert.match(legacy, /keep asm-1-27 in spec\.istio\.revisions for one more commit/);
    const meshYaml = (await readFile(path.join(r.dir, 'mesh.yaml'), 'utf8')).split('\n');
    const where = report.violations.find((x) => x.resource === 'core/Namespace/_cluster/legacy')?.where;
    assert.equal(where?.file, 'mesh.yaml');
    assert.match(meshYaml[(where?.line ?? 0) - 1] ?? '', /revisions:/, 'the error points at spec.istio.revisions, the field "keep it" edits');
    assert.equal(report.violations.find((x) => x.resource === 'core/Namespace/_cluster/old')?.where, undefined, 'a warning about a value nothing serves has no intent field to point at');
    assert.match(text('preflight-injection-revision-missing', 'core/Namespace/_cluster/old'), /nothing of this mesh serves asm-1-20 now either[\s\S]*kubectl label namespace old istio\.io\/rev-/);
    assert.match(text('preflight-injection-revision-missing', 'core/Pod/jobs/report-0'), /pod report-0 in namespace jobs is labelled istio\.io\/rev=asm-1-27 \(the namespace has no injection label/);
    const payments = text('preflight-sidecar-revision-removed', 'core/Pod/payments/api-6b7c9d-4kq2p');
    assert.match(payments, /6 pods api-6b7c9d-4kq2p, api-6b7c9d-9zt5m, batchrs-w7x2p, debug, fx-agent-q8k2m and 1 more in namespace payments run sidecars injected by asm-1-27/);
    // The pods' ownerReferences reach the check through @kubernetes/client-node's typed V1Pod: the
    // fix names the workloads that own them, never a namespace-wide restart.
    assert.match(payments, /restart them so istio\.io\/rev=asm-1-28 injects them again: `kubectl rollout restart -n payments daemonset\/fx-agent deployment\/api`; job\/settle-29012345 is a Job, which `rollout restart` does not restart: .*; replicaset\/batchrs is a ReplicaSet whose name is not <deployment>-<pod-template-hash>, so no Deployment is named: .*; pod\/debug has no controller, so nothing recreates it: delete and recreate it from its manifest/);
    assert.match(text('preflight-sidecar-revision-removed', 'core/Pod/edge/ingress-7c9f8d-m2kfp'), /`kubectl rollout restart -n edge deployment\/ingress`/);
    assert.match(legacy, /then restart the workloads of its meshed pods: `kubectl rollout restart -n legacy deployment\/ledger`; or keep asm-1-27/, 'the evicted ledger pod adds nothing; the Deployment is named once');
    assert.match(text('preflight-injection-revision-missing', 'core/Pod/jobs/report-0'), /in the manifest of statefulset\/report .*restart them: `kubectl rollout restart -n jobs statefulset\/report`/);
    for (const v of report.violations) assert.doesNotMatch(v.remediation, /rollout restart deployment -n|StatefulSets and DaemonSets/, `${v.ruleId} ${v.resource}: no namespace-wide restart`);
    const ledger = text('preflight-sidecar-revision-removed', 'core/Pod/legacy/ledger-5d8f7b-x2x9k');
    assert.match(ledger, /point namespace legacy .* at asm-1-28, then restart them/);
    assert.match(ledger, /^pod ledger-5d8f7b-x2x9k in namespace legacy runs a sidecar/, 'the evicted pod (phase Failed) runs no proxy and is not counted');
  });

  it('foreign-injector: a value an unmanaged webhook serves is described as served by it, not by nothing', async () => {
    const r = await scenario('foreign-injector');
    const report = await runPreflight({ dir: r.dir, kubeconfig: r.kubeconfig, env: {} });
    const books = report.violations.find((v) => v.resource === 'core/Namespace/_cluster/books');
    // The webhook's namespaceSelector reaches the check through @kubernetes/client-node's typed V1MutatingWebhook.
    assert.match(books?.message ?? '', /nothing of this mesh serves 1-26-3 now; the MutatingWebhookConfiguration istio-sidecar-injector-1-26-3, which this mesh does not manage, selects it: new pods in books get that webhook's sidecar, from outside this mesh$/);
    assert.doesNotMatch(books?.message ?? '', /no injection webhook matches/);
    assert.match(books?.remediation ?? '', /then restart the workloads of its meshed pods: `kubectl rollout restart -n books deployment\/catalog`; or remove the label/);
    const pod = report.violations.find((v) => v.resource === 'core/Pod/books/catalog-6f7d8c-k2l9p');
    assert.match(pod?.message ?? '', /istiod istio-system\/istiod-1-26-3, which this mesh does not manage, runs that revision, so its proxy most likely stays on that control plane, outside this mesh$/);
  });

  it('a wrong token: authentication failed (cluster-auth-failed)', async () => {
    const r = await scenario('clean', { clientToken: 'expired-token' });
    await rejectsWith(runPreflight({ dir: r.dir, kubeconfig: r.kubeconfig, env: {} }), 'cluster-auth-failed', new RegExp(`authentication failed: .*${r.server.url.replace(/[.:/]/g, '\\$&')}.*"tester".*401`));
    assert.equal(r.server.requests.length, 1, 'stops after the first refused request');
  });

  it('KUBECONFIG merges as kubectl does: a missing file is skipped with a warning, the first file\'s "fake" and "tester" win over a later file\'s', async () => {
    const r = await scenario('clean');
    const port = await closedPort();
    const later = await writeKubeconfig(`https://127.0.0.1:${port}`, 'other-token');
    const missing = path.join(path.dirname(later), 'missing');
    const report = await runPreflight({ dir: r.dir, env: { KUBECONFIG: [missing, r.kubeconfig, later].join(path.delimiter) } });
    assert.equal(report.server, r.server.url);
    assert.deepEqual(lines(report), []);
    assert.deepEqual(report.notices.filter((n) => n.level === 'warning').map((n) => n.message.replace(/ \(from .*/, '')), [`the kubeconfig file ${missing} does not exist and is skipped, as kubectl skips it`]);
  });

  it('server down: cannot reach, connection refused (cluster-unreachable)', async () => {
    const port = await closedPort();
    const kc = await writeKubeconfig(`https://127.0.0.1:${port}`, 't');
    const dir = await writeIntentDir(INTENT);
    await rejectsWith(runPreflight({ dir, kubeconfig: kc, env: {} }), 'cluster-unreachable', new RegExp(`cannot reach the Kubernetes API server at https://127\\.0\\.0\\.1:${port} \\(GET /version\\): connection refused`));
  });

  it('a server that never answers: gives up at the deadline', async () => {
    const silent = await startSilentServer();
    try {
      const kc = await writeKubeconfig(silent.url, 't');
      const dir = await writeIntentDir(INTENT);
      const started = Date.now();
      await rejectsWith(runPreflight({ dir, kubeconfig: kc, env: {}, timeoutMs: 300 }), 'cluster-unreachable', /did not answer GET \/version within 0\.3 s/);
      assert.ok(Date.now() - started < 5000);
    } finally {
      await silent.close();
    }
  });

  it('a certificate the kubeconfig does not trust: TLS error, not a silent insecure connection', { skip: testCertificates() ? false : 'needs openssl for a TLS server' }, async () => {
    const r = await scenario('clean');
    const kc = await writeKubeconfig(r.server.url, 'preflight-test-token');
    await rejectsWith(runPreflight({ dir: r.dir, kubeconfig: kc, env: {} }), 'cluster-unreachable', /TLS certificate .* not trusted/);
  });

  it('in-cluster: the pod service account token and CA (as the hook Job runs)', { skip: testCertificates() ? false : 'needs openssl for a TLS server' }, async () => {
    const r = await scenario('clean', { token: 'service-account-token' });
    const prefix = await mkdtemp(path.join(os.tmpdir(), 'mp-sa-'));
    const saDir = path.join(prefix, path.dirname(SERVICE_ACCOUNT_TOKEN));
    await mkdir(saDir, { recursive: true });
    await writeFile(path.join(prefix, SERVICE_ACCOUNT_TOKEN), 'service-account-token');
    await writeFile(path.join(saDir, 'ca.crt'), r.server.caPem ?? '');
    await writeFile(path.join(saDir, 'namespace'), 'kube-system');
    const { port } = new URL(r.server.url);
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    Object.assign(process.env, { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port });
    try {
      const report = await runPreflight({ dir: r.dir, env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', HOME: prefix }, serviceAccountPrefix: prefix });
      assert.deepEqual([report.violations, report.server], [[], r.server.url]);
    } finally {
      for (const [k, v] of [['KUBERNETES_SERVICE_HOST', saved.host], ['KUBERNETES_SERVICE_PORT', saved.port]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('a Disabled mesh checks nothing and passes', async () => {
    const r = await scenario('foreign-istiod');
    const dir = await writeIntentDir({ apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'prod' }, spec: { mode: 'Disabled', disabled: { acknowledgePrune: true } } });
    const report = await runPreflight({ dir, kubeconfig: r.kubeconfig, env: {} });
    assert.deepEqual(report.violations, []);
    assert.match(report.skipped ?? '', /Disabled/);
  });
});
