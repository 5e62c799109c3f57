/**
 * Test support for the injection templates: renders the shipped istio-sidecar-injector
 * ConfigMap of a revision, builds harness cases from our fixtures, and runs the Go harness
 * (test/injection/check) that executes the templates as istiod of that Istio minor would.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadCatalog, revisionMinor } from '../../src/catalog/catalog.js';
import type { InjectionContract } from '../../src/catalog/injection-contract.js';
import { JsonnetEngine } from '../../src/engine/template-engine.js';
import { applyDefaults } from '../../src/pipeline/defaults.js';
import { resolve } from '../../src/pipeline/resolve.js';
import type { ServiceMesh } from '../../src/intent/types.js';
import { runGo } from '../helpers/go-toolchain.js';

/** The repository root (works from test/ and dist/test/). */
export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
}

/** catalog/injection-contract.yaml, parsed. */
export function loadContract(): InjectionContract {
  return parse(readFileSync(join(repoRoot, 'catalog', 'injection-contract.yaml'), 'utf8')) as InjectionContract;
}

/** What the injector ConfigMap of one revision ships. */
export interface Injector {
  revision: string;
  minor: number;
  templates: Record<string, string>;
  values: Record<string, unknown>;
}

/** Options of the mesh the injector is rendered for. */
export interface MeshOptions {
  cni?: boolean;
  gatewayApi?: boolean;
  kubernetesVersion?: string;
  /** spec.images of the mesh (registry override, pull secrets). */
  images?: ServiceMesh['spec']['images'];
}

const engine = new JsonnetEngine({ templatesDir: join(repoRoot, 'templates') });

/** Renders the mesh's objects for one revision with the real templates. */
export async function renderMesh(revision: string, opts: MeshOptions = {}): Promise<Array<Record<string, any>>> {
  const entry = loadCatalog().revisions.find((r) => r.name === revision);
  if (!entry) throw new Error(`unknown revision ${revision}`);
  const intent = {
    apiVersion: 'meshplane.io/v1alpha1',
    kind: 'ServiceMesh',
    metadata: { name: 'contract' },
    spec: {
      mode: 'Istio',
      istio: { revisions: [revision], components: { ...(opts.cni ? { proxyRedirectionMechanism: 'CNIChaining' } : {}), ingressGateways: [{ mode: 'External', enabled: true }] } },
      cluster: { kubernetesVersion: opts.kubernetesVersion ?? entry.kubernetes.max },
      ...(opts.images ? { images: opts.images } : {}),
      ...(opts.gatewayApi
        ? { policy: { exceptions: [{ rule: 'gateway-api-unsupported', resource: 'gateway.networking.k8s.io/Gateway/web/*', reason: 'contract test', expires: '2999-01-01' }] } }
        : {}),
    },
  } as unknown as ServiceMesh;
  const { input } = resolve(applyDefaults(intent), { now: new Date('2026-12-01T00:00:00Z') }, loadCatalog());
  const out = (await engine.render(input)) as unknown;
  return flatten(out);
}

function flatten(v: unknown): Array<Record<string, any>> {
  if (Array.isArray(v)) return v.flatMap(flatten);
  if (v && typeof v === 'object') {
    const o = v as Record<string, any>;
    if (typeof o.kind === 'string' && typeof o.apiVersion === 'string') return [o];
    return Object.values(o).flatMap(flatten);
  }
  return [];
}

/** The injector ConfigMap of a revision: its templates and values. */
export async function renderInjector(revision: string, opts: MeshOptions = {}): Promise<Injector> {
  const objects = await renderMesh(revision, opts);
  const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === `istio-sidecar-injector-${revision}`);
  if (!cm) throw new Error(`no istio-sidecar-injector-${revision} ConfigMap rendered`);
  const config = decoded(cm.data.config) as { templates: Record<string, string> };
  return { revision, minor: revisionMinor(revision), templates: config.templates, values: decoded(cm.data.values) as Record<string, unknown> };
}

/** A ConfigMap value as the templates hand it over: encoded later by the pipeline (src/pipeline/encode.ts), or already a string. */
function decoded(v: unknown): unknown {
  if (typeof v === 'string') return parse(v) as unknown;
  const marker = v as { 'meshplane.io/encode'?: string; value?: unknown };
  if (marker && marker['meshplane.io/encode']) return marker.value;
  throw new Error('unexpected ConfigMap value shape');
}

/** One fixture file of test/injection/fixtures. */
export interface Fixture {
  name: string;
  description: string;
  upstream: { golden: string; input: string; tag: string };
  revision: string;
  template: 'sidecar' | 'gateway';
  nativeSidecars: boolean;
  values?: Record<string, unknown>;
  pod: { TypeMeta: unknown; DeploymentMeta: unknown; ObjectMeta: { labels?: Record<string, string>; annotations?: Record<string, string> }; Spec: { containers: Array<{ name: string }>; initContainers?: Array<{ name: string }> } };
  proxyConfig: Record<string, unknown>;
  expect: Record<string, unknown>;
}

