import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MeshplaneError } from '../../core/errors.js';
import { loadKubeConfig, SERVICE_ACCOUNT_TOKEN } from './kube-config.js';

const tmp = (): Promise<string> => mkdtemp(path.join(os.tmpdir(), 'mp-kc-'));

function kubeconfig(context: string, server: string): string {
  return `apiVersion: v1\nkind: Config\nclusters:\n- name: ${context}\n  cluster: {server: "${server}"}\nusers:\n- name: ${context}-user\n  user: {token: t}\ncontexts:\n- name: ${context}\n  context: {cluster: ${context}, user: ${context}-user}\ncurrent-context: ${context}\n`;
}

function throwsCode(fn: () => unknown, code: string, match: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof MeshplaneError && e.code === code && match.test(e.message) && !!e.hint);
}

describe('loadKubeConfig', () => {
  it('reads --kubeconfig and reports server, user, context and source', async () => {
    const file = path.join(await tmp(), 'config');
    await writeFile(file, kubeconfig('aks-prod', 'https://aks-prod.example:443'));
    const got = loadKubeConfig({ kubeconfig: file, env: {} });
    assert.deepEqual([got.server, got.user, got.context, got.source], ['https://aks-prod.example:443', 'aks-prod-user', 'aks-prod', `--kubeconfig ${file}`]);
  });

  it('fails on a missing --kubeconfig file, naming it', () => throwsCode(() => loadKubeConfig({ kubeconfig: '/nonexistent/kc', env: {} }), 'kubeconfig-invalid', /\/nonexistent\/kc does not exist/));

  it('merges KUBECONFIG files and selects --context from the second', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, 'a'), kubeconfig('a', 'https://a.example'));
    await writeFile(path.join(dir, 'b'), kubeconfig('b', 'https://b.example'));
    const got = loadKubeConfig({ env: { KUBECONFIG: `${path.join(dir, 'a')}${path.delimiter}${path.join(dir, 'b')}` }, context: 'b' });
    assert.equal(got.server, 'https://b.example');
  });

  it('fails on an unknown --context, listing the known ones', async () => {
    const file = path.join(await tmp(), 'config');
    await writeFile(file, kubeconfig('aks-prod', 'https://x.example'));
    throwsCode(() => loadKubeConfig({ kubeconfig: file, context: 'aks-dev', env: {} }), 'kubeconfig-invalid', /no context "aks-dev" \(contexts: aks-prod\)/);
  });

  it('uses ~/.kube/config from HOME', async () => {
    const home = await tmp();
    await mkdir(path.join(home, '.kube'));
    await writeFile(path.join(home, '.kube', 'config'), kubeconfig('home', 'https://home.example'));
    assert.equal(loadKubeConfig({ env: { HOME: home } }).server, 'https://home.example');
  });

  it('uses the pod service account in a cluster (the hook Job)', async () => {
    const prefix = await tmp();
    await mkdir(path.join(prefix, path.dirname(SERVICE_ACCOUNT_TOKEN)), { recursive: true });
    await writeFile(path.join(prefix, SERVICE_ACCOUNT_TOKEN), 'sa-token');
    // loadFromCluster reads the service host and port from the process environment itself.
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    Object.assign(process.env, { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' });
    try {
      const got = loadKubeConfig({ env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', HOME: prefix }, serviceAccountPrefix: prefix });
      assert.deepEqual([got.server, got.source], ['https://10.0.0.1:443', 'in-cluster service account']);
    } finally {
      for (const [k, v] of [['KUBERNETES_SERVICE_HOST', saved.host], ['KUBERNETES_SERVICE_PORT', saved.port]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('fails when nothing is configured, instead of guessing localhost:8080', async () => {
    throwsCode(() => loadKubeConfig({ env: { HOME: os.tmpdir() }, serviceAccountPrefix: '/nonexistent' }), 'kubeconfig-invalid', /no cluster configuration found/);
  });
});
