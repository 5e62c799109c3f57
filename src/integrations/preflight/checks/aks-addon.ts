/**
 * Recognising the AKS Istio add-on's own objects. The add-on installs upstream Istio's Helm charts
 * through a Flux HelmRelease that AKS owns, with the same object names Meshplane renders
 * (`istiod-asm-1-NN` in aks-istio-system), so a name says nothing about the owner: the labels do.
 *
 * Sources of the markers (read 2026-12-02; none of them is an AKS API contract, see each entry):
 * - istio/istio 1.28.0 manifests/charts/istio-control/istio-discovery/templates/deployment.yaml and
 *   mutatingwebhook.yaml: the istiod Deployment and the injector webhook carry `release:
 *   <Helm release name>`; the add-on's istiod release is `azure-service-mesh-istio-discovery`
 *   (Azure/AKS issue 4444, `helm ls -A` on an add-on cluster).
 * - `kubectl get all -n aks-istio-system --show-labels` on an asm-1-17 cluster, published in the
 *   public repository VijayRod/demo (container-storage/logs/k8s-servicemesh-istio.md): the istiod
 *   Deployment carries `kubernetes.azure.com/managedby=aks`, `app.kubernetes.io/managed-by=Helm`
 *   and `helm.toolkit.fluxcd.io/name=azure-service-mesh-istio-discovery-helmrelease`.
 * Not a marker: `azureservicemesh/istio.component`, which the add-on's egress gateways carry
 * (egress troubleshooting guide) but Meshplane renders too, so it names a component, not an owner.
 * The add-on sets no ownerReferences on these objects (Helm does not); the Flux and Helm release
 * labels above are its owner records.
 */
import type { LiveObject } from '../snapshot.js';

/** One label that marks an object as the add-on's. `prefix` matches the value's start; neither = any value. */
export interface AddonMarker {
  label: string;
  value?: string;
  prefix?: string;
}

/**
 * The add-on's markers. Why these: each is written by the add-on's install path (AKS's own
 * label, the Flux HelmRelease AKS owns, the add-on's Helm release names, the add-on's component
 * label) and by nothing a user or Meshplane installs; see the module comment for where each was read.
 */
export const AKS_ADDON_MARKERS: readonly AddonMarker[] = [
  { label: 'kubernetes.azure.com/managedby', value: 'aks' },
  { label: 'helm.toolkit.fluxcd.io/name', prefix: 'azure-service-mesh-' },
  { label: 'release', prefix: 'azure-service-mesh-' },
];

/** The marker labels an object carries, as `label=value` (empty when it is not the add-on's). */
export function addonMarkers(o: Pick<LiveObject, 'labels'>): string[] {
  return AKS_ADDON_MARKERS.filter((m) => {
    const v = o.labels[m.label];
    if (v === undefined) return false;
    if (m.value !== undefined) return v === m.value;
    return m.prefix === undefined || v.startsWith(m.prefix);
  }).map((m) => `${m.label}=${o.labels[m.label] ?? ''}`);
}

/** True when the object was installed by the managed AKS Istio add-on. */
export function isAksAddonObject(o: Pick<LiveObject, 'labels'>): boolean {
  return addonMarkers(o).length > 0;
}

/** The runbook every add-on finding links to. */
export const MIGRATION_DOC = 'docs/migrate-from-aks-addon.md';
