/**
 * docs/migrate-from-aks-addon.md, run step by step. Every fenced block tagged `sh step=<name>` is
 * read from the markdown and each of its commands is executed: `meshplane …` is the real CLI;
 * `kubectl` and `az` commands are played against the fake API server (test/fake-apiserver) with
 * the real @kubernetes/client-node, doing what those tools do to the cluster. A command the table
 * below does not know fails the test, so the runbook and this test cannot drift apart.
 *
 * The cluster is test/cases/preflight/aks-addon.yaml (the managed add-on on asm-1-28). `az aks
 * show` prints test/cases/migrate/az-aks-show.json, written in the az CLI's flattened shape for
 * that cluster (the shape test/cases/import/aks-show-cli.json has). `az aks mesh disable` deletes
 * what the add-on's uninstall page (learn.microsoft.com/azure/aks/istio-uninstall-addon) says it
 * deletes: the aks-istio-system and aks-istio-ingress namespaces with everything in them, and the
 * add-on's cluster-scoped objects (here: those of its Helm release). The two namespaces are left
 * Terminating: a namespace is deleted only once everything in it is gone, and nothing published
 * says the add-on's disable waits for that. While they terminate, `kubectl apply` into them is
 * refused, as the API server's NamespaceLifecycle admission plugin refuses it (kubernetes/apiserver
 * v0.36.3 pkg/admission/plugin/namespace/lifecycle/admission.go: "unable to create new content in
 * namespace … because it is being terminated"); `kubectl wait --for=delete namespace/…` ends it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppsV1Api, KubeConfig, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { REPO_ROOT, runCli, type CliResult } from '../helpers/cli.js';
import { EXTRA_TYPES, loadScenario, writeKubeconfig, type Scenario } from '../fake-apiserver/harness.js';
import { startFakeApiServer, type FakeApiServer } from '../fake-apiserver/server.js';
import type { KubeObj } from '../fake-apiserver/cluster.js';

const RUNBOOK = path.join(REPO_ROOT, 'docs', 'migrate-from-aks-addon.md');
const AZ_AKS_SHOW = path.join(REPO_ROOT, 'test', 'cases', 'migrate', 'az-aks-show.json');
/**
 * An Istio CRD the disable left behind. Why one is in the cluster: the add-on page
 * (azure-aks-docs articles/aks/istio-deploy-addon.md) warns that Istio CRDs of an earlier install are
 * sometimes not cleaned up, and Istio's base chart marks its CRDs `helm.sh/resource-policy: keep`
 * (istio 1.28.10 manifests/charts/base/files/crd-all.gen.yaml), so a Helm uninstall keeps them. Its
 * labels are the chart's `istio.labels` (templates/zzz_profile.yaml): `app.kubernetes.io/managed-by`
 * is the Helm release service, a field Helm owns, so a server-side apply of Meshplane's CRD that
 * sets it to `meshplane` conflicts unless it forces.
 */
const LEFTOVER_CRD: KubeObj = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: {
    name: 'virtualservices.networking.istio.io',
    annotations: { 'helm.sh/resource-policy': 'keep' },
    labels: { 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/part-of': 'istio' },
  },
  spec: {
    group: 'networking.istio.io',
    names: { kind: 'VirtualService', listKind: 'VirtualServiceList', plural: 'virtualservices', singular: 'virtualservice' },
    scope: 'Namespaced',
    versions: [{ name: 'v1', served: true, storage: true }],
  },
} as KubeObj;
/** Namespaces the add-on's uninstall deletes. */
const ADDON_NAMESPACES = ['aks-istio-system', 'aks-istio-ingress'];
/** The add-on's Helm releases are named azure-service-mesh-… (its istiod: azure-service-mesh-istio-discovery). */
const ADDON_RELEASE_PREFIX = 'azure-service-mesh-';

/** One tagged block of the runbook. */
interface Step {
  name: string;
  commands: string[][];
}

