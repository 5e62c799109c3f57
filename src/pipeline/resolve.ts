/**
 * Stage `resolve`: the defaulted intent + environment + catalog → the plain input the jsonnet
 * templates render from. Unknown revisions are left out of the render (the revision-unknown
 * rule reports them); everything the templates need to branch on is decided here, in code that
 * can be unit-tested, so the templates stay declarative.
 */
import { MeshplaneError } from '../core/errors.js';
import type { Notice } from '../core/types.js';
import { behaves, behaviourValue, crdsFor, findRevision, kubeMinor, revisionMinor, type Catalog } from '../catalog/catalog.js';
import type { ServiceMesh } from '../intent/types.js';
import { resolveParts, resolvePluginCa, resolveSecurityApis, type PartsInput, type PluginCaInput, type SecurityApis } from './resolve-addons.js';
import { resolveGateways, type GatewaysInput } from './resolve-gateways.js';
import { resolveCniAgent, resolveGatewayApi, type CniAgentInput, type GatewayApiInput } from './resolve-control-plane.js';
import { resolvePreflightHook, type PreflightHookInput } from './resolve-preflight-hook.js';
import { resolveRestartHook, type RestartHookInput } from './resolve-restart-hook.js';
import { revisionImages, type RevisionImages } from './resolve-images.js';
import { loadGuardrailData } from '../catalog/guardrails.js';
import { contractFor, loadInjectionContract, type InjectionFeatures } from '../catalog/injection-contract.js';
import { admissionExceptions, exceptionStates, forbiddenPolicy, type AdmissionException } from './policy.js';

/** The environment values the render reads (from Argo CD, flags, or the server request). */
export interface RenderEnv {
  /** KUBE_VERSION as Argo CD passes it (e.g. `1.32.3` or `v1.32.3`). */
  KUBE_VERSION?: string;
  /** `--kube-version` from the command line. */
  kubeVersionFlag?: string;
  /** The Argo CD parameter `cluster.kubernetesVersion` (value and who set it), ranked below the flag and above KUBE_VERSION. */
  kubeVersionParameter?: { value: string; source: string };
  /** The clock (`--now`): decides which policy exceptions the admission policy still honours. Default: the current time. */
  now?: Date;
}

/** Rules whose exceptions the in-cluster admission policy honours (it enforces only these two). */
export const ADMISSION_RULES = ['forbidden-kind', 'gateway-api-unsupported'] as const;

/** First Kubernetes minor serving admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy. */
export const ADMISSION_POLICY_MIN_MINOR = 30;

/** What the in-cluster admission policy enforces (templates/policy.libsonnet). */
export interface PolicyInput {
  /** False below Kubernetes 1.30: the policy is left out (with a warning notice). */
  admissionPolicy: boolean;
  forbiddenKinds: Array<{ group: string; kind: string }>;
  /** Unexpired exceptions of {@link ADMISSION_RULES}. */
  exceptions: AdmissionException[];
}

/** Namespaces of the managed install (fixed by the add-on). */
export const NAMESPACES = { system: 'aks-istio-system', ingress: 'aks-istio-ingress', egress: 'aks-istio-egress' } as const;

export { IMAGE_HUB } from './resolve-images.js';

/** Everything a template needs to know about one revision. */
export interface RevisionInput {
  name: string;
  minor: number;
  istioVersion: string;
  images: RevisionImages;
  isDefault: boolean;
  tags: string[];
  namedPorts: boolean;
  revisionTagService: boolean;
  nativeSidecar: boolean;
  cni: boolean;
  nodeAffinity: { systemWeight: number; preferredWeight: number };
  /** What this minor's istiod offers the injection templates (catalog/injection-contract.yaml). */
  injection: InjectionFeatures;
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
  policy: PolicyInput;
  /** Ingress and egress gateways with overrides and defaults applied. */
  gateways: GatewaysInput;
  /** The plug-in CA wiring (vault name parsed from keyVaultId), or null. */
  pluginCa: PluginCaInput | null;
  /** security.istio.io versions every installed revision serves; null without revisions. */
  securityApis: SecurityApis | null;
  /** Optional template parts this intent uses (main.jsonnet imports only those). */
  parts: PartsInput;
  /** The opt-in PreSync preflight hook (spec.policy.preflightHook), or null. */
  preflight: PreflightHookInput | null;
  /** The opt-in PostSync restart hook (spec.upgrade.restartHook), or null. */
  restartHook: RestartHookInput | null;
  /** Whether istiod serves Gateway API (see resolveGatewayApi). */
  readonly gatewayApi: GatewayApiInput;
  /** The Istio CNI node agent for CNI chaining, or null. */
  cniAgent: CniAgentInput | null;
}

/** The resolved render input plus notices for stderr. */
export interface Resolved {
  input: RenderInput;
  notices: Notice[];
}

/**
 * Picks the target Kubernetes version with the CLI's one precedence rule (docs/cli.md): the
 * `--kube-version` flag, else the Argo CD parameter cluster.kubernetesVersion (an explicit
 * per-Application setting), else the KUBE_VERSION environment variable (Argo CD sets it to the
 * cluster's version), else mesh.yaml's spec.cluster.kubernetesVersion. When a higher source
 * overrides a lower one that names another minor, a warning says which won over what. Returns
 * the "1.NN" form.
 */
