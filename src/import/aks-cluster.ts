/**
 * The cluster facts `meshplane import --aks` reads besides the profile: name, resource group,
 * Kubernetes version, support plan (tier), and what the plug-in CA's Key Vault access needs.
 * Pure; absent facts are undefined (a bare serviceMeshProfile has none of them).
 */
import type { FieldPath } from '../pipeline/load.js';
import { isObject, type AksInput } from './aks-input.js';

/** A value read from the input, with where it was. */
export interface Located<T> {
  value: T;
  path: FieldPath;
}

/** What the cluster object tells about itself. */
export interface ClusterFacts {
  name?: Located<string>;
  resourceGroup?: string;
  kubernetesVersion?: Located<string>;
  tier?: 'Standard' | 'LTS';
  tenantId?: string;
  identityClientId?: string;
  /** False when the azure-keyvault-secrets-provider add-on is present but disabled. */
  keyVaultProviderEnabled?: boolean;
}

/**
 * The supportPlan values of the managed-cluster API and the tier they mean. Why: the support
 * policy's compatibility table has a standard column and an LTS column (docs/design.md, "Revisions and support").
 */
const TIER_OF_SUPPORT_PLAN: Record<string, 'Standard' | 'LTS'> = { KubernetesOfficial: 'Standard', AKSLongTermSupport: 'LTS' };

/** Reads the facts of a cluster-shaped input (none for a bare profile). */
export function clusterFacts(input: AksInput): ClusterFacts {
  const cluster = input.cluster;
  const base = input.propertiesPath;
  if (!cluster || !base) return {};
  const props = (base.length ? cluster.properties : cluster) as Record<string, unknown>;
  const facts: ClusterFacts = {};
  if (typeof cluster.name === 'string') facts.name = { value: cluster.name, path: ['name'] };
  const rg = typeof cluster.resourceGroup === 'string' ? cluster.resourceGroup : resourceGroupOf(cluster.id);
  if (rg) facts.resourceGroup = rg;
  for (const key of ['currentKubernetesVersion', 'kubernetesVersion']) {
    const v = props[key];
    if (typeof v === 'string' && !facts.kubernetesVersion) facts.kubernetesVersion = { value: v, path: [...base, key] };
  }
  const tier = typeof props.supportPlan === 'string' ? TIER_OF_SUPPORT_PLAN[props.supportPlan] : undefined;
  if (tier) facts.tier = tier;
  Object.assign(facts, keyVaultFacts(cluster, props));
  return facts;
}

function keyVaultFacts(cluster: Record<string, unknown>, props: Record<string, unknown>): Partial<ClusterFacts> {
  const out: Partial<ClusterFacts> = {};
  const tenant = isObject(cluster.identity) ? cluster.identity.tenantId : undefined;
  const tenantId = typeof tenant === 'string' ? tenant : aadTenantOf(props.aadProfile);
  if (typeof tenantId === 'string') out.tenantId = tenantId;
  const addons = isObject(props.addonProfiles) ? props.addonProfiles : {};
  const key = Object.keys(addons).find((k) => k.toLowerCase() === 'azurekeyvaultsecretsprovider');
  const addon = key ? addons[key] : undefined;
  if (isObject(addon)) {
    if (addon.enabled === false) out.keyVaultProviderEnabled = false;
    const clientId = isObject(addon.identity) ? addon.identity.clientId : undefined;
    if (typeof clientId === 'string') out.identityClientId = clientId;
  }
  return out;
}

/**
 * The AAD tenant of aadProfile. Why two spellings: the REST API (ManagedClusterAADProfile in
 * azure-rest-api-specs aks/stable/2025-10-01/managedClusters.json) spells it `tenantID`, which is
 * what `az rest` and `az resource show` print; the az CLI prints its SDK's `tenantId`.
 */
function aadTenantOf(aadProfile: unknown): unknown {
  if (!isObject(aadProfile)) return undefined;
  return typeof aadProfile.tenantId === 'string' ? aadProfile.tenantId : aadProfile.tenantID;
}

function resourceGroupOf(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  return /\/resourcegroups\/([^/]+)/i.exec(id)?.[1];
}

/**
 * The dashes that start or end a name. Why the lookbehind: a search for `-+$` starts again at
 * every dash of a run that does not end the name and scans the rest of the run each time, so a
 * cluster name of 80,000 dashes between two letters took `import` 6 s (quadratic in the run);
 * the lookbehind lets the second alternative start only where a run starts.
 */
export const EDGE_DASHES = /^-+|(?<!-)-+$/g;

/**
 * A mesh name from an AKS cluster name. AKS names allow upper case and underscores; the intent's
 * metadata.name is a DNS label. Returns undefined when nothing usable is left.
 */
export function meshNameFrom(clusterName: string): string | undefined {
  const name = clusterName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(EDGE_DASHES, '').slice(0, 63).replace(/-+$/, '');
  return name || undefined;
}