/** The `sh step=<name>` blocks in order, each command split into words (quotes removed, `\` continuations joined). */
export function readSteps(markdown: string): Step[] {
  const steps: Step[] = [];
  for (const m of markdown.matchAll(/^```sh step=([a-z-]+)\n([\s\S]*?)^```/gm)) {
    const lines = (m[2] as string).replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    steps.push({ name: m[1] as string, commands: lines.map(words) });
  }
  return steps;
}

function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? (m[3] as string));
  return out;
}

/** What a played command left behind, for the step's assertions. */
interface Outcome {
  argv: string[];
  cli?: CliResult;
  diff?: Array<{ key: string; live: boolean }>;
  listed?: Array<{ name: string; labels: Record<string, string> }>;
  created?: string[];
  deleted?: string[];
}

const keyOf = (o: KubernetesObject): string => `${o.apiVersion}/${o.kind}/${o.metadata?.namespace ?? '_cluster'}/${o.metadata?.name ?? ''}`;

class Player {
  readonly vars: Record<string, string> = {};
  readonly kc = new KubeConfig();
  readonly objects: KubernetesObjectApi;
  /** Namespaces `az aks mesh disable` deleted that are still Terminating. */
  readonly terminating = new Set<string>();

  constructor(readonly work: string, readonly kubeconfig: string, readonly scenario: Scenario) {
    this.kc.loadFromFile(kubeconfig);
    this.objects = KubernetesObjectApi.makeApiClient(this.kc);
  }

