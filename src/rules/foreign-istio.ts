/** foreign-istio: Istio installed by something other than Meshplane (IstioOperator, Sail, a self-managed istiod). */
import { apiGroup } from '../core/resource-key.js';
import type { LocatedObject } from '../core/types.js';
import { field, isSource, labelsOf } from './support/objects.js';
import { objectViolation } from './support/violation.js';
import type { Rule, Violation } from './types.js';

/**
 * Installers of a second Istio: the istioctl operator API and the Sail operator (its Istio,
 * IstioRevision, IstioRevisionTag, IstioCNI and ZTunnel kinds are all in sailoperator.io).
 */
const INSTALLER_GROUPS = ['install.istio.io', 'sailoperator.io'];

/** Why a source object looks like part of a self-managed Istio install, or undefined. */
function foreignReason(o: LocatedObject): string | undefined {
  const group = apiGroup(o.object.apiVersion);
  if (INSTALLER_GROUPS.includes(group)) return `${group}/${o.object.kind} installs its own Istio control plane`;
  const crdGroup = field(o.object, ['spec', 'group']);
  if (o.object.kind === 'CustomResourceDefinition' && typeof crdGroup === 'string' && crdGroup.endsWith('.istio.io')) {
    return `a CustomResourceDefinition of ${crdGroup}: the Istio CRDs are installed by the mesh, not by the source`;
  }
  const labels = labelsOf(o.object);
  if (o.object.kind === 'Deployment' && (labels.app === 'istiod' || labels.istio === 'pilot')) return 'an istiod Deployment: a self-managed control plane beside the add-on\'s';
  const name = o.object.metadata?.name ?? '';
  if (o.object.kind === 'MutatingWebhookConfiguration' && name.startsWith('istio-sidecar-injector')) return 'an Istio sidecar-injector webhook outside the mesh\'s own';
  return undefined;
}

/** The foreign-istio rule. */
export const foreignIstioRule: Rule = {
  id: 'foreign-istio',
  severity: 'error',
  description: 'the source installs no Istio of its own (IstioOperator, Sail operator kinds, Istio CRDs, istiod Deployments, sidecar-injector webhooks): the add-on is incompatible with a self-managed Istio',
  check(ctx) {
    const out: Violation[] = [];
    for (const o of ctx.objects.filter(isSource)) {
      const reason = foreignReason(o);
      if (reason) out.push(objectViolation(this, ctx, o, { message: reason, remediation: 'remove the self-managed Istio from the source (and the cluster: delete its *.istio.io CRDs, ClusterRoles and webhooks) and let the mesh intent install Istio' }));
    }
    return out;
  },
};