/** All fixtures, by file name. */
export function loadFixtures(): Fixture[] {
  const dir = join(repoRoot, 'test', 'injection', 'fixtures');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Omit<Fixture, 'name'>) }));
}

/** One harness case (see test/injection/check/main.go). */
export interface HarnessCase {
  name: string;
  minor: number;
  data: 'sidecar' | 'kube-gateway';
  template: string;
  values: Record<string, unknown>;
  input: Record<string, unknown>;
  env: Record<string, string>;
}

function deepMerge(dst: Record<string, any>, src: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...dst };
  for (const [k, v] of Object.entries(src)) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object' ? deepMerge(out[k], v) : v;
  }
  return out;
}

/**
 * The sidecar template data of a fixture for one minor: only fields that minor's
 * SidecarTemplateData has (the harness rejects any other), with istiod's own inputs
 * (ProxyImage as istiod composes it, the revision, the merged ProxyConfig).
 */
export function sidecarCase(fx: Fixture, injector: Injector, contract: InjectionContract, name = fx.name): HarnessCase {
  const minor = contract.minors.find((m) => m.minor === injector.minor);
  if (!minor) throw new Error(`contract lacks Istio 1.${injector.minor}`);
  const values = deepMerge(injector.values, fx.values ?? {});
  const data: Record<string, unknown> = {
    ...fx.pod,
    ProxyConfig: { discoveryAddress: `istiod-${injector.revision}.aks-istio-system.svc:15012`, ...fx.proxyConfig },
    MeshConfig: { trustDomain: 'cluster.local', rootNamespace: 'aks-istio-system' },
    Revision: injector.revision,
    ProxyImage: composeProxyImage(values, minor.features.imageVariant),
    NativeSidecars: fx.nativeSidecars,
    InboundTrafficPolicyMode: '',
    CompliancePolicy: '',
  };
  const input = Object.fromEntries(Object.entries(data).filter(([k]) => k in minor.sidecarData));
  // Before 1.27 istiod's environment carries the native-sidecar switch (features.EnableNativeSidecars).
  const env = { ENABLE_NATIVE_SIDECARS: fx.nativeSidecars ? 'true' : 'false' };
  const template = injector.templates[fx.template];
  if (template === undefined) throw new Error(`${injector.revision} ships no ${fx.template} template`);
  return { name, minor: injector.minor, data: 'sidecar', template, values, input, env };
}

/**
 * istiod's image composition (pkg/kube/inject/inject.go ProxyImage and imageURL, 1.20.0–1.30.0):
 * hub + "/" + image + ":" + tag, where image defaults to "proxyv2"; from 1.22 a non-empty
 * global.variant replaces a known "-distroless"/"-debug" suffix of the tag (or is appended),
 * and the variant "default" means the bare tag (updateImageTypeIfPresent).
 */
export function composeProxyImage(values: Record<string, any>, variantAware: boolean): string {
  const g = values.global ?? {};
  const image: string = g.proxy?.image || 'proxyv2';
  const tag = g.tag === undefined || g.tag === null ? '' : String(g.tag);
  const variant: string = variantAware ? (g.variant ?? '') : '';
  return `${g.hub}/${image}:${withImageType(tag, variant)}`;
}

function withImageType(tag: string, type: string): string {
  if (type === '') return tag;
  let t = tag;
  for (const known of ['distroless', 'debug']) {
    if (t.endsWith(`-${known}`)) {
      t = t.slice(0, -(known.length + 1));
      break;
    }
  }
  return type === 'default' ? t : `${t}-${type}`;
}

/** One harness result line. */
export interface HarnessResult {
  name: string;
  rendered?: string;
  error?: string;
}

/** Runs the Go harness on `cases`; fails with an install hint when `go` is missing. */
export function runHarness(contract: InjectionContract, cases: HarnessCase[]): { status: number; results: Map<string, HarnessResult>; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'meshplane-injection-'));
  try {
    const file = join(dir, 'cases.json');
    writeFileSync(file, JSON.stringify({ contract: { minors: contract.minors.map(({ minor, tag, sidecarData, kubeGatewayData, funcs }) => ({ minor, tag, sidecarData, kubeGatewayData, funcs })), sprig: contract.sprig }, cases }));
    const checkDir = join(repoRoot, 'test', 'injection', 'check');
    const goFiles = readdirSync(checkDir).filter((f) => f.endsWith('.go')).map((f) => join(checkDir, f));
    const r = runGo(['run', ...goFiles, '-cases', file], { cwd: repoRoot });
    const results = new Map<string, HarnessResult>();
    for (const line of r.stdout.split('\n')) {
      if (line.trim() === '') continue;
      const res = JSON.parse(line) as HarnessResult;
      results.set(res.name, res);
    }
    return { status: r.status ?? -1, results, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
