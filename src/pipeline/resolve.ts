/**
 * Stage `resolve`: the defaulted intent + environment + catalog → the plain input the jsonnet
 * templates render from. Unknown revisions are left out of the render (the revision-unknown
 * rule reports them); everything the templates need to branch on is decided here, in code that
 * can be unit-tested, so the templates stay declarative.
 */
import { MeshplaneError } from '../core/errors.js';
import type { Notice } from '../core/types.js';
import { behaves, crdsFor, findRevision, kubeMinor, revisionMinor, type Catalog } from '../catalog/catalog.js';
import type { ServiceMesh } from '../intent/types.js';

/** The environment values the render reads (from Argo CD, flags, or the server request). */
export interface RenderEnv {
  /** KUBE_VERSION as Argo CD passes it (e.g. `1.32.3` or `v1.32.3`). */
  KUBE_VERSION?: string;
  /** `--kube-version` from the command line. */
  kubeVersionFlag?: string;
}

/** Namespaces of the managed install (fixed by the add-on). */
export const NAMESPACES = { system: 'aks-istio-system', ingress: 'aks-istio-ingress', egress: 'aks-istio-egress' } as const;

/** Container registry path of the add-on's Istio images. */
export const IMAGE_HUB = 'mcr.microsoft.com/oss/istio';

/** Everything a template needs to know about one revision. */
export interface RevisionInput {
  name: string;
  minor: number;
  istioVersion: string;
  images: { hub: string; tag: string; pilot: string; proxy: string };
  isDefault: boolean;
  tags: string[];
  namedPorts: boolean;
  revisionTagService: boolean;
  nativeSidecar: boolean;
  cni: boolean;
  nodeAffinity: { systemWeight: number; preferredWeight: number };
}

/** One CRD to render. */
export interface CrdInput {
  group: string;
  kind: string;
  plural: string;
  shortNames: string[];
  versions: string[];
  storage: string;
}

/** The template input: plain JSON, passed to jsonnet as one top-level argument. */
export interface RenderInput {
  mesh: { name: string };
  namespaces: typeof NAMESPACES;
  kubernetes: { version: string; minor: number };
  revisions: RevisionInput[];
  defaultRevision: string | null;
  crds: CrdInput[];
  tags: Array<{ name: string; revision: string }>;
  spec: ServiceMesh['spec'];
}

/** The resolved render input plus notices for stderr. */
export interface Resolved {
  input: RenderInput;
  notices: Notice[];
}

/**
 * Picks the target Kubernetes version: spec.cluster.kubernetesVersion, else KUBE_VERSION, else
 * --kube-version (DESIGN §1). Returns the "1.NN" form.
 */
export function resolveKubeVersion(intent: ServiceMesh, env: RenderEnv, notices: Notice[]): { version: string; minor: number } {
  const candidates: Array<[string, string | undefined]> = [
    ['spec.cluster.kubernetesVersion', intent.spec.cluster?.kubernetesVersion],
    ['KUBE_VERSION', env.KUBE_VERSION],
    ['--kube-version', env.kubeVersionFlag],
  ];
  const chosen = candidates.find(([, v]) => v !== undefined && v !== '');
  if (!chosen) {
    throw new MeshplaneError('kube-version-missing', 'the target Kubernetes version is unknown', [], 'set spec.cluster.kubernetesVersion in mesh.yaml (e.g. "1.32"), or pass --kube-version 1.32; Argo CD sets KUBE_VERSION itself');
  }
  const [source, raw] = chosen as [string, string];
  const minor = kubeMinor(raw);
  if (!Number.isFinite(minor)) {
    throw new MeshplaneError('kube-version-invalid', `${source} is "${raw}", which is not a Kubernetes 1.x version`, [], 'use the form 1.32 (a leading v and a patch, as in v1.32.3, are accepted)');
  }
  const envMinor = env.KUBE_VERSION ? kubeMinor(env.KUBE_VERSION) : Number.NaN;
  if (source !== 'KUBE_VERSION' && Number.isFinite(envMinor) && envMinor !== minor) {
    notices.push({ level: 'warning', message: `${source} says Kubernetes 1.${minor} but the cluster reports KUBE_VERSION=${env.KUBE_VERSION}; rendering for 1.${minor}` });
  }
  return { version: `1.${minor}`, minor };
}

