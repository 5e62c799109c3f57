/**
 * The meaning of `spec.mode: Disabled` (see docs/intent-reference.md, "Disabled mode"). A
 * Disabled mesh renders no mesh object, so the output holds only the user's own manifests. For a
 * GitOps tool that prunes (Argo CD `syncPolicy.automated.prune: true`, Flux `spec.prune: true`),
 * an output without the mesh means "delete the mesh": the control plane, the gateways, the
 * webhooks and the Istio CRDs (and with them every Istio resource in the cluster). That must
 * never happen by a one-word edit or a typo, so Disabled is refused unless the intent also says
 * `spec.disabled.acknowledgePrune: true`; with it, the render goes on and a warning is printed.
 */
import type { ErrorDetail } from '../core/errors.js';
import type { Notice } from '../core/types.js';
import type { ServiceMesh } from '../intent/types.js';
import type { IntentFindings, Locate } from './intent-check-types.js';

/** The field that acknowledges a Disabled mesh. */
export const ACKNOWLEDGE_FIELD = 'spec.disabled.acknowledgePrune';

/** Disabled needs an explicit acknowledgement; an acknowledgement without Disabled does nothing. */
export function checkDisabledMode(intent: ServiceMesh, at: Locate): IntentFindings {
  const errors: ErrorDetail[] = [];
  const warnings: Notice[] = [];
  const acknowledged = intent.spec.disabled?.acknowledgePrune === true;
  if (intent.spec.mode === 'Disabled' && !acknowledged) {
    errors.push({
      where: at(['spec', 'mode']),
      path: 'spec.mode',
      message: 'spec.mode is Disabled: the output would hold no mesh object, and Argo CD or Flux with pruning on would delete the installed mesh (control plane, gateways, webhooks and the Istio CRDs with every Istio resource)',
      hint: `to remove the mesh on purpose, also set ${ACKNOWLEDGE_FIELD}: true; to keep it, set spec.mode: Istio`,
    });
  } else if (intent.spec.mode === 'Disabled') {
    warnings.push({ level: 'warning', where: at(['spec', 'mode']), message: `spec.mode is Disabled (${ACKNOWLEDGE_FIELD}: true): no mesh object is rendered, only the source's own manifests; a GitOps tool that prunes deletes the installed mesh and the Istio CRDs` });
  } else if (intent.spec.disabled !== undefined) {
    warnings.push({ level: 'warning', where: at(['spec', 'disabled']), message: 'spec.disabled has no effect while spec.mode is Istio' });
  }
  return { errors, warnings };
}
