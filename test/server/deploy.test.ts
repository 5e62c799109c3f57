/**
 * deploy/server builds with `kubectl kustomize`, offline: the standalone fleet (Deployment,
 * Service, HPA, PDB) as is, and the repo-server component on the sidecar test overlay (a local
 * stand-in for Argo CD's repo-server), where it adds the server container and points the plugin
 * sidecar at it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../helpers/cli.js';
import { validateObject } from '../schemas/object-validators.js';
import type { KubeObject } from '../../src/core/types.js';

const run = promisify(execFile);

interface Container { name: string; image: string; command?: string[]; args?: string[]; env?: Array<{ name: string; value?: string }>; ports?: Array<{ containerPort: number }>; readinessProbe?: Record<string, unknown>; startupProbe?: Record<string, unknown>; livenessProbe?: Record<string, unknown> }
interface Doc { kind: string; metadata: { name: string; namespace?: string }; spec: Record<string, unknown> }

async function kustomize(dir: string): Promise<Doc[]> {
  const { stdout } = await run('kubectl', ['kustomize', path.join(REPO_ROOT, dir)], { timeout: 60_000 });
  return parseAllDocuments(stdout).map((d) => d.toJS() as Doc).filter((d) => d !== null);
}

function containers(doc: Doc | undefined): Container[] {
  assert.ok(doc);
  return ((doc.spec.template as { spec: { containers: Container[] } }).spec.containers);
}

describe('deploy/server/standalone', () => {
  it('builds a Deployment, Service, HPA and PDB in namespace meshplane, with the token required', async () => {
    const docs = await kustomize('deploy/server/standalone');
    assert.deepEqual(docs.map((d) => d.kind).sort(), ['Deployment', 'HorizontalPodAutoscaler', 'Namespace', 'NetworkPolicy', 'PodDisruptionBudget', 'Service']);
    for (const d of docs.filter((x) => x.kind !== 'Namespace')) assert.equal(d.metadata.namespace, 'meshplane', d.kind);
    const [server] = containers(docs.find((d) => d.kind === 'Deployment'));
    assert.ok(server);
    assert.deepEqual(server.command?.slice(0, 2), ['meshplane', 'serve']);
    assert.ok(server.command?.includes('--token-file'), 'bound beyond loopback, so a token is configured');
    assert.ok(!server.command?.includes('--insecure-allow-unauthenticated'));
    // Strict probes here: a standalone replica that is not warm must leave the Service.
    assert.deepEqual(server.readinessProbe?.httpGet, { path: '/readyz', port: 'http' });
    assert.deepEqual(server.startupProbe?.httpGet, { path: '/readyz', port: 'http' });
    assert.deepEqual(server.livenessProbe?.httpGet, { path: '/healthz', port: 'http' });
    const hpa = docs.find((d) => d.kind === 'HorizontalPodAutoscaler');
    assert.equal((hpa?.spec.scaleTargetRef as { name: string }).name, 'meshplane-server');
    assert.ok(Number(hpa?.spec.minReplicas) >= 2);
  });
});

describe('deploy/server/repo-server', () => {
  it('builds on its own (a component: nothing to patch there)', async () => {
    assert.deepEqual(await kustomize('deploy/server/repo-server'), []);
  });

  it('on argocd-repo-server: adds meshplane-server on loopback, and MESHPLANE_SERVER to the plugin sidecar', async () => {
    const docs = await kustomize('test/server/kustomize');
    const pod = containers(docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'argocd-repo-server'));
    const server = pod.find((c) => c.name === 'meshplane-server');
    const sidecar = pod.find((c) => c.name === 'meshplane');
    assert.ok(server && sidecar);
    assert.deepEqual(server.command, ['meshplane', 'serve', '--host', '127.0.0.1', '--port', '8686']);
    assert.equal(server.image, sidecar.image, 'one image override sets both containers');
    assert.equal(sidecar.env?.find((e) => e.name === 'MESHPLANE_SERVER')?.value, 'http://127.0.0.1:8686');
    assert.deepEqual(sidecar.command, ['/var/run/argocd/argocd-cmp-server'], 'the sidecar itself is unchanged');
  });

  it('never gates the repo-server: no readiness or startup probe on a Meshplane container, liveness only on the server', async () => {
    // A pod is Ready only when every container with a readiness probe passes it, and a startup
    // probe holds readiness back until it passes: either on a Meshplane container would let a
    // cold or wedged server take argocd-repo-server out of its Service. Dropping them is safe
    // because the plugin renders in-process when the server does not answer (tested in
    // test/acceptance/server.test.ts, "MESHPLANE_SERVER unreachable").
    const docs = await kustomize('test/server/kustomize');
    const pod = containers(docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'argocd-repo-server'));
    const base = containers((await kustomize('test/argocd/kustomize')).find((d) => d.kind === 'Deployment' && d.metadata.name === 'argocd-repo-server'));
    for (const c of pod.filter((x) => !base.some((b) => b.name === x.name && b.image === x.image && !x.name.startsWith('meshplane')))) {
      assert.equal(c.readinessProbe, undefined, `${c.name} has no readinessProbe`);
      assert.equal(c.startupProbe, undefined, `${c.name} has no startupProbe`);
    }
    const server = pod.find((c) => c.name === 'meshplane-server');
    const live = server?.livenessProbe as { exec?: { command: string[] }; failureThreshold?: number } | undefined;
    assert.ok(live?.exec?.command.join(' ').includes('http://127.0.0.1:8686/healthz'), 'liveness restarts only the server container, on /healthz');
    const argocd = pod.find((c) => c.name === 'argocd-repo-server');
    assert.deepEqual(argocd, base.find((c) => c.name === 'argocd-repo-server'), 'the repo-server container is untouched');
  });

});

/** What a NetworkPolicy admits, flattened: one entry per peer. */
interface Peer { namespaceSelector?: { matchLabels: Record<string, string> }; podSelector?: { matchLabels: Record<string, string> } }

