/**
 * The injection templates against istiod's contract (catalog/injection-contract.yaml) and
 * against the structure of upstream's injection goldens.
 *
 * Every case runs the templates exactly as the rendered istio-sidecar-injector-<rev> ConfigMap
 * ships them, through the Go harness (test/injection/check), which builds each Istio minor's
 * template data type and function map from the contract and executes with missingkey=error.
 * Expected facts of the scenarios (test/injection/fixtures/*.json, `expect`) were written down
 * from istio/istio pkg/kube/inject/testdata/inject goldens at the tag each fixture names.
 *
 * Needs the Go toolchain (`apt-get install golang-go`); without it the test fails, it does not skip.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { loadCatalog } from '../../src/catalog/catalog.js';
import type { InjectionContract } from '../../src/catalog/injection-contract.js';
import { loadContract, loadFixtures, renderInjector, runHarness, sidecarCase, type Fixture, type HarnessCase, type HarnessResult, type Injector } from './harness.js';

/** The parts of a rendered container the facts read. */
interface Container {
  name: string;
  args?: string[];
  env?: { name: string }[];
  restartPolicy?: string;
  lifecycle?: unknown;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  resources?: unknown;
  securityContext?: { capabilities?: { add?: string[] } };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface Probe {
  httpGet?: { path?: string; port?: number };
  failureThreshold?: number;
  periodSeconds?: number;
  initialDelaySeconds?: number;
}
interface PodPatch {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { initContainers?: Container[]; containers?: Container[]; volumes?: { name: string }[] };
}

const revisions = loadCatalog().revisions.map((r) => r.name);
const fixtures = loadFixtures();
const byName = new Map(fixtures.map((f) => [f.name, f]));

function fixture(name: string): Fixture {
  const f = byName.get(name);
  assert.ok(f, `fixture ${name} missing`);
  return f;
}

/** Parses a rendered patch as istiod reads it (YAML; errors and warnings fail). */
function parsePatch(name: string, text: string): PodPatch {
  const doc = parseDocument(text, { uniqueKeys: true });
  assert.deepEqual(doc.errors.map(String), [], `${name}: rendered YAML has errors`);
  assert.deepEqual(doc.warnings.map(String), [], `${name}: rendered YAML has warnings`);
  return doc.toJS() as PodPatch;
}

/**
 * Container order after istiod merges the patch into the pod and reorders
 * (pkg/kube/inject/webhook.go reorderPod, 1.30.0): new containers are appended by the
 * strategic merge; the proxy goes last, or first when holdApplicationUntilProxyStarts; with a
 * native sidecar the init order is istio-init/istio-validation, istio-proxy, the pod's own;
 * otherwise istio-validation first and istio-init last.
 */
function mergedOrder(pod: string[], patch: string[], move: Array<[string, 'first' | 'last']>): string[] {
  let out = [...pod, ...patch.filter((n) => !pod.includes(n))];
  for (const [name, where] of move) {
    if (!out.includes(name)) continue;
    out = out.filter((n) => n !== name);
    out = where === 'first' ? [name, ...out] : [...out, name];
  }
  return out;
}

function probeFacts(p: Probe | undefined): unknown {
  return p ? { path: p.httpGet?.path, port: p.httpGet?.port, failureThreshold: p.failureThreshold, periodSeconds: p.periodSeconds, initialDelaySeconds: p.initialDelaySeconds ?? 0 } : null;
}

/** The facts of one rendered patch, in the shape of a fixture's `expect`. */
function facts(fx: Fixture, injector: Injector, patch: PodPatch): Record<string, unknown> {
  const podInit = (fx.pod.Spec.initContainers ?? []).map((c) => c.name);
  const podContainers = fx.pod.Spec.containers.map((c) => c.name);
  const patchInit = patch.spec.initContainers ?? [];
  const patchContainers = patch.spec.containers ?? [];
  const all = [...patchInit, ...patchContainers];
  const proxy = all.find((c) => c.name === 'istio-proxy');
  assert.ok(proxy, 'the patch has an istio-proxy container');
  const init = all.find((c) => c.name === 'istio-init' || c.name === 'istio-validation');
  const values = injector.values as { global: { proxy: { holdApplicationUntilProxyStarts: boolean } } };
  const hold = fx.proxyConfig.holdApplicationUntilProxyStarts === true || Boolean((fx.values as any)?.global?.proxy?.holdApplicationUntilProxyStarts ?? values.global.proxy.holdApplicationUntilProxyStarts);
  const nativeProxy = patchInit.some((c) => c.name === 'istio-proxy');
  const initMoves: Array<[string, 'first' | 'last']> = nativeProxy
    ? [['istio-proxy', 'first'], ['istio-validation', 'first'], ['istio-init', 'first']]
    : [['istio-validation', 'first'], ['istio-init', 'last']];
  const inLabels = fx.pod.ObjectMeta.labels ?? {};
  const inAnnotations = fx.pod.ObjectMeta.annotations ?? {};
  const added = (before: Record<string, string>, after: Record<string, string> = {}) =>
    Object.fromEntries(Object.entries(after).filter(([k, v]) => before[k] !== v));
  const out: Record<string, unknown> = {
    initContainers: mergedOrder(podInit, patchInit.map((c) => c.name), initMoves),
    containers: mergedOrder(podContainers, patchContainers.map((c) => c.name), [['istio-proxy', hold ? 'first' : 'last']]),
    initArgs: init?.args ?? null,
    initCapabilitiesAdd: init?.securityContext?.capabilities?.add ?? [],
    proxyArgs: proxy.args,
    proxyEnv: (proxy.env ?? []).map((e) => e.name).sort(),
    proxyRestartPolicy: proxy.restartPolicy ?? null,
    proxyLifecycle: proxy.lifecycle ?? null,
    readinessProbe: probeFacts(proxy.readinessProbe),
    startupProbe: probeFacts(proxy.startupProbe),
    proxyCapabilitiesAdd: proxy.securityContext?.capabilities?.add ?? [],
    volumes: (patch.spec.volumes ?? []).map((v) => v.name).sort(),
    proxyMounts: (proxy.volumeMounts ?? []).map((m) => `${m.name}:${m.mountPath}`).sort(),
    labelsAdded: added(inLabels, patch.metadata.labels),
    annotationsAdded: added(inAnnotations, patch.metadata.annotations),
  };
  if ('images' in fx.expect) out.images = { init: (init as { image?: string } | undefined)?.image, proxy: (proxy as { image?: string }).image };
  if ('proxyResources' in fx.expect) out.proxyResources = canonicalResources(proxy.resources as Record<string, Record<string, string>>);
  return out;
}

/** A fixture's expectation, normalised where upstream's test set-up and the add-on differ on purpose. */
function expected(fx: Fixture, injector: Injector): Record<string, unknown> {
  const e = structuredClone(fx.expect) as Record<string, any>;
  e.proxyEnv = [...(e.proxyEnv as string[])].sort();
  e.volumes = [...(e.volumes as string[])].sort();
  e.proxyMounts = [...(e.proxyMounts as string[])].sort();
  // Upstream's tests run istiod without a revision ("default"); the add-on's istiod is revisioned.
  if (e.annotationsAdded['istio.io/rev'] === 'default') e.annotationsAdded['istio.io/rev'] = injector.revision;
  // Written by istiod after the template, not by it (pkg/kube/inject/webhook.go at the fixture's
  // tag): applyMetadata sets topology.istio.io/network from ISTIO_META_NETWORK, and
  // reinsertOverrides records a pod's own istio-proxy settings in proxy.istio.io/overrides.
  delete e.labelsAdded['topology.istio.io/network'];
  delete e.annotationsAdded['proxy.istio.io/overrides'];
  if (e.proxyResources) e.proxyResources = canonicalResources(e.proxyResources);
  return e;
}

/** Resource quantities in one spelling: the API server stores "1000m" as "1" (goldens show the stored form). */
function canonicalResources(r: Record<string, Record<string, string>>): Record<string, Record<string, number>> {
  const units: Record<string, number> = { m: 1e-3, '': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, k: 1e3, M: 1e6, G: 1e9 };
  const out: Record<string, Record<string, number>> = {};
  for (const [kind, quantities] of Object.entries(r)) {
    out[kind] = {};
    for (const [name, q] of Object.entries(quantities)) {
      const m = /^([0-9.]+)([A-Za-z]*)$/.exec(String(q));
      assert.ok(m && m[2]! in units, `quantity ${q} not understood`);
      out[kind]![name] = Number(m[1]) * units[m[2]!]!;
    }
  }
  return out;
}

describe('injection templates meet istiod\'s contract on every served revision', { timeout: 600_000 }, () => {
  let contract: InjectionContract;
  const injectors = new Map<string, Injector>();
  let results: Map<string, HarnessResult>;
  let status = 0;
  let stderr = '';

  before(async () => {
    contract = loadContract();
    for (const rev of revisions) injectors.set(rev, await renderInjector(rev));
    const cases: HarnessCase[] = [];
    for (const rev of revisions) {
      const inj = injectors.get(rev)!;
      for (const name of ['plain-classic', 'plain-native', 'native-opt-in', 'native-opt-out', 'user-volume', 'gateway']) {
        cases.push(sidecarCase(fixture(name), inj, contract, `${rev}/${name}`));
      }
    }
    ({ status, results, stderr } = runHarness(contract, cases));
  });

  it('the contract covers every revision the catalog serves', () => {
    for (const rev of revisions) {
      const minor = Number(rev.split('-')[2]);
      assert.ok(contract.minors.some((m) => m.minor === minor), `no contract entry for ${rev}`);
    }
  });

  for (const rev of revisions) {
    it(`${rev}: sidecar and gateway templates execute against that minor's data type`, () => {
      for (const name of ['plain-classic', 'plain-native', 'native-opt-in', 'native-opt-out', 'user-volume', 'gateway']) {
        const r = results.get(`${rev}/${name}`);
        assert.ok(r, `no result for ${rev}/${name}; harness stderr: ${stderr}`);
        assert.equal(r.error, undefined, `${rev}/${name}: ${r.error}`);
        const patch = parsePatch(`${rev}/${name}`, r.rendered ?? '');
        for (const [k, v] of Object.entries(patch.metadata.labels ?? {})) assert.ok(v.length <= 63, `label ${k} is ${v.length} characters`);
      }
    });
  }

  it('the harness exited 0', () => {
    assert.equal(status, 0, stderr);
  });

  it('a native sidecar below 1.27 comes only from the annotation or istiod\'s environment', () => {
    const r = results.get('asm-1-26/native-opt-in');
    const patch = parsePatch('asm-1-26/native-opt-in', r?.rendered ?? '');
    assert.ok(patch.spec.initContainers?.some((c) => c.name === 'istio-proxy'), '1.26 honours sidecar.istio.io/nativeSidecar: "true"');
    const old = parsePatch('asm-1-23/native-opt-in', results.get('asm-1-23/native-opt-in')?.rendered ?? '');
    assert.ok(!old.spec.initContainers?.some((c) => c.name === 'istio-proxy'), '1.23 has no per-pod switch (istiod 1.23 reads only ENABLE_NATIVE_SIDECARS)');
  });
});

describe('the harness fails a template that istiod of that revision could not run', { timeout: 600_000 }, () => {
  // Why these: the bug that denied every injection (.NativeSidecar; istiod has NativeSidecars,
  // and only from 1.27), a field added in 1.27 used on 1.26, an istiod function added in 1.21
  // used on 1.20, a sprig function the harness does not model, and a values key that is absent.
  const mutations = [
    { name: 'renamed-field', find: '.NativeSidecars', replace: '.NativeSidecar', revisions: ['asm-1-30'], error: /can't evaluate field NativeSidecar in type/ },
    { name: 'field-before-its-minor', prefix: '{{ if .NativeSidecars }}{{ end }}', revisions: ['asm-1-26'], error: /can't evaluate field NativeSidecars/ },
    { name: 'function-before-its-minor', prefix: '{{ $_ := mergeMaps }}', revisions: ['asm-1-20'], error: /function "mergeMaps" not defined/ },
    { name: 'unmodelled-sprig-function', prefix: '{{ $_ := sha256sum "x" }}', revisions: ['asm-1-30'], error: /function "sha256sum" not defined/ },
    { name: 'absent-values-key', prefix: '{{ $_ := .Values.global.proxy.noSuchSetting }}', revisions: ['asm-1-30'], error: /map has no entry for key "noSuchSetting"/ },
  ];
  let results: Map<string, HarnessResult>;
  let status = 0;

  before(async () => {
    const contract = loadContract();
    const cases: HarnessCase[] = [];
    for (const m of mutations) {
      for (const rev of m.revisions) {
        const inj = await renderInjector(rev);
        const c = sidecarCase(fixture('plain-native'), inj, contract, `${m.name}/${rev}`);
        if (m.find) {
          assert.ok(c.template.includes(m.find), `${rev} template holds ${m.find}`);
          c.template = c.template.replace(m.find, m.replace!);
        } else c.template = m.prefix + c.template;
        cases.push(c);
      }
    }
    ({ status, results } = runHarness(contract, cases));
  });

  for (const m of mutations) {
    it(`fails on ${m.name}`, () => {
      assert.notEqual(status, 0);
      for (const rev of m.revisions) {
        const r = results.get(`${m.name}/${rev}`);
        assert.ok(r?.error, `${m.name}/${rev} must fail`);
        assert.match(r.error, m.error);
      }
    });
  }
});

describe('injected pods have the structure of upstream\'s goldens', { timeout: 600_000 }, () => {
  let contract: InjectionContract;
  const injectors = new Map<string, Injector>();
  let results: Map<string, HarnessResult>;

  before(async () => {
    contract = loadContract();
    const cases: HarnessCase[] = [];
    for (const fx of fixtures) {
      if (!injectors.has(fx.revision)) injectors.set(fx.revision, await renderInjector(fx.revision));
      cases.push(sidecarCase(fx, injectors.get(fx.revision)!, contract));
    }
    ({ results } = runHarness(contract, cases));
  });

  // Why this list: the scenarios of upstream's injection tests this project must match (issue 11).
  const required = ['proxy-image-annotation', 'plain-classic', 'plain-native', 'cni', 'tproxy', 'hold-values', 'hold-annotation', 'job', 'statefulset', 'traffic-annotations', 'traffic-params', 'status-params', 'resource-annotations', 'native-opt-in', 'native-opt-out', 'canonical-truncation', 'user-volume', 'gateway'];
  it('has a fixture for every required scenario', () => {
    assert.deepEqual(required.filter((n) => !byName.has(n)), []);
  });

  for (const fx of fixtures) {
    it(`${fx.name} matches ${fx.upstream.golden} @ ${fx.upstream.tag}`, () => {
      const r = results.get(fx.name);
      assert.ok(r, `no harness result for ${fx.name}`);
      assert.equal(r.error, undefined, r.error);
      const injector = injectors.get(fx.revision)!;
      const got = facts(fx, injector, parsePatch(fx.name, r.rendered ?? ''));
      assert.deepEqual(got, expected(fx, injector));
    });
  }
});

// Written down from manifests/charts/istio-control/istio-discovery/files/kube-gateway.yaml at
// 1.30.0 (the proxy container of the Deployment), for a mesh without network or meshID.
const KUBE_GATEWAY_ENV_1_30 = ['PILOT_CERT_PROVIDER', 'CA_ADDR', 'POD_NAME', 'POD_NAMESPACE', 'INSTANCE_IP', 'SERVICE_ACCOUNT', 'HOST_IP', 'ISTIO_CPU_LIMIT', 'PROXY_CONFIG', 'ISTIO_META_POD_PORTS', 'ISTIO_META_APP_CONTAINERS', 'GOMEMLIMIT', 'GOMAXPROCS', 'ISTIO_META_CLUSTER_ID', 'ISTIO_META_NODE_NAME', 'ISTIO_META_INTERCEPTION_MODE', 'ISTIO_META_WORKLOAD_NAME', 'ISTIO_META_OWNER', 'ISTIO_META_MESH_ID', 'TRUST_DOMAIN'];
const KUBE_GATEWAY_PORTS_1_30 = ['metrics:15020', 'status-port:15021', 'http-envoy-prom:15090'];
// Kinds per minor, from kube-gateway.yaml at 1.20.0 and 1.26.0+ (HPA and PDB appear in 1.26).
const KUBE_GATEWAY_KINDS: Record<string, string[]> = {
  'asm-1-20': ['ServiceAccount', 'Deployment', 'Service'],
  'asm-1-25': ['ServiceAccount', 'Deployment', 'Service'],
  'asm-1-26': ['ServiceAccount', 'Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget'],
  'asm-1-30': ['ServiceAccount', 'Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget'],
};

describe('kube-gateway template follows the Gateway API switch', { timeout: 600_000 }, () => {
  it('is shipped only when the mesh lifts the Gateway API refusal, and runs on that minor\'s deployment-controller data', async () => {
    const contract = loadContract();
    const off = await renderInjector('asm-1-30');
    assert.equal(off.templates['kube-gateway'], undefined);
    const cases: HarnessCase[] = [];
    for (const rev of Object.keys(KUBE_GATEWAY_KINDS)) {
      const on = await renderInjector(rev, { gatewayApi: true });
      const text = on.templates['kube-gateway'];
      assert.ok(text, `${rev}: kube-gateway template present`);
      const minor = contract.minors.find((m) => m.minor === on.minor)!;
      const data: Record<string, unknown> = {
        Gateway: { name: 'web', namespace: 'shop', uid: '0b0e', spec: { gatewayClassName: 'istio' } },
        DeploymentName: 'web-istio',
        ServiceAccount: 'web-istio',
        Ports: [{ name: 'http', port: 80, protocol: 'TCP', appProtocol: 'http' }],
        ServiceType: 'LoadBalancer',
        ClusterID: 'Kubernetes',
        Revision: rev,
        GatewayNameLabel: 'gateway.networking.k8s.io/gateway-name',
        ProxyImage: `${(on.values as any).global.hub}/proxyv2:${(on.values as any).global.tag}`,
        ProxyConfig: {},
        MeshConfig: { trustDomain: 'cluster.local' },
      };
      cases.push({ name: rev, minor: on.minor, data: 'kube-gateway', template: text, values: on.values, input: Object.fromEntries(Object.entries(data).filter(([k]) => k in minor.kubeGatewayData)), env: {} });
    }
    const { status, results, stderr } = runHarness(contract, cases);
    assert.equal(status, 0, stderr + [...results.values()].map((r) => r.error ?? '').join('\n'));
    for (const [rev, kinds] of Object.entries(KUBE_GATEWAY_KINDS)) {
      const r = results.get(rev)!;
      const docs = (r.rendered ?? '').split(/^---$/m).map((d) => parseDocument(d).toJS() as { kind: string; spec?: any });
      assert.deepEqual(docs.map((d) => d.kind), kinds, rev);
      const deployment = docs[1]!.spec;
      const label = rev === 'asm-1-20' ? 'istio.io/gateway-name' : 'gateway.networking.k8s.io/gateway-name';
      assert.deepEqual(deployment.selector.matchLabels, { [label]: 'web' }, `${rev}: selector label`);
      assert.equal(docs[2]!.spec.selector[label], 'web');
      const pod = deployment.template;
      assert.equal(pod.metadata.labels['sidecar.istio.io/inject'], 'false');
      const proxy = pod.spec.containers[0];
      assert.match(proxy.image, /^mcr\.microsoft\.com\/oss\/istio\/proxyv2:/);
      assert.deepEqual(proxy.env.map((e: { name: string }) => e.name), KUBE_GATEWAY_ENV_1_30);
      assert.deepEqual(proxy.ports.map((p: { name: string; containerPort: number }) => `${p.name}:${p.containerPort}`), KUBE_GATEWAY_PORTS_1_30);
      assert.deepEqual(proxy.args.slice(0, 2), ['proxy', 'router']);
    }
  });
});

// No upstream golden covers these annotations; the facts are written down from
// manifests/charts/istio-control/istio-discovery/files/injection-template.yaml at 1.30.0.
describe('annotations upstream\'s template honours without a golden', { timeout: 600_000 }, () => {
  const cases: Array<{ name: string; annotations: Record<string, string>; check(proxy: Container, patch: PodPatch): void }> = [
    {
      name: 'bootstrap-override',
      annotations: { 'sidecar.istio.io/bootstrapOverride': 'my-bootstrap' },
      check(proxy: Container, patch: PodPatch) {
        assert.ok(proxy.env?.some((e) => e.name === 'ISTIO_BOOTSTRAP_OVERRIDE'), 'env ISTIO_BOOTSTRAP_OVERRIDE');
        assert.ok(proxy.volumeMounts?.some((m) => m.name === 'custom-bootstrap-volume' && m.mountPath === '/etc/istio/custom-bootstrap'));
        const v = (patch.spec.volumes ?? []).find((x) => x.name === 'custom-bootstrap-volume') as { configMap?: { name?: string } } | undefined;
        assert.equal(v?.configMap?.name, 'my-bootstrap');
      },
    },
    {
      name: 'cap-net-bind-service',
      annotations: { 'sidecar.istio.io/capNetBindService': 'true' },
      check(proxy: Container) {
        const sc = proxy.securityContext as { capabilities?: { add?: string[] }; runAsUser?: number; runAsNonRoot?: boolean; runAsGroup?: number };
        assert.deepEqual(sc.capabilities?.add, ['NET_BIND_SERVICE']);
        assert.equal(sc.runAsUser, 0);
        assert.equal(sc.runAsNonRoot, false);
        assert.equal(sc.runAsGroup, 1337);
      },
    },
  ];

  it('bootstrapOverride and capNetBindService on every served revision', async () => {
    const contract = loadContract();
    const harnessCases: HarnessCase[] = [];
    for (const rev of revisions) {
      const inj = await renderInjector(rev);
      for (const c of cases) {
        const fx = structuredClone(fixture('plain-native'));
        fx.pod.ObjectMeta.annotations = { ...fx.pod.ObjectMeta.annotations, ...c.annotations };
        harnessCases.push(sidecarCase(fx, inj, contract, `${rev}/${c.name}`));
      }
    }
    const { results } = runHarness(contract, harnessCases);
    for (const rev of revisions) {
      for (const c of cases) {
        const r = results.get(`${rev}/${c.name}`);
        assert.equal(r?.error, undefined, r?.error);
        const patch = parsePatch(`${rev}/${c.name}`, r!.rendered!);
        const proxy = [...(patch.spec.initContainers ?? []), ...(patch.spec.containers ?? [])].find((x) => x.name === 'istio-proxy')!;
        c.check(proxy, patch);
      }
    }
  });
});