  /** Runs one command; throws for a command it does not know. */
  async play(raw: string[]): Promise<Outcome> {
    const expanded = raw.map((w) => w.replace(/\$\{?([A-Z_]+)\}?/g, (_m, v: string) => {
      const value = this.vars[v];
      if (value === undefined) throw new Error(`runbook uses $${v} before setting it`);
      return value;
    }));
    const at = expanded.indexOf('>');
    const argv = at >= 0 ? expanded.slice(0, at) : expanded;
    const out = at >= 0 ? path.join(this.work, expanded[at + 1] as string) : undefined;
    const line = argv.join(' ');
    const write = async (text: string): Promise<void> => {
      if (!out) throw new Error(`the test expects "${line}" to write to a file (> file)`);
      await writeFile(out, text);
    };
    let m: RegExpMatchArray | null;
    if (argv[0] === 'export') {
      for (const a of argv.slice(1)) {
        const [k, ...v] = a.split('=');
        this.vars[k as string] = v.join('=');
      }
      return { argv };
    }
    if ((m = /^az aks get-credentials -g (\S+) -n (\S+)$/.exec(line))) {
      this.sameCluster(m[1], m[2]);
      return { argv }; // the test's kubeconfig already points at the fake server
    }
    if ((m = /^az aks show -g (\S+) -n (\S+) -o json$/.exec(line))) {
      this.sameCluster(m[1], m[2]);
      await write(await readFile(AZ_AKS_SHOW, 'utf8'));
      return { argv };
    }
    if ((m = /^kubectl get configmap -n (\S+) (\S+) -o yaml$/.exec(line))) {
      const cm = await this.objects.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: m[2] as string, namespace: m[1] as string } });
      await write(stringify({ apiVersion: 'v1', kind: 'ConfigMap', ...plain(cm) }));
      return { argv };
    }
    if ((m = /^mkdir -p (\S+)$/.exec(line))) {
      await mkdir(path.join(this.work, m[1] as string), { recursive: true });
      return { argv };
    }
    if (argv[0] === 'meshplane') {
      const cli = await runCli(argv.slice(1), { cwd: this.work, env: { KUBECONFIG: this.kubeconfig, HOME: this.work } });
      if (out) await write(cli.stdout);
      return { argv, cli };
    }
    if ((m = /^kubectl diff -f (\S+)$/.exec(line))) {
      const diff: Array<{ key: string; live: boolean }> = [];
      for (const o of await this.manifests(m[1] as string)) diff.push({ key: keyOf(o), live: await this.exists(o) });
      return { argv, diff };
    }
    if ((m = /^az aks mesh disable -g (\S+) -n (\S+)$/.exec(line))) {
      this.sameCluster(m[1], m[2]);
      return { argv, deleted: await this.disableAddon() };
    }
    if ((m = /^kubectl wait --for=delete ((?:namespace\/\S+ )+)--timeout=\d+[sm]$/.exec(line))) {
      const deleted: string[] = [];
      for (const ref of (m[1] as string).trim().split(' ')) {
        const name = ref.slice('namespace/'.length);
        if (!this.terminating.delete(name)) continue; // already gone: kubectl wait --for=delete succeeds at once
        await this.objects.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
        deleted.push(`v1/Namespace/_cluster/${name}`);
      }
      return { argv, deleted };
    }
    if ((m = /^kubectl apply --server-side( --force-conflicts)? -f (\S+)$/.exec(line))) {
      const force = m[1] !== undefined;
      const created: string[] = [];
      // kubectl applies in file order (it does not read Argo CD's sync waves), so the file's order is what counts.
      for (const o of await this.manifests(m[2] as string)) {
        const ns = o.kind === 'Namespace' ? o.metadata?.name : o.metadata?.namespace;
        if (ns !== undefined && this.terminating.has(ns)) throw new Error(`${keyOf(o)}: unable to create new content in namespace ${ns} because it is being terminated (the runbook must wait for the add-on's namespaces to be deleted before the sync)`);
        const live = await this.live(o);
        if (live) {
          // Server-side apply: a field another manager set to a different value is a conflict,
          // unless the apply forces (kubectl --force-conflicts; Argo CD always does, argo-cd v3.5.1
          // gitops-engine/pkg/utils/kube/resource_ops.go sets ForceConflicts for server-side apply).
          const theirs = live.metadata?.labels ?? {};
          const clash = Object.entries(o.metadata?.labels ?? {}).filter(([k, v]) => theirs[k] !== undefined && theirs[k] !== v).map(([k]) => `.metadata.labels.${k}`);
          if (clash.length > 0 && !force) throw new Error(`${keyOf(o)}: Apply failed with ${clash.length} conflict(s) with another field manager: ${clash.join(', ')} (kubectl apply --server-side needs --force-conflicts to take the field over)`);
          await this.objects.delete(live);
        }
        await this.objects.create(o);
        created.push(keyOf(o));
      }
      return { argv, created };
    }
    if ((m = /^kubectl get deployment -n (\S+) -l (\S+)$/.exec(line))) {
      const list = await this.kc.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace: m[1] as string, labelSelector: m[2] as string });
      return { argv, listed: list.items.map((d) => ({ name: d.metadata?.name ?? '', labels: d.metadata?.labels ?? {} })) };
    }
    throw new Error(`the runbook test does not know the command "${line}": teach test/migrate/runbook.test.ts what it does to the cluster, or change the runbook`);
  }

  private sameCluster(rg: string | undefined, cluster: string | undefined): void {
    assert.deepEqual([rg, cluster], ['prod-rg', 'prod-aks'], 'the runbook names the cluster the fixtures describe');
  }

  private async manifests(file: string): Promise<KubernetesObject[]> {
    const text = await readFile(path.join(this.work, file), 'utf8');
    return parseAllDocuments(text).map((d) => d.toJS() as KubernetesObject).filter((o) => o && typeof o === 'object');
  }

  private async live(o: KubernetesObject): Promise<KubernetesObject | undefined> {
    try {
      return await this.objects.read({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata?.name ?? '', ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}) } } as KubernetesObject & { metadata: { name: string } });
    } catch (err) {
      if ((err as { code?: number }).code === 404) return undefined;
      throw err;
    }
  }

  private async exists(o: KubernetesObject): Promise<boolean> {
    try {
      await this.objects.read({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata?.name ?? '', ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}) } } as KubernetesObject & { metadata: { name: string } });
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 404) return false;
      throw err;
    }
  }

  /** What `az aks mesh disable` removes, deleted through the API. */
  private async disableAddon(): Promise<string[]> {
    const addon = (o: KubeObj): boolean =>
      (o.metadata.namespace !== undefined && ADDON_NAMESPACES.includes(o.metadata.namespace)) ||
      (o.kind === 'Namespace' && ADDON_NAMESPACES.includes(o.metadata.name)) ||
      (o.metadata.namespace === undefined && (o.metadata.labels?.release ?? '').startsWith(ADDON_RELEASE_PREFIX));
    const doomed = this.scenario.cluster.objects.filter(addon);
    for (const o of doomed.filter((x) => x.kind === 'Namespace')) this.terminating.add(o.metadata.name);
    for (const o of doomed.filter((x) => x.kind !== 'Namespace')) await this.objects.delete({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) } });
    return doomed.filter((x) => x.kind !== 'Namespace').map((o) => keyOf(o as KubernetesObject));
  }
}