describe('deploy/server/standalone: NetworkPolicy', () => {
  it('admits only Argo CD repo-server pods and the monitoring namespace, on the server port, and selects the server pods', async () => {
    const docs = await kustomize('deploy/server/standalone');
    const policy = docs.find((d) => d.kind === 'NetworkPolicy');
    assert.ok(policy);
    const valid = await validateObject(policy as unknown as KubeObject);
    assert.equal(valid.status, 'valid', JSON.stringify(valid));
    const deployment = docs.find((d) => d.kind === 'Deployment');
    const podLabels = ((deployment?.spec.template as { metadata: { labels: Record<string, string> } }).metadata.labels);
    const selector = (policy.spec.podSelector as { matchLabels: Record<string, string> }).matchLabels;
    for (const [k, v] of Object.entries(selector)) assert.equal(podLabels[k], v, 'the policy selects the server pods');
    assert.deepEqual(policy.spec.policyTypes, ['Ingress']);
    const rules = policy.spec.ingress as Array<{ from: Peer[]; ports: Array<{ port: number; protocol: string }> }>;
    assert.equal(rules.length, 1, 'one rule: nothing else is admitted');
    const [server] = containers(deployment);
    assert.deepEqual(rules[0]?.ports, [{ protocol: 'TCP', port: server?.ports?.[0]?.containerPort }]);
    assert.deepEqual(rules[0]?.from, [
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'argocd' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-repo-server' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
    ]);
  });
});

describe('deploy/server/servicemonitor and deploy/server/tls (on the standalone server)', () => {
  it('the ServiceMonitor is valid for the prometheus-operator CRD and scrapes the Service port /metrics', async () => {
    const docs = await kustomize('test/server/kustomize-standalone');
    const monitor = docs.find((d) => d.kind === 'ServiceMonitor');
    assert.ok(monitor);
    const result = await validateObject(monitor as unknown as KubeObject);
    assert.equal(result.status, 'valid', JSON.stringify(result));
    const service = docs.find((d) => d.kind === 'Service');
    const portNames = (service?.spec.ports as Array<{ name: string }>).map((p) => p.name);
    const [endpoint] = monitor.spec.endpoints as Array<{ port: string; path: string; scheme: string; tlsConfig?: { serverName: string; ca: { secret: { name: string; key: string } } } }>;
    assert.ok(endpoint && portNames.includes(endpoint.port), 'the endpoint names a Service port');
    assert.equal(endpoint.path, '/metrics');
    const serviceLabels = (service as unknown as { metadata: { labels: Record<string, string> } }).metadata.labels;
    for (const [k, v] of Object.entries((monitor.spec.selector as { matchLabels: Record<string, string> }).matchLabels)) assert.equal(serviceLabels[k], v);
    assert.equal(endpoint.scheme, 'https', 'the TLS component switched the scrape to https');
    assert.equal(endpoint.tlsConfig?.serverName, 'meshplane-server.meshplane.svc');
    assert.equal(endpoint.tlsConfig?.ca.secret.name, 'meshplane-server-tls');
  });

  it('the TLS component mounts the Secret, points MESHPLANE_TLS_CERT/KEY at its files and probes over HTTPS', async () => {
    const docs = await kustomize('test/server/kustomize-standalone');
    const deployment = docs.find((d) => d.kind === 'Deployment');
    const [server] = containers(deployment);
    const env = Object.fromEntries((server?.env ?? []).map((e) => [e.name, e.value]));
    const mount = (server as unknown as { volumeMounts: Array<{ name: string; mountPath: string }> }).volumeMounts.find((m) => m.name === 'tls');
    assert.ok(mount);
    assert.equal(env.MESHPLANE_TLS_CERT, `${mount.mountPath}/tls.crt`);
    assert.equal(env.MESHPLANE_TLS_KEY, `${mount.mountPath}/tls.key`);
    const volumes = (deployment?.spec.template as { spec: { volumes: Array<{ name: string; secret?: { secretName: string } }> } }).spec.volumes;
    assert.equal(volumes.find((v) => v.name === 'tls')?.secret?.secretName, 'meshplane-server-tls');
    for (const probe of [server?.startupProbe, server?.readinessProbe, server?.livenessProbe]) assert.equal((probe?.httpGet as { scheme?: string }).scheme, 'HTTPS');
    assert.ok(server?.command?.includes('--token-file'), 'the token is still required');
  });

  it('each component alone builds to nothing (no standalone server to patch or scrape is only the ServiceMonitor)', async () => {
    assert.deepEqual(await kustomize('deploy/server/tls'), []);
    assert.deepEqual((await kustomize('deploy/server/servicemonitor')).map((d) => d.kind), ['ServiceMonitor']);
  });
});
