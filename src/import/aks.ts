/**
 * `meshplane import --aks`: `az aks show` JSON (or its serviceMeshProfile) → mesh.yaml text.
 * Pure: text in, text and notices out. The result is validated by the same stages `generate`
 * runs (find, schema, intent checks) before it is returned, and problems point back into the
 * input file.
 */
import { kubeMinor } from '../catalog/catalog.js';
import { MeshplaneError, type ErrorDetail } from '../core/errors.js';
import type { Notice } from '../core/types.js';
import type { ServiceMesh } from '../intent/types.js';
import { clusterFacts, meshNameFrom, type ClusterFacts } from './aks-cluster.js';
import { importError, readAksInput, type AksInput } from './aks-input.js';
import { importMeshConfig, type ConfigMapDump } from './aks-meshconfig.js';
import { importProfile } from './aks-profile.js';
import { validateImported, type Provenance, intentYaml } from './mesh-yaml.js';
import { positionOf } from '../pipeline/load.js';
import { DNS1123_LABEL, nameProblem } from '../pipeline/intent-names.js';

/** Options of {@link importAks} (the command's flags). */
export interface ImportOptions {
  /** The input file as the user named it (shown in errors and the header). */
  source: string;
  name?: string;
  kubeVersion?: string;
  tenantId?: string;
  identityClientId?: string;
  /** Dumps of the add-on's istio-shared-configmap-<rev> (`--shared-configmap`), for spec.meshConfig. */
  sharedConfigMaps?: readonly ConfigMapDump[];
}

/** The mesh.yaml text and what the user should know about it. */
export interface ImportResult {
  text: string;
  notices: Notice[];
}

/** Imports the text of an `az aks show` JSON file. */
export function importAks(text: string, opts: ImportOptions): ImportResult {
  const input = readAksInput(opts.source, text);
  const notices: Notice[] = [];
  const profile = importProfile(input, notices);
  const facts = clusterFacts(input);
  const spec: Record<string, unknown> = { ...profile };
  const cluster = clusterSpec(input, facts, opts, notices);
  if (cluster) spec.cluster = cluster;
  const access = keyVaultAccess(input, profile.istio, facts, opts, notices);
  if (access) spec.keyVaultAccess = access;
  const revisions = Array.isArray(profile.istio?.revisions) ? (profile.istio.revisions as string[]) : [];
  const mesh = importMeshConfig(opts.sharedConfigMaps ?? [], revisions, notices);
  if (mesh.meshConfig) spec.meshConfig = mesh.meshConfig;
  const intent = { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: meshName(input, facts, opts, notices) }, spec } as unknown as ServiceMesh;
  const provenance: Provenance = { source: opts.source, shape: input.shape, cluster: facts.name?.value, resourceGroup: facts.resourceGroup, keyVaultAccess: access ? 'cluster' : undefined, meshConfigFrom: mesh.from };
  const out = intentYaml(intent, provenance);
  notices.push(...validateImported(out, (path) => positionOf(input.doc, [...input.profilePath, ...path])));
  return { text: out, notices };
}


function meshName(input: AksInput, facts: ClusterFacts, opts: ImportOptions, notices: Notice[]): string {
  if (opts.name !== undefined) {
    if (nameProblem(opts.name, DNS1123_LABEL) !== undefined) throw new MeshplaneError('usage', `meshplane import: --name "${opts.name}" is not a DNS label`, [], 'use lower-case letters, digits and "-", at most 63 characters, e.g. --name prod');
    return opts.name;
  }
  const name = facts.name && meshNameFrom(facts.name.value);
  if (!facts.name || !name) {
    throw importError(`${opts.source} names no cluster, so the mesh has no name`, positionOf(input.doc, []), 'pass --name <mesh-name> (a DNS label such as prod)');
  }
  if (name !== facts.name.value) notices.push({ level: 'info', where: positionOf(input.doc, facts.name.path), message: `cluster name "${facts.name.value}" written as metadata.name "${name}" (a DNS label)` });
  return name;
}

function clusterSpec(input: AksInput, facts: ClusterFacts, opts: ImportOptions, notices: Notice[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  const raw = opts.kubeVersion ?? facts.kubernetesVersion?.value;
  if (raw !== undefined) {
    const minor = kubeMinor(raw);
    if (!Number.isFinite(minor)) {
      if (opts.kubeVersion !== undefined) throw new MeshplaneError('usage', `meshplane import: --kube-version "${raw}" is not a Kubernetes 1.x version`, [], 'use the form 1.32 (v1.32.3 is accepted too)');
      const path = facts.kubernetesVersion?.path ?? [];
      throw importError(`${opts.source}: the Kubernetes version "${raw}" is not a 1.x version`, positionOf(input.doc, path), 'pass --kube-version 1.32 to set it yourself', path.join('.'));
    }
    out.kubernetesVersion = `1.${minor}`;
  } else {
    notices.push({ level: 'info', message: 'spec.cluster.kubernetesVersion is not set: the input names no Kubernetes version; Argo CD\'s KUBE_VERSION (or --kube-version) will be used' });
  }
  if (facts.tier) out.tier = facts.tier;
  return Object.keys(out).length ? out : undefined;
}

function keyVaultAccess(input: AksInput, istio: Record<string, unknown> | undefined, facts: ClusterFacts, opts: ImportOptions, notices: Notice[]): Record<string, string> | undefined {
  const plugin = (istio?.certificateAuthority as { plugin?: unknown } | undefined)?.plugin;
  if (!plugin) {
    if (opts.tenantId || opts.identityClientId) notices.push({ level: 'warning', message: '--tenant-id and --identity-client-id are ignored: the profile has no plug-in CA' });
    return undefined;
  }
  const tenantId = opts.tenantId ?? facts.tenantId;
  const identityClientId = opts.identityClientId ?? facts.identityClientId;
  const missing: ErrorDetail[] = [];
  if (!tenantId) missing.push({ path: 'spec.keyVaultAccess.tenantId', message: 'the input holds no tenant id (identity.tenantId or aadProfile.tenantID)', hint: 'pass --tenant-id "$(az account show --query tenantId -o tsv)"' });
  if (!identityClientId) missing.push({ path: 'spec.keyVaultAccess.identityClientId', message: 'the input holds no azure-keyvault-secrets-provider identity', hint: 'pass --identity-client-id "$(az aks show -g <rg> -n <cluster> --query addonProfiles.azureKeyvaultSecretsProvider.identity.clientId -o tsv)"' });
  if (missing.length > 0) {
    const where = positionOf(input.doc, [...input.profilePath, 'istio', 'certificateAuthority', 'plugin']);
    throw new MeshplaneError('import-invalid', `${opts.source}: the plug-in CA needs spec.keyVaultAccess, and the input does not hold all of it`, missing.map((d) => ({ ...d, where })), 'the Secrets Store CSI driver reads the CA from Key Vault with that identity; nothing was written');
  }
  if (facts.keyVaultProviderEnabled === false) notices.push({ level: 'warning', message: 'the azure-keyvault-secrets-provider add-on is disabled on this cluster; the plug-in CA needs it (`az aks enable-addons --addons azure-keyvault-secrets-provider`)' });
  return { tenantId: tenantId as string, identityClientId: identityClientId as string };
}
