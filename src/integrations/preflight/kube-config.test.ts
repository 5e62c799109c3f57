import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
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

  describe('a KUBECONFIG list merges as kubectl merges it (client-go v0.36.3 tools/clientcmd/loader.go)', () => {
    /** A kubeconfig of contexts `name -> [cluster, user]`, with the servers and tokens given. */
    interface File { contexts?: Record<string, [string, string]>; clusters?: Record<string, string>; users?: Record<string, string>; current?: string; raw?: string }
    const yamlOf = (f: File): string => f.raw ?? stringify({
      apiVersion: 'v1', kind: 'Config',
      clusters: Object.entries(f.clusters ?? {}).map(([name, server]) => ({ name, cluster: { server } })),
      users: Object.entries(f.users ?? {}).map(([name, token]) => ({ name, user: { token } })),
      contexts: Object.entries(f.contexts ?? {}).map(([name, [cluster, user]]) => ({ name, context: { cluster, user } })),
      ...(f.current ? { 'current-context': f.current } : {}),
    });
    const a: File = { clusters: { shared: 'https://a.example' }, users: { admin: 'token-a' }, contexts: { a: ['shared', 'admin'] }, current: 'a' };
    const b: File = { clusters: { shared: 'https://b.example', 'b-only': 'https://b-only.example' }, users: { admin: 'token-b' }, contexts: { a: ['b-only', 'admin'], b: ['shared', 'admin'], c: ['b-only', 'admin'] }, current: 'b' };
    const cases: Array<{ name: string; files: Array<File | 'missing'>; context?: string; want?: { server: string; context: string; token?: string; warnings?: RegExp[] }; error?: RegExp }> = [
      { name: 'a missing file is skipped with a warning', files: ['missing', a], want: { server: 'https://a.example', context: 'a', warnings: [/kubeconfig file \S+\/0 does not exist and is skipped, as kubectl skips it \(from KUBECONFIG=/] } },
      { name: 'only missing files is an error', files: ['missing', 'missing'], error: /none of the kubeconfig files in KUBECONFIG=.* exists/ },
      { name: 'a cluster, user and context of the same name: the first file wins, whole', files: [a, b], context: 'a', want: { server: 'https://a.example', context: 'a', token: 'token-a' } },
      { name: 'a context of the second file reaches the first file\'s cluster of its name', files: [a, b], context: 'b', want: { server: 'https://a.example', context: 'b', token: 'token-a' } },
      { name: 'new names of the second file are added', files: [a, b], context: 'c', want: { server: 'https://b-only.example', context: 'c' } },
      { name: 'current-context comes from the first file that sets one', files: [{ ...a, current: undefined }, b], want: { server: 'https://a.example', context: 'b' } },
      { name: 'current-context of the first file wins over the second\'s', files: [a, b], want: { server: 'https://a.example', context: 'a' } },
      { name: 'a file listing a name twice is refused, naming the file and the name', files: [a, { raw: 'apiVersion: v1\nkind: Config\nusers:\n- {name: twice, user: {token: x}}\n- {name: twice, user: {token: y}}\n' }], error: /kubeconfig file \S+\/1 \(from KUBECONFIG=.*\) is not valid: it lists the user "twice" twice/ },
      { name: 'a file that is not YAML is refused, naming it', files: [a, { raw: 'clusters: [\n' }], error: /kubeconfig file \S+\/1 cannot be read/ },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const dir = await tmp();
        const paths = await Promise.all(c.files.map(async (f, i) => {
          const file = path.join(dir, String(i));
          if (f !== 'missing') await writeFile(file, yamlOf(f));
          return file;
        }));
        const target = { env: { KUBECONFIG: paths.join(path.delimiter) }, ...(c.context ? { context: c.context } : {}) };
        if (c.error) return throwsCode(() => loadKubeConfig(target), 'kubeconfig-invalid', c.error);
        const got = loadKubeConfig(target);
        assert.deepEqual([got.server, got.context], [c.want?.server, c.want?.context]);
        if (c.want?.token) assert.equal(got.kc.getCurrentUser()?.token, c.want.token);
        const warnings = got.notices.map((n) => `${n.level}: ${n.message}`);
        assert.equal(warnings.length, c.want?.warnings?.length ?? 0, warnings.join('\n'));
        for (const w of c.want?.warnings ?? []) assert.ok(warnings.some((n) => /^warning: /.test(n) && w.test(n)), `${w} in ${warnings.join('\n')}`);
      });
    }

    it('--kubeconfig is one file: a repeated name there is refused too', async () => {
      const file = path.join(await tmp(), 'config');
      await writeFile(file, yamlOf({ raw: 'apiVersion: v1\nkind: Config\nclusters:\n- {name: c, cluster: {server: "https://x"}}\n- {name: c, cluster: {server: "https://y"}}\n' }));
      throwsCode(() => loadKubeConfig({ kubeconfig: file, env: {} }), 'kubeconfig-invalid', /lists the cluster "c" twice/);
    });
  });
});