/** Resolves the defaulted intent into the template input. */
export function resolve(intent: ServiceMesh, env: RenderEnv, catalog: Catalog): Resolved {
  const notices: Notice[] = [];
  const kubernetes = resolveKubeVersion(intent, env, notices);
  const names = intent.spec.mode === 'Istio' ? (intent.spec.istio?.revisions ?? []) : [];
  const known = names.filter((n) => findRevision(catalog, n)).sort((a, b) => revisionMinor(a) - revisionMinor(b));
  const defaultRevision = known.length ? (known[known.length - 1] as string) : null;
  const tags = Object.entries(intent.spec.tags ?? {})
    .filter(([, rev]) => known.includes(rev))
    .map(([name, revision]) => ({ name, revision }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const single = known.length === 1;
  const revisions = known.map((name) => revisionInput(catalog, intent, name, { kubeMinor: kubernetes.minor, isDefault: name === defaultRevision, newInstall: single, tags }));
  const newest = revisions[revisions.length - 1];
  const crds = newest ? crdsFor(catalog, newest.minor).map((c) => ({ group: c.group, kind: c.kind, plural: c.plural, shortNames: c.shortNames ?? [], versions: c.versions, storage: c.storage })) : [];
  return {
    input: { mesh: { name: intent.metadata.name }, namespaces: NAMESPACES, kubernetes, revisions, defaultRevision, crds, tags, spec: intent.spec },
    notices,
  };
}

interface RevisionContext {
  kubeMinor: number;
  isDefault: boolean;
  newInstall: boolean;
  tags: Array<{ name: string; revision: string }>;
}

function revisionInput(catalog: Catalog, intent: ServiceMesh, name: string, ctx: RevisionContext): RevisionInput {
  const entry = findRevision(catalog, name);
  if (!entry) throw new Error(`revision ${name} vanished from the catalog`);
  const minor = revisionMinor(name);
  const preferredFirst = behaves(catalog, 'preferredNodeWeightFirst', minor);
  return {
    name,
    minor,
    istioVersion: entry.istio,
    images: { hub: IMAGE_HUB, tag: `${entry.istio}-distroless`, pilot: `${IMAGE_HUB}/pilot:${entry.istio}-distroless`, proxy: `${IMAGE_HUB}/proxyv2:${entry.istio}-distroless` },
    isDefault: ctx.isDefault,
    tags: ctx.tags.filter((t) => t.revision === name).map((t) => t.name),
    namedPorts: behaves(catalog, 'namedIstiodPorts', minor),
    revisionTagService: behaves(catalog, 'revisionTagService', minor),
    nativeSidecar: nativeSidecar(catalog, minor, ctx),
    cni: intent.spec.istio?.components?.proxyRedirectionMechanism === 'CNIChaining' && behaves(catalog, 'cniChaining', minor),
    nodeAffinity: preferredFirst ? { systemWeight: 50, preferredWeight: 100 } : { systemWeight: 100, preferredWeight: 50 },
  };
}

/** Native sidecars per the add-on's rules (catalog `nativeSidecar*` behaviour entries). */
export function nativeSidecar(catalog: Catalog, minor: number, ctx: Pick<RevisionContext, 'kubeMinor' | 'newInstall'>): boolean {
  const needKube = kubeMinor(catalog.behaviour.nativeSidecarMinKubernetes?.value ?? '1.33');
  if (ctx.kubeMinor < needKube) return false;
  if (behaves(catalog, 'nativeSidecarAlways', minor)) return true;
  return behaves(catalog, 'nativeSidecarNewInstallsOnly', minor) && ctx.newInstall;
}
