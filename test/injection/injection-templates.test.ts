/**
 * Proves istiod could execute Meshplane's injection templates (templates/injection/*.tmpl).
 *
 * The Go harness in test/injection/check parses the templates with istiod's template
 * functions and executes them against the fixtures in test/injection/fixtures; this test runs
 * it, parses every rendered pod patch as YAML, and checks concrete facts per case. It also
 * points the harness at deliberately broken templates and expects it to fail.
 *
 * Needs the Go toolchain (`apt-get install golang-go`); without it the test fails, it does not skip.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

/** One line of the harness's stdout. */
interface HarnessCase {
  case: string;
  fixture: string;
  template: string;
  description: string;
  rendered: string;
}

/** The parts of a container the assertions read. */
interface Container {
  name: string;
  image?: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  readinessProbe?: Probe;
  startupProbe?: Probe;
  restartPolicy?: string;
  lifecycle?: { postStart?: { exec?: { command?: string[] } }; preStop?: { exec?: { command?: string[] } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    runAsUser?: number;
    runAsGroup?: number;
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { add?: string[]; drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string }[];
}

/** An HTTP probe as the templates write it. */
interface Probe {
  httpGet?: { path?: string; port?: number };
  failureThreshold?: number;
  periodSeconds?: number;
}

/** A pod volume, loosely typed: assertions read only the sources they care about. */
interface Volume {
  name: string;
  emptyDir?: { medium?: string };
  configMap?: { name?: string };
  downwardAPI?: unknown;
  projected?: { sources?: { serviceAccountToken?: { audience?: string; path?: string } }[] };
}

/** The partial Pod an injection template yields. */
interface PodPatch {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { initContainers?: Container[]; containers?: Container[]; volumes?: Volume[] };
}

/** Expected facts for one fixture. */
interface CaseSpec {
  name: string;
  template: 'sidecar' | 'gateway';
  check(patch: PodPatch): void;
}

const REVISION = 'asm-1-28';
const DISCOVERY_ADDRESS = 'istiod-asm-1-28.aks-istio-system.svc:15012';
const PROXY_IMAGE = 'mcr.microsoft.com/oss/istio/proxyv2:1.28.9-2-distroless';

// Why these lists: the identity/bootstrap volumes pilot-agent expects in every proxy pod
// (SDS sockets, CA root, istiod token, Envoy bootstrap, pod labels), and the environment
// the agent reads at start-up; both are fixed by Istio, not by a fixture.
const IDENTITY_VOLUMES = [
  'workload-socket',
  'credential-socket',
  'workload-certs',
  'istio-envoy',
  'istio-data',
  'istio-podinfo',
  'istio-token',
  'istiod-ca-cert',
];
const COMMON_ENV = [
  'POD_NAME',
  'POD_NAMESPACE',
  'INSTANCE_IP',
  'SERVICE_ACCOUNT',
  'HOST_IP',
  'PROXY_CONFIG',
  'ISTIO_META_CLUSTER_ID',
  'ISTIO_META_WORKLOAD_NAME',
  'ISTIO_META_OWNER',
  'ISTIO_META_MESH_ID',
  'TRUST_DOMAIN',
];
const SIDECAR_ENV = [...COMMON_ENV, 'ISTIO_META_APP_CONTAINERS', 'ISTIO_META_INTERCEPTION_MODE'];

const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

/** Walks up from `start` to the directory holding package.json (works from src and dist). */
function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
}

/** Environment for `go`: local toolchain only, and a writable cache even when HOME is not. */
function goEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GOTOOLCHAIN: 'local', GOTELEMETRY: 'off', GOFLAGS: '', ...extra };
  let homeWritable = false;
  try {
    accessSync(homedir(), constants.W_OK);
    homeWritable = true;
  } catch {
    homeWritable = false;
  }
  if (!homeWritable || !process.env.HOME) {
    env.GOCACHE ??= join(tmpdir(), 'meshplane-go-cache');
    env.GOPATH ??= join(tmpdir(), 'meshplane-go-path');
  }
  return env;
}

