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
    assert.deepEqual(docs.map((d) => d.kind).sort(), ['Deployment', 'HorizontalPodAutoscaler', 'Namespace', 'PodDisruptionBudget', 'Service']);
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