export function resolveKubeVersion(intent: ServiceMesh, env: RenderEnv, notices: Notice[]): { version: string; minor: number } {
  const candidates: Array<{ shown: (v: string) => string; name: string; value: string | undefined }> = [
    { name: '--kube-version', shown: (v) => `--kube-version ${v}`, value: env.kubeVersionFlag },
    { name: env.kubeVersionParameter?.source ?? 'parameter', shown: (v) => `${env.kubeVersionParameter?.source ?? 'parameter'} ${v}`, value: env.kubeVersionParameter?.value },
    { name: 'KUBE_VERSION', shown: (v) => `KUBE_VERSION=${v}`, value: env.KUBE_VERSION },
    { name: 'spec.cluster.kubernetesVersion', shown: (v) => `mesh.yaml's spec.cluster.kubernetesVersion ${v}`, value: intent.spec.cluster?.kubernetesVersion },
  ];
  const present = candidates.filter((c): c is typeof c & { value: string } => c.value !== undefined && c.value !== '');
  const chosen = present[0];
  if (!chosen) {
    throw new MeshplaneError('kube-version-missing', 'the target Kubernetes version is unknown', [], 'set spec.cluster.kubernetesVersion in mesh.yaml (e.g. "1.32"), or pass --kube-version 1.32; Argo CD sets KUBE_VERSION itself');
  }
  const minor = kubeMinor(chosen.value);
  if (!Number.isFinite(minor)) {
    throw new MeshplaneError('kube-version-invalid', `${chosen.name} is "${chosen.value}", which is not a Kubernetes 1.x version`, [], 'use the form 1.32 (a leading v and a patch, as in v1.32.3, are accepted)');
  }
  const overridden = present.slice(1).filter((c) => kubeMinor(c.value) !== minor);
  if (overridden.length > 0) {
    notices.push({ level: 'warning', message: `${chosen.shown(chosen.value)} overrides ${overridden.map((c) => c.shown(c.value)).join(' and ')}; rendering for Kubernetes 1.${minor}` });
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
  // One clock reading for every date-dependent decision of this render.
  const now = env.now ?? new Date();
  const policy = policyInput(intent, { ...env, now }, kubernetes.minor, notices);
  return {
    input: {
      mesh: { name: intent.metadata.name }, namespaces: NAMESPACES, kubernetes, revisions, defaultRevision, crds, tags, spec: intent.spec, policy,
      gateways: resolveGateways(intent), pluginCa: resolvePluginCa(intent), securityApis: revisions[0] ? resolveSecurityApis(catalog, revisions[0].minor) : null,
      parts: resolveParts(intent),
      preflight: resolvePreflightHook(intent),
      restartHook: resolveRestartHook(intent, NAMESPACES.system),
      gatewayApi: resolveGatewayApi(intent, now),
      cniAgent: resolveCniAgent(revisions),
    },
    notices,
  };
}

/** The admission-policy input; below 1.30 the policy is left out with a warning. */
export function policyInput(intent: ServiceMesh, env: RenderEnv, minor: number, notices: Notice[]): PolicyInput {
  const admissionPolicy = intent.spec.mode === 'Istio' && minor >= ADMISSION_POLICY_MIN_MINOR;
  if (intent.spec.mode === 'Istio' && !admissionPolicy) {
    notices.push({ level: 'warning', message: `the in-cluster ValidatingAdmissionPolicy is left out: Kubernetes 1.${minor} does not serve admissionregistration.k8s.io/v1 policies (1.${ADMISSION_POLICY_MIN_MINOR}+); only the static check enforces the guardrails` });
  }
  const kinds = forbiddenPolicy(intent, loadGuardrailData().forbiddenKinds).kinds.map(({ group, kind }) => ({ group, kind }));
  const exceptions = admissionExceptions(exceptionStates(intent, env.now ?? new Date()), ADMISSION_RULES);
  return { admissionPolicy, forbiddenKinds: kinds, exceptions };
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
    images: revisionImages(intent, entry.istio),
    isDefault: ctx.isDefault,
    tags: ctx.tags.filter((t) => t.revision === name).map((t) => t.name),
    namedPorts: behaves(catalog, 'namedIstiodPorts', minor),
    revisionTagService: behaves(catalog, 'revisionTagService', minor),
    nativeSidecar: nativeSidecar(catalog, minor, ctx),
    cni: intent.spec.istio?.components?.proxyRedirectionMechanism === 'CNIChaining' && behaves(catalog, 'cniChaining', minor),
    nodeAffinity: preferredFirst ? { systemWeight: 50, preferredWeight: 100 } : { systemWeight: 100, preferredWeight: 50 },
    injection: contractFor(loadInjectionContract(), minor).features,
  };
}

/** Native sidecars per the add-on's rules (catalog `nativeSidecar*` behaviour entries). */
export function nativeSidecar(catalog: Catalog, minor: number, ctx: Pick<RevisionContext, 'kubeMinor' | 'newInstall'>): boolean {
  const needKube = kubeMinor(behaviourValue(catalog, 'nativeSidecarMinKubernetes', minor) ?? '1.33');
  if (ctx.kubeMinor < needKube) return false;
  if (behaves(catalog, 'nativeSidecarAlways', minor)) return true;
  return behaves(catalog, 'nativeSidecarNewInstallsOnly', minor) && ctx.newInstall;
}