/** Runs the harness with `go run`; fails with an install hint when `go` is missing. */
function runHarness(args: string[] = [], env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  // The file form works whether or not the repository has a go.mod.
  const result = spawnSync('go', ['run', './test/injection/check/main.go', ...args], {
    cwd: repoRoot,
    env: goEnv(env),
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new Error('the Go toolchain (`go`) is not on PATH; install it with `apt-get install golang-go` (CI does)');
    }
    throw result.error;
  }
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Parses a rendered template as istiod would read it (YAML 1.1, like go-yaml), rejecting any error or warning. */
function parsePatch(c: HarnessCase): PodPatch {
  const doc = parseDocument(c.rendered, { version: '1.1', uniqueKeys: true });
  assert.deepEqual(doc.errors.map(String), [], `${c.case}: rendered YAML has errors`);
  assert.deepEqual(doc.warnings.map(String), [], `${c.case}: rendered YAML has warnings`);
  const value: unknown = doc.toJS();
  assert.ok(value !== null && typeof value === 'object', `${c.case}: rendered YAML is not a mapping`);
  const patch = value as Partial<PodPatch>;
  assert.ok(patch.metadata && typeof patch.metadata === 'object', `${c.case}: no metadata`);
  assert.ok(patch.spec && typeof patch.spec === 'object', `${c.case}: no spec`);
  return patch as PodPatch;
}

function allContainers(p: PodPatch): Container[] {
  return [...(p.spec.initContainers ?? []), ...(p.spec.containers ?? [])];
}

function proxyContainer(p: PodPatch): Container {
  const found = allContainers(p).filter((c) => c.name === 'istio-proxy');
  assert.equal(found.length, 1, 'exactly one istio-proxy container');
  return found[0]!;
}

function envValue(c: Container, name: string): string | undefined {
  return c.env?.find((e) => e.name === name)?.value;
}

/** The argument after `flag` in an args list. */
function argAfter(args: string[] | undefined, flag: string): string | undefined {
  const i = (args ?? []).indexOf(flag);
  return i === -1 ? undefined : args![i + 1];
}

/** Facts every injected proxy (sidecar or gateway) must show. */
function checkProxyBasics(p: PodPatch, envNames: readonly string[]): Container {
  const proxy = proxyContainer(p);
  assert.equal(proxy.image, PROXY_IMAGE);
  assert.deepEqual(
    proxy.ports?.find((port) => port.containerPort === 15090),
    { name: 'http-envoy-prom', containerPort: 15090, protocol: 'TCP' },
  );
  assert.deepEqual(proxy.readinessProbe?.httpGet, { path: '/healthz/ready', port: 15021 });

  const names = (proxy.env ?? []).map((e) => e.name);
  assert.equal(new Set(names).size, names.length, `duplicate env names: ${names.join(',')}`);
  for (const name of envNames) assert.ok(names.includes(name), `env ${name} missing`);
  const proxyConfig = JSON.parse(envValue(proxy, 'PROXY_CONFIG') ?? 'null') as { discoveryAddress?: string } | null;
  assert.equal(proxyConfig?.discoveryAddress, DISCOVERY_ADDRESS);
  assert.equal(envValue(proxy, 'TRUST_DOMAIN'), 'cluster.local');
  assert.equal(envValue(proxy, 'ISTIO_META_CLUSTER_ID'), 'Kubernetes');
  JSON.parse(envValue(proxy, 'ISTIO_META_POD_PORTS') ?? '');

  const sc = proxy.securityContext;
  assert.equal(sc?.runAsUser, 1337);
  assert.equal(sc?.runAsGroup, 1337);
  assert.equal(sc?.runAsNonRoot, true);
  assert.equal(sc?.readOnlyRootFilesystem, true);
  assert.equal(sc?.allowPrivilegeEscalation, false);
  assert.deepEqual(sc?.capabilities, { drop: ['ALL'] });

  const volumes = new Map((p.spec.volumes ?? []).map((v) => [v.name, v]));
  assert.deepEqual([...volumes.keys()].sort(), [...IDENTITY_VOLUMES].sort());
  assert.equal(volumes.get('istio-envoy')?.emptyDir?.medium, 'Memory');
  assert.equal(volumes.get('istiod-ca-cert')?.configMap?.name, 'istio-ca-root-cert');
  assert.equal(volumes.get('istio-token')?.projected?.sources?.[0]?.serviceAccountToken?.audience, 'istio-ca');
  assert.ok(volumes.get('istio-podinfo')?.downwardAPI, 'istio-podinfo is a downwardAPI volume');
  for (const mount of proxy.volumeMounts ?? []) {
    assert.ok(volumes.has(mount.name), `volumeMount ${mount.name} has no volume`);
  }

  assert.equal(p.metadata.annotations?.['istio.io/rev'], REVISION);
  // istiod writes sidecar.istio.io/status itself; a template that set it would confuse re-injection checks.
  assert.equal(p.metadata.annotations?.['sidecar.istio.io/status'], undefined);
  return proxy;
}

/** Facts every sidecar patch must show. */
function checkSidecar(p: PodPatch): Container {
  const proxy = checkProxyBasics(p, SIDECAR_ENV);
  assert.deepEqual(proxy.args?.slice(0, 2), ['proxy', 'sidecar']);
  assert.equal(p.metadata.labels?.['security.istio.io/tlsMode'], 'istio');
  assert.ok(p.metadata.labels?.['service.istio.io/canonical-name']);
  assert.ok(p.metadata.labels?.['service.istio.io/canonical-revision']);
  return proxy;
}

function initContainer(p: PodPatch, name: string): Container {
  const found = (p.spec.initContainers ?? []).find((c) => c.name === name);
  assert.ok(found, `init container ${name} missing`);
  return found;
}

const cases: readonly CaseSpec[] = [
  {
    name: 'plain-pod',
    template: 'sidecar',
    check(p) {
      const proxy = checkSidecar(p);
      assert.deepEqual(p.spec.initContainers?.map((c) => c.name), ['istio-init']);
      assert.deepEqual(p.spec.containers?.map((c) => c.name), ['istio-proxy']);
      const init = initContainer(p, 'istio-init');
      assert.equal(init.args?.[0], 'istio-iptables');
      assert.deepEqual(init.securityContext?.capabilities?.add, ['NET_ADMIN', 'NET_RAW']);
      assert.equal(init.securityContext?.runAsUser, 0);
      assert.equal(argAfter(init.args, '-u'), '1337');
      assert.equal(argAfter(init.args, '-m'), 'REDIRECT');
      assert.equal(argAfter(init.args, '-d'), '15020,15021,15090');
      assert.equal(proxy.restartPolicy, undefined);
      assert.equal(proxy.startupProbe, undefined);
      assert.equal(proxy.lifecycle, undefined);
      assert.deepEqual(proxy.resources, { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } });
      assert.equal(envValue(proxy, 'ISTIO_META_APP_CONTAINERS'), 'productpage');
      assert.equal(envValue(proxy, 'ISTIO_META_INTERCEPTION_MODE'), 'REDIRECT');
      assert.equal(envValue(proxy, 'ISTIO_META_WORKLOAD_NAME'), 'productpage-v1');
      assert.equal(envValue(proxy, 'ISTIO_META_OWNER'), 'kubernetes://apis/apps/v1/namespaces/shop/deployments/productpage-v1');
      assert.equal(p.metadata.labels?.['service.istio.io/canonical-name'], 'productpage');
      assert.equal(p.metadata.labels?.['service.istio.io/canonical-revision'], 'v1');
      assert.equal(p.metadata.annotations?.['kubectl.kubernetes.io/default-container'], 'productpage');
      // Metrics merging: the pod's scrape target moves to the agent, which scrapes the app's old one.
      assert.equal(p.metadata.annotations?.['prometheus.io/port'], '15020');
      assert.equal(p.metadata.annotations?.['prometheus.io/path'], '/stats/prometheus');
      assert.equal(p.metadata.annotations?.['prometheus.io/scrape'], 'true');
      assert.deepEqual(JSON.parse(envValue(proxy, 'ISTIO_PROMETHEUS_ANNOTATIONS') ?? 'null'), {
        scrape: 'true',
        port: '9080',
        path: '/metrics',
      });
    },
  },
  {
    name: 'annotated-pod',
    template: 'sidecar',
    check(p) {
      const proxy = checkSidecar(p);
      // proxyCPU, proxyMemory and proxyCPULimit are annotated. The memory limit is left out rather
      // than defaulted: proxyMemory is annotated alone, and a default limit could undercut it.
      assert.deepEqual(proxy.resources, { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1' } });
      assert.ok(proxy.args?.includes('--proxyLogLevel=debug'));
      assert.ok(proxy.args?.includes('--proxyComponentLogLevel=upstream:debug,connection:trace'));
      assert.ok(proxy.args?.includes('--log_output_level=default:debug'));
      assert.equal(argAfter(proxy.args, '--concurrency'), '4');
      assert.equal(proxy.readinessProbe?.periodSeconds, 5);
      // holdApplicationUntilProxyStarts came in through proxy.istio.io/config (merged into ProxyConfig).
      assert.deepEqual(proxy.lifecycle?.postStart?.exec?.command, ['pilot-agent', 'wait']);
      const pc = JSON.parse(envValue(proxy, 'PROXY_CONFIG') ?? 'null') as { holdApplicationUntilProxyStarts?: boolean };
      assert.equal(pc.holdApplicationUntilProxyStarts, true);
      assert.equal(envValue(proxy, 'ISTIO_META_DNS_CAPTURE'), 'true');
      assert.equal(envValue(proxy, 'REWRITE_PROBE_LEGACY_LOCALHOST_DESTINATION'), 'true');
      assert.equal(envValue(proxy, 'ISTIO_META_OWNER'), 'kubernetes://apis/apps/v1/namespaces/payments/statefulsets/ledger');
      const init = initContainer(p, 'istio-init');
      assert.equal(argAfter(init.args, '-d'), '9000,15020,15021,15090');
      assert.equal(argAfter(init.args, '-o'), '5432');
      assert.ok(init.args?.includes('--log_output_level=default:debug'));
      assert.deepEqual(init.env, [{ name: 'ISTIO_META_DNS_CAPTURE', value: 'true' }]);
      // app.kubernetes.io/* labels outrank the plain app/version labels.
      assert.equal(p.metadata.labels?.['service.istio.io/canonical-name'], 'ledger');
      assert.equal(p.metadata.labels?.['service.istio.io/canonical-revision'], '3.4.1');
      // prometheus.io/scrape=false: the app opted out, so nothing is merged.
      assert.equal(p.metadata.annotations?.['prometheus.io/port'], undefined);
      assert.equal(envValue(proxy, 'ISTIO_PROMETHEUS_ANNOTATIONS'), undefined);
    },
  },
  {
    name: 'native-sidecar-pod',
    template: 'sidecar',
    check(p) {
      const proxy = checkSidecar(p);
      assert.deepEqual(p.spec.initContainers?.map((c) => c.name), ['istio-init', 'istio-proxy']);
      assert.equal(p.spec.containers, undefined);
      assert.equal(proxy.restartPolicy, 'Always');
      assert.deepEqual(proxy.startupProbe?.httpGet, { path: '/healthz/ready', port: 15021 });
      assert.equal(proxy.startupProbe?.failureThreshold, 600);
      // Hold is on in values, but a native sidecar's startup probe already does the holding.
      assert.equal(proxy.lifecycle, undefined);
      assert.equal(envValue(proxy, 'ISTIO_META_APP_CONTAINERS'), 'report,uploader');
      assert.equal(envValue(proxy, 'ISTIO_META_OWNER'), 'kubernetes://apis/batch/v1/namespaces/reports/jobs/nightly-report');
      assert.equal(p.metadata.labels?.['service.istio.io/canonical-revision'], 'latest');
    },
  },
  {
    name: 'cni-pod',
    template: 'sidecar',
    check(p) {
      checkSidecar(p);
      assert.deepEqual(p.spec.initContainers?.map((c) => c.name), ['istio-validation']);
      const validation = initContainer(p, 'istio-validation');
      assert.ok(validation.args?.includes('--run-validation'));
      assert.ok(validation.args?.includes('--skip-rule-apply'));
      assert.equal(validation.securityContext?.capabilities?.add, undefined);
      assert.deepEqual(validation.securityContext?.capabilities?.drop, ['ALL']);
      assert.equal(validation.securityContext?.runAsNonRoot, true);
      assert.equal(validation.securityContext?.runAsUser, 1337);
      for (const c of allContainers(p)) {
        assert.ok(!c.securityContext?.capabilities?.add?.includes('NET_ADMIN'), `${c.name} must not get NET_ADMIN`);
      }
      const annotations = p.metadata.annotations ?? {};
      assert.equal(annotations['sidecar.istio.io/interceptionMode'], 'REDIRECT');
      assert.equal(annotations['traffic.sidecar.istio.io/excludeOutboundIPRanges'], '169.254.169.254/32');
      assert.equal(annotations['traffic.sidecar.istio.io/excludeInboundPorts'], '15020,15021,15090');
      assert.equal(annotations['k8s.v1.cni.cncf.io/networks'], undefined, 'chained CNI needs no Multus network');
    },
  },
  {
    name: 'cni-legacy-multus-pod',
    template: 'sidecar',
    check(p) {
      checkSidecar(p);
      assert.deepEqual(p.spec.initContainers?.map((c) => c.name), ['istio-validation']);
      assert.equal(p.metadata.annotations?.['k8s.v1.cni.cncf.io/networks'], 'macvlan-conf, istio-cni');
    },
  },
  {
    name: 'no-redirect-pod',
    template: 'sidecar',
    check(p) {
      const proxy = checkSidecar(p);
      assert.ok(!('initContainers' in p.spec), 'no initContainers key at all (a null would clear the pod\'s own)');
      assert.deepEqual(p.spec.containers?.map((c) => c.name), ['istio-proxy']);
      assert.equal(envValue(proxy, 'ISTIO_META_INTERCEPTION_MODE'), 'NONE');
    },
  },
  {
    name: 'gateway-pod',
    template: 'gateway',
    check(p) {
      const proxy = checkProxyBasics(p, COMMON_ENV);
      assert.deepEqual(proxy.args?.slice(0, 2), ['proxy', 'router']);
      assert.ok(proxy.args?.includes('router'));
      assert.ok(!('initContainers' in p.spec), 'a gateway gets no init container');
      assert.deepEqual(p.spec.containers?.map((c) => c.name), ['istio-proxy']);
      // global.proxy.lifecycle from values passes through toYaml intact.
      assert.deepEqual(proxy.lifecycle, { preStop: { exec: { command: ['sleep', '5'] } } });
      assert.equal(p.metadata.labels?.['security.istio.io/tlsMode'], undefined);
      assert.equal(p.metadata.labels?.['service.istio.io/canonical-name'], 'aks-istio-ingressgateway-external');
      assert.equal(envValue(proxy, 'ISTIO_META_WORKLOAD_NAME'), 'aks-istio-ingressgateway-external-asm-1-28');
      assert.deepEqual(proxy.resources, { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } });
    },
  },
];

describe('injection templates execute as istiod would run them', { timeout: 600_000 }, () => {
  let rendered: Map<string, HarnessCase>;

  before(() => {
    const run = runHarness();
    assert.equal(run.status, 0, `injection check harness failed:\n${run.stderr}`);
    const lines = run.stdout.split('\n').filter((line) => line.trim() !== '');
    rendered = new Map(lines.map((line) => JSON.parse(line) as HarnessCase).map((c) => [c.case, c]));
  });

  it('renders exactly the fixtures this test has expectations for', () => {
    assert.deepEqual([...rendered.keys()].sort(), cases.map((c) => c.name).sort());
  });

  for (const spec of cases) {
    it(`${spec.name} (${spec.template} template)`, () => {
      const c = rendered.get(spec.name);
      assert.ok(c, `harness printed no case ${spec.name}`);
      assert.equal(c.template, spec.template);
      spec.check(parsePatch(c));
    });
  }
});

describe('the harness rejects broken templates', { timeout: 600_000 }, () => {
  const sourceDir = join(repoRoot, 'templates', 'injection');
  let workDir = '';

  before(() => {
    workDir = mkdtempSync(join(tmpdir(), 'meshplane-broken-templates-'));
  });
  after(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  /** Writes a template directory whose sidecar.tmpl is the real one with `prefix` in front. */
  function brokenDir(name: string, prefix: string): string {
    const target = mkdtempSync(join(workDir, `${name}-`));
    copyFileSync(join(sourceDir, 'gateway.tmpl'), join(target, 'gateway.tmpl'));
    writeFileSync(join(target, 'sidecar.tmpl'), prefix + readFileSync(join(sourceDir, 'sidecar.tmpl'), 'utf8'));
    return target;
  }

  // Why these three: a parse failure (unknown function), an execution failure (a field the
  // real istiod types lack), and a silent leak (a missing values key printed as "<no value>").
  const broken = [
    { name: 'undefined-function', prefix: '{{ frobnicate .Values }}\n', stderr: /sidecar\.tmpl.*function "frobnicate" not defined/ },
    { name: 'unknown-field', prefix: '{{ .ObjectMeta.Annotationz }}\n', stderr: /can't evaluate field Annotationz/ },
    { name: 'leaked-missing-value', prefix: 'x: {{ .Values.global.noSuchSetting }}\n', stderr: /<no value>/ },
  ];

  for (const b of broken) {
    it(`fails on ${b.name} (templates dir by flag)`, () => {
      const run = runHarness(['-templates', brokenDir(b.name, b.prefix)]);
      assert.notEqual(run.status, 0, 'harness must exit non-zero');
      assert.match(run.stderr, b.stderr);
      assert.equal(run.stdout, '', 'nothing on stdout when a case fails');
    });
  }

  it('takes the templates dir from MESHPLANE_INJECTION_TEMPLATES too', () => {
    const run = runHarness([], { MESHPLANE_INJECTION_TEMPLATES: brokenDir('by-env', '{{ if }}\n') });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /sidecar\.tmpl/);
  });
});