/** A client object as plain JSON (dates as strings, no undefined). */
function plain(o: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
}


const output = (r: CliResult | undefined): string => `${r?.stdout ?? ''}${r?.stderr ?? ''}`;

describe('docs/migrate-from-aks-addon.md, driven step by step against the fake API server', () => {
  let server: FakeApiServer;
  let player: Player;
  let steps: Step[];
  const results = new Map<string, Outcome[]>();

  before(async () => {
    const scenario = await loadScenario('aks-addon');
    scenario.cluster.objects.push(LEFTOVER_CRD);
    server = await startFakeApiServer({ ...scenario.cluster, extraTypes: EXTRA_TYPES }, { token: 'runbook-token', writable: true });
    const work = await mkdtemp(path.join(os.tmpdir(), 'mp-runbook-'));
    player = new Player(work, await writeKubeconfig(server.url, 'runbook-token', server.caPem), scenario);
    steps = readSteps(await readFile(RUNBOOK, 'utf8'));
  });
  after(async () => server?.close());

  /** Runs the named step's commands (the steps must come in the runbook's order). */
  async function run(name: string): Promise<Outcome[]> {
    const step = steps.find((s) => s.name === name);
    assert.ok(step, `the runbook has a step=${name} block`);
    const out: Outcome[] = [];
    for (const c of step.commands) out.push(await player.play(c));
    results.set(name, out);
    return out;
  }
  const find = (outs: Outcome[], prefix: string): Outcome => {
    const o = outs.find((x) => x.argv.join(' ').startsWith(prefix));
    assert.ok(o, `a "${prefix}" command in the step`);
    return o;
  };

  it('has the steps setup, import, diff, disable, sync, verify, in that order', () => {
    assert.deepEqual(steps.map((s) => s.name), ['setup', 'import', 'diff', 'disable', 'sync', 'verify']);
  });

  it('setup: names the cluster', async () => {
    await run('setup');
    assert.equal(player.vars.REVISION, 'asm-1-28');
  });

  it('import: mesh.yaml holds the revision, the gateway and the live shared ConfigMap as spec.meshConfig', async () => {
    const outs = await run('import');
    const imp = find(outs, 'meshplane import');
    assert.equal(imp.cli?.code, 0, output(imp.cli));
    const intent = parse(await readFile(path.join(player.work, 'mesh', 'mesh.yaml'), 'utf8')) as { metadata: { name: string }; spec: Record<string, unknown> };
    assert.equal(intent.metadata.name, 'prod-aks');
    assert.deepEqual(intent.spec.istio, { revisions: ['asm-1-28'], components: { ingressGateways: [{ mode: 'External', enabled: true }] } });
    // Read off test/cases/preflight/aks-addon.yaml's istio-shared-configmap-asm-1-28.
    assert.deepEqual(intent.spec.meshConfig, { accessLogFile: '/dev/stdout', defaultConfig: { holdApplicationUntilProxyStarts: true } });
  });

  it('diff: the rendered mesh takes over the add-on\'s objects by name; preflight names the add-on and the fix', async () => {
    const outs = await run('diff');
    assert.equal(find(outs, 'meshplane generate').cli?.code, 0);
    const live = new Set(find(outs, 'kubectl diff').diff?.filter((d) => d.live).map((d) => d.key));
    for (const key of [
      'v1/Namespace/_cluster/aks-istio-system', 'v1/Namespace/_cluster/aks-istio-ingress',
      'apps/v1/Deployment/aks-istio-system/istiod-asm-1-28', 'v1/ConfigMap/aks-istio-system/istio-shared-configmap-asm-1-28',
      'apps/v1/Deployment/aks-istio-ingress/aks-istio-ingressgateway-external-asm-1-28', 'v1/Service/aks-istio-ingress/aks-istio-ingressgateway-external',
    ]) assert.ok(live.has(key), `${key} is rendered under the add-on's name (live: ${[...live].join(', ')})`);
    const pre = find(outs, 'meshplane preflight').cli;
    assert.equal(pre?.code, 1, output(pre));
    const text = output(pre);
    const rules = new Set([...text.matchAll(/preflight-[a-z-]+/g)].map((x) => x[0]));
    assert.deepEqual([...rules], ['preflight-aks-addon-present'], text);
    assert.match(text, /istiod aks-istio-system\/istiod-asm-1-28 \(revision asm-1-28\) belongs to the managed AKS Istio add-on/);
    assert.match(text, /istio-sidecar-injector-asm-1-28-aks-istio-system/);
    assert.match(text, /az aks mesh disable -g <resource-group> -n <cluster>/);
    assert.match(text, /docs\/migrate-from-aks-addon\.md/);
  });

  it('disable: the add-on\'s objects are gone, and the runbook waits for its namespaces to be deleted', async () => {
    const [out, wait] = await run('disable');
    assert.deepEqual([...player.terminating], [], 'no add-on namespace is still terminating after the disable step');
    assert.deepEqual(wait?.deleted?.sort(), ['v1/Namespace/_cluster/aks-istio-ingress', 'v1/Namespace/_cluster/aks-istio-system']);
    assert.ok(out?.deleted?.includes('apps/v1/Deployment/aks-istio-system/istiod-asm-1-28'));
    assert.ok(out?.deleted?.includes('admissionregistration.k8s.io/v1/MutatingWebhookConfiguration/_cluster/istio-sidecar-injector-asm-1-28-aks-istio-system'));
    const istiods = await player.kc.makeApiClient(AppsV1Api).listDeploymentForAllNamespaces({ labelSelector: 'app=istiod' });
    assert.deepEqual(istiods.items, []);
  });

  it('sync: every rendered object is created (nothing of the add-on is left in the way)', async () => {
    const outs = await run('sync');
    const created = find(outs, 'kubectl apply').created ?? [];
    assert.ok(created.length > 20, `created ${created.length} objects`);
    assert.ok(created.includes('apps/v1/Deployment/aks-istio-system/istiod-asm-1-28'));
    const crd = await player.objects.read({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: LEFTOVER_CRD.metadata.name } });
    assert.equal(crd.metadata?.labels?.['app.kubernetes.io/managed-by'], 'meshplane', 'the CRD the add-on left behind is taken over');
  });

  it('verify: preflight passes and istiod runs from Meshplane\'s Deployment with the imported MeshConfig', async () => {
    const outs = await run('verify');
    const pre = find(outs, 'meshplane preflight').cli;
    assert.equal(pre?.code, 0, output(pre));
    assert.doesNotMatch(output(pre), /preflight-aks-addon-present|preflight-foreign-istio/);
    const listed = find(outs, 'kubectl get deployment').listed ?? [];
    assert.deepEqual(listed.map((d) => [d.name, d.labels['meshplane.io/mesh'], d.labels['kubernetes.azure.com/managedby']]), [['istiod-asm-1-28', 'prod-aks', undefined]]);
    const cm = await player.objects.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio-shared-configmap-asm-1-28', namespace: 'aks-istio-system' } });
    assert.deepEqual(parse((cm as { data?: Record<string, string> }).data?.mesh ?? ''), { accessLogFile: '/dev/stdout', defaultConfig: { holdApplicationUntilProxyStarts: true } });
  });
});

describe('readSteps', () => {
  it('reads only `sh step=` blocks, joins continuations, drops comments, keeps quoted words whole', () => {
    const md = '```sh\nnot a step\n```\n```sh step=one\n# note\nkubectl get x \\\n  -n "a b"\n\nmeshplane check\n```\n';
    assert.deepEqual(readSteps(md), [{ name: 'one', commands: [['kubectl', 'get', 'x', '-n', 'a b'], ['meshplane', 'check']] }]);
  });
});
