/**
 * preflight-foreign-istio: an Istio control plane this mesh does not manage (installed by
 * istioctl, Helm, the operator, or another Meshplane mesh). The managed AKS add-on's objects are
 * reported by preflight-aks-addon-present instead, with the migration steps. Two control
 * planes fight over webhooks, CRDs and injection. "Managed" means the labels `decorate` writes:
 * app.kubernetes.io/managed-by=meshplane and meshplane.io/mesh=<this mesh>. A managed istiod of a
 * revision the intent dropped is not foreign: the sync prunes it (a newer one is a downgrade,
 * reported by preflight-revision-downgrade).
 */
import { MANAGED_BY, MESH_LABEL } from '../../../pipeline/decorate.js';
import type { LiveObject, LiveWebhookConfiguration } from '../snapshot.js';
import { isAksAddonObject } from './aks-addon.js';
import { isManagedByMesh, keyOf, REV_LABEL, violation, type PreflightRule } from './context.js';

/** Webhook names of Istio's sidecar injector end with this (rev.namespace.…, object.…, …). */
const INJECTOR_WEBHOOK_SUFFIX = 'sidecar-injector.istio.io';

/** True for a MutatingWebhookConfiguration that injects Istio sidecars. */
export function isIstioInjector(w: LiveWebhookConfiguration): boolean {
  return w.name.startsWith('istio-sidecar-injector') || w.name.startsWith('istio-revision-tag-') || w.webhookNames.some((n) => n.endsWith(INJECTOR_WEBHOOK_SUFFIX));
}

function owner(o: LiveObject): string {
  const mesh = o.labels[MESH_LABEL];
  if (o.labels['app.kubernetes.io/managed-by'] === MANAGED_BY && mesh) return `Meshplane mesh "${mesh}"`;
  return 'something else (istioctl, Helm or the Istio operator)';
}

function rev(o: LiveObject): string {
  return o.labels[REV_LABEL] ? ` (istio.io/rev=${o.labels[REV_LABEL]})` : ' (no istio.io/rev: the default revision)';
}

const REMOVE = 'uninstall the other control plane first (`istioctl uninstall --purge` or `helm uninstall`), including its *.istio.io CRDs, ClusterRoles and webhooks';

/** The preflight-foreign-istio rule. */
export const foreignIstioRule: PreflightRule = {
  id: 'preflight-foreign-istio',
  severity: 'error',
  description: 'no Istio control plane runs that this mesh does not manage: istiod Deployments, sidecar-injector webhooks, IstioOperator objects',
  check(ctx) {
    const mesh = ctx.intent.metadata.name;
    const foreign = (o: LiveObject): boolean => !isManagedByMesh(o, mesh) && !isAksAddonObject(o);
    const istiods = ctx.cluster.deployments.filter((d) => d.labels.app === 'istiod' && foreign(d));
    const injectors = ctx.cluster.webhooks.filter((w) => isIstioInjector(w) && foreign(w));
    return [
      ...istiods.map((d) => violation(this, keyOf(d), `istiod ${d.namespace ?? ''}/${d.name}${rev(d)} is managed by ${owner(d)}, not by mesh "${mesh}"`, REMOVE)),
      ...injectors.map((w) => violation(this, keyOf(w), `the sidecar injector ${w.name}${rev(w)} is managed by ${owner(w)}, not by mesh "${mesh}"`, REMOVE)),
      ...ctx.cluster.istioOperators.map((o) => violation(this, keyOf(o), `IstioOperator ${o.namespace ?? ''}/${o.name} installs Istio outside this mesh (the add-on blocks IstioOperator)`, `uninstall that installation (\`istioctl uninstall --purge\`) and delete the IstioOperator; express the settings in mesh.yaml instead`)),
    ];
  },
};
