/**
 * Test plumbing around the fake API server: scenario files (test/cases/preflight/<name>.yaml),
 * a kubeconfig pointing at the server, an intent folder, and the two unhealthy servers (a port
 * nobody listens on, a server that accepts connections and never answers).
 */
import { after } from 'node:test';
import { once } from 'node:events';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO_ROOT } from '../helpers/cli.js';
import type { FakeClusterSpec, KubeObj, ResourceType } from './cluster.js';
import { startFakeApiServer, type FakeApiServer, type FakeServerOptions } from './server.js';

/** A scenario: the cluster the fake server plays and the intent preflight checks. */
export interface Scenario {
  name: string;
  description: string;
  cluster: FakeClusterSpec;
  intent: Record<string, unknown>;
}

/** The folder of scenario files. */
export const SCENARIOS_DIR = path.join(REPO_ROOT, 'test', 'cases', 'preflight');

/**
 * Built-in types a scenario may add (`cluster.types`, by kind) besides the ones preflight reads:
 * what a rendered mesh holds, for tests that sync. Plurals, groups and scopes as the Kubernetes
 * API serves them (kubernetes/api v0.32 types; `kubectl api-resources`).
 */
export const EXTRA_TYPES: readonly ResourceType[] = [
  { group: '', versions: ['v1'], plural: 'configmaps', kind: 'ConfigMap', namespaced: true, custom: false, fields: [] },
  { group: '', versions: ['v1'], plural: 'services', kind: 'Service', namespaced: true, custom: false, fields: [] },
  { group: '', versions: ['v1'], plural: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, custom: false, fields: [] },
  { group: '', versions: ['v1'], plural: 'secrets', kind: 'Secret', namespaced: true, custom: false, fields: [] },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], plural: 'clusterroles', kind: 'ClusterRole', namespaced: false, custom: false, fields: [] },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], plural: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false, custom: false, fields: [] },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], plural: 'roles', kind: 'Role', namespaced: true, custom: false, fields: [] },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], plural: 'rolebindings', kind: 'RoleBinding', namespaced: true, custom: false, fields: [] },
  { group: 'admissionregistration.k8s.io', versions: ['v1'], plural: 'validatingwebhookconfigurations', kind: 'ValidatingWebhookConfiguration', namespaced: false, custom: false, fields: [] },
  { group: 'admissionregistration.k8s.io', versions: ['v1'], plural: 'validatingadmissionpolicies', kind: 'ValidatingAdmissionPolicy', namespaced: false, custom: false, fields: [] },
  { group: 'admissionregistration.k8s.io', versions: ['v1'], plural: 'validatingadmissionpolicybindings', kind: 'ValidatingAdmissionPolicyBinding', namespaced: false, custom: false, fields: [] },
  { group: 'autoscaling', versions: ['v2'], plural: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true, custom: false, fields: [] },
  { group: 'policy', versions: ['v1'], plural: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true, custom: false, fields: [] },
];

interface ScenarioFile {
  description: string;
  /** Another scenario this one adds objects to (and may override version or intent of). */
  extends?: string;
  /** `types`: kinds from EXTRA_TYPES the cluster serves too. */
  cluster?: { version?: string; types?: string[]; objects?: KubeObj[] };
  intent?: Record<string, unknown>;
}

/** Reads test/cases/preflight/<name>.yaml, applying `extends`. */
export async function loadScenario(name: string): Promise<Scenario> {
  const doc = parse(await readFile(path.join(SCENARIOS_DIR, `${name}.yaml`), 'utf8')) as ScenarioFile;
  const base = doc.extends ? await loadScenario(doc.extends) : undefined;
  const gitVersion = doc.cluster?.version ?? base?.cluster.gitVersion;
  const intent = doc.intent ?? base?.intent;
  if (!gitVersion || !intent) throw new Error(`scenario ${name} needs cluster.version and intent (or extends a scenario that has them)`);
  const objects = [...(base?.cluster.objects ?? []), ...(doc.cluster?.objects ?? [])];
  const kinds = doc.cluster?.types ?? [];
  const unknown = kinds.filter((k) => !EXTRA_TYPES.some((t) => t.kind === k));
  if (unknown.length > 0) throw new Error(`scenario ${name}: cluster.types names ${unknown.join(', ')}, which EXTRA_TYPES does not hold`);
  const extraTypes = [...(base?.cluster.extraTypes ?? []), ...EXTRA_TYPES.filter((t) => kinds.includes(t.kind))];
  return { name, description: doc.description, cluster: { gitVersion, objects, ...(extraTypes.length ? { extraTypes } : {}) }, intent };
}

/** Writes a kubeconfig for `server` with a bearer token (and the CA when the server is HTTPS). */
export async function writeKubeconfig(server: string, token: string, caPem?: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-kubeconfig-'));
  const cluster: Record<string, string> = { server };
  if (caPem) cluster['certificate-authority-data'] = Buffer.from(caPem).toString('base64');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'fake', cluster }],
    users: [{ name: 'tester', user: { token } }],
    contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'tester' } }],
    'current-context': 'fake',
  };
  const file = path.join(dir, 'config');
  await writeFile(file, stringify(config));
  return file;
}

/** Writes the intent as mesh.yaml into a fresh folder and returns the folder. */
export async function writeIntentDir(intent: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-preflight-src-'));
  await writeFile(path.join(dir, 'mesh.yaml'), stringify(intent));
  return dir;
}

/** A localhost port with nothing listening on it (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** A server that accepts connections and never answers (for deadline tests). */
export async function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => void sockets.add(s));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A scenario served by a running fake server, with a kubeconfig and an intent folder for it. */
export interface RunningScenario {
  scenario: Scenario;
  server: FakeApiServer;
  kubeconfig: string;
  dir: string;
  close(): Promise<void>;
}

/** Starts the fake server for a scenario and writes the files preflight needs. */
export async function startScenario(name: string, opts: Partial<FakeServerOptions> & { token?: string; clientToken?: string } = {}): Promise<RunningScenario> {
  const scenario = await loadScenario(name);
  const token = opts.token ?? 'preflight-test-token';
  const server = await startFakeApiServer(scenario.cluster, { ...opts, token });
  const kubeconfig = await writeKubeconfig(server.url, opts.clientToken ?? token, server.caPem);
  const dir = await writeIntentDir(scenario.intent);
  return { scenario, server, kubeconfig, dir, close: () => server.close() };
}

/**
 * A `scenario(name, opts)` starter whose servers are all closed after the test file: call it once
 * at the top of a test file.
 */
export function trackedScenarios(): (name: string, opts?: Parameters<typeof startScenario>[1]) => Promise<RunningScenario> {
  const running: RunningScenario[] = [];
  after(async () => Promise.all(running.map((r) => r.close())));
  return async (name, opts = {}) => {
    const r = await startScenario(name, opts);
    running.push(r);
    return r;
  };
}
