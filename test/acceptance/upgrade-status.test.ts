/**
 * `meshplane upgrade status` through bin/meshplane against the fake API server (the real
 * @kubernetes/client-node over HTTPS). The cluster (test/cases/upgrade-status/mid-wave.yaml) is
 * mid-way through examples/waves' upgrade asm-1-28 → asm-1-29: waves 1 and 2 moved, wave 2 only
 * partly restarted. Expectations are read off that fixture by hand: which pods run which revision.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import type { KubeObj } from '../fake-apiserver/cluster.js';
import { writeKubeconfig } from '../fake-apiserver/harness.js';
import { startFakeApiServer, type FakeApiServer } from '../fake-apiserver/server.js';

const TOKEN = 'upgrade-status-token';
const FIXTURE = path.join(REPO_ROOT, 'test', 'cases', 'upgrade-status', 'mid-wave.yaml');

/** examples/waves after `upgrade start asm-1-29` and `advance` `moved` times. */
async function intentDir(moved: number): Promise<string> {
  let text = await readFile(path.join(REPO_ROOT, 'examples', 'waves', 'mesh.yaml'), 'utf8');
  text = text.replace('revisions: [asm-1-28]', 'revisions: [asm-1-28, asm-1-29]');
  for (const tag of ['wave-early', 'wave-main', 'wave-critical'].slice(0, moved)) text = text.replace(`${tag}: asm-1-28`, `${tag}: asm-1-29`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-status-'));
  await writeFile(path.join(dir, 'mesh.yaml'), text);
  return dir;
}

/** The fixture's objects with every pod of `namespaces` re-injected by asm-1-29 and ready (a finished restart). */
function restarted(objects: KubeObj[], namespaces: string[]): KubeObj[] {
  return objects.map((o) => {
    if (o.kind !== 'Pod' || !namespaces.includes(o.metadata.namespace ?? '')) return o;
    const ann = { ...(o.metadata.annotations as Record<string, string>) };
    const status = JSON.parse(ann['sidecar.istio.io/status'] ?? '{"containers":["istio-proxy"]}') as Record<string, unknown>;
    ann['sidecar.istio.io/status'] = JSON.stringify({ ...status, revision: 'asm-1-29' });
    const spec = o.spec as { containers: Array<{ name: string; image: string }> };
    const containers = [...spec.containers.filter((c) => c.name !== 'istio-proxy'), { name: 'istio-proxy', image: 'mcr.microsoft.com/oss/istio/proxyv2:1.29.1-distroless' }];
    return { ...o, metadata: { ...o.metadata, annotations: ann }, spec: { ...spec, containers }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
  });
}

interface Case {
  name: string;
  moved: number;
  restartedNamespaces: string[];
  gate: string;
  code: number;
  /** `namespace/pod` of every pod the report says still needs a restart. */
  restart: string[];
  notReady: string[];
  safe: { advance: boolean; complete: boolean };
}

const MID_RESTART = ['orders/orders-legacy-1', 'orders/orders-worker-0', 'shop/shop-web-b'];
const CASES: Case[] = [
  { name: 'mid-wave: not safe to complete', moved: 2, restartedNamespaces: [], gate: 'complete', code: 1, restart: MID_RESTART, notReady: ['shop/shop-cart-1'], safe: { advance: false, complete: false } },
  { name: 'mid-wave: not safe to advance either', moved: 2, restartedNamespaces: [], gate: 'advance', code: 1, restart: MID_RESTART, notReady: ['shop/shop-cart-1'], safe: { advance: false, complete: false } },
  { name: 'wave 2 restarted: safe to advance (the next step)', moved: 2, restartedNamespaces: ['shop', 'orders'], gate: 'next', code: 0, restart: [], notReady: [], safe: { advance: true, complete: false } },
  { name: 'wave 2 restarted: still not safe to complete', moved: 2, restartedNamespaces: ['shop', 'orders'], gate: 'complete', code: 1, restart: [], notReady: [], safe: { advance: true, complete: false } },
  { name: 'wave 3 moved, not restarted', moved: 3, restartedNamespaces: ['shop', 'orders'], gate: 'next', code: 1, restart: ['payments/payments-api-1'], notReady: [], safe: { advance: false, complete: false } },
  { name: 'every wave moved and restarted: safe to complete', moved: 3, restartedNamespaces: ['shop', 'orders', 'payments'], gate: 'complete', code: 0, restart: [], notReady: [], safe: { advance: false, complete: true } },
];

interface StatusJson {
  safeToAdvance: boolean;
  safeToComplete: boolean;
  waves: Array<{ namespaces: Array<{ name: string; pods: Array<{ name: string; state: string; ready: boolean; revision?: string; proxyVersion?: string }> }> }>;
}

function podsWhere(report: StatusJson, pick: (p: StatusJson['waves'][0]['namespaces'][0]['pods'][0]) => boolean): string[] {
  return report.waves.flatMap((w) => w.namespaces.flatMap((n) => n.pods.filter(pick).map((p) => `${n.name}/${p.name}`))).sort();
}

describe('upgrade status against a fake cluster', () => {
  const base = (parse(readFileSync(FIXTURE, 'utf8')) as { objects: KubeObj[] }).objects;
  const servers: FakeApiServer[] = [];
  const dirs: string[] = [];
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  async function run(objects: KubeObj[], moved: number, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; server: FakeApiServer }> {
    // Least privilege: list namespaces and pods, nothing else (403 for anything more).
    const server = await startFakeApiServer({ gitVersion: 'v1.32.4', objects }, { token: TOKEN, rules: [{ apiGroups: [''], resources: ['namespaces', 'pods'], verbs: ['list'] }] });
    servers.push(server);
    const kubeconfig = await writeKubeconfig(server.url, TOKEN, server.caPem);
    const dir = await intentDir(moved);
    dirs.push(dir, path.dirname(kubeconfig));
    const r = await runCli(['upgrade', 'status', dir, '--kubeconfig', kubeconfig, '--context', 'fake', ...args]);
    return { ...r, server };
  }

  for (const c of CASES) {
    it(c.name, async () => {
      const r = await run(restarted(base, c.restartedNamespaces), c.moved, ['--gate', c.gate, '--output', 'json']);
      assert.equal(r.code, c.code, r.stderr);
      const report = JSON.parse(r.stdout) as StatusJson;
      assert.deepEqual(podsWhere(report, (p) => p.state === 'needs-restart' || p.state === 'not-injected'), c.restart);
      assert.deepEqual(podsWhere(report, (p) => p.state === 'current' && !p.ready), c.notReady);
      assert.deepEqual({ advance: report.safeToAdvance, complete: report.safeToComplete }, c.safe);
    });
  }

  it('reads revision and proxy version per pod, skips finished pods and namespaces outside the waves', async () => {
    const r = await run(base, 2, ['--output', 'json']);
    const report = JSON.parse(r.stdout) as StatusJson;
    const pods = report.waves.flatMap((w) => w.namespaces.flatMap((n) => n.pods.map((p) => `${n.name}/${p.name} ${p.revision ?? '-'} ${p.proxyVersion ?? '-'}`))).sort();
    assert.deepEqual(pods, [
      'docs/docs-web-1 asm-1-29 1.29.1',
      'orders/orders-legacy-1 - -',
      'orders/orders-worker-0 asm-1-28 1.28.2',
      'payments/payments-api-1 asm-1-28 1.28.2',
      'search/search-api-1 asm-1-29 1.29.1',
      'shop/shop-cart-1 asm-1-29 1.29.1',
      'shop/shop-web-a asm-1-29 1.29.1',
      'shop/shop-web-b asm-1-28 1.28.2',
    ]);
    const podLists = r.server.requests.filter((q) => q.path.endsWith('/pods')).map((q) => q.path).sort();
    assert.deepEqual(podLists, ['docs', 'orders', 'payments', 'search', 'shop'].map((n) => `/api/v1/namespaces/${n}/pods`), 'pods are listed per wave namespace only');
    assert.ok(r.server.requests.every((q) => q.status === 200), 'no request was refused');
  });

  it('prints text and markdown naming the pods to restart, with the same exit code', async () => {
    for (const output of ['text', 'markdown']) {
      const r = await run(base, 2, ['--gate', 'complete', '--output', output]);
      assert.equal(r.code, 1);
      for (const pod of ['shop-web-b', 'orders-worker-0', 'orders-legacy-1']) assert.ok(r.stdout.includes(pod), `${output} names ${pod}`);
      assert.ok(!r.stdout.includes('shop-web-a'), `${output} lists only pods that need something`);
      assert.match(r.stdout, /safe to complete:?\**:? no/i);
    }
  });

  it('exits 2 with nothing on stdout when the cluster cannot be read', async () => {
    const dir = await intentDir(2);
    dirs.push(dir);
    const kubeconfig = await writeKubeconfig('https://127.0.0.1:9', TOKEN);
    dirs.push(path.dirname(kubeconfig));
    const r = await runCli(['upgrade', 'status', dir, '--kubeconfig', kubeconfig, '--timeout', '5']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /cannot reach the Kubernetes API server/);
  });

  before(() => assert.ok(base.length > 10, 'the fixture loaded'));
});

