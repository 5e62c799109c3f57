/**
 * Intent check of spec.tags that JSON Schema cannot express: every revision tag points at a
 * revision that spec.istio.revisions installs. Why an error: `istioctl tag set` refuses a tag for a
 * revision that has no injector (istio/istio istioctl/pkg/tag/generate.go: "cannot
 * find MutatingWebhookConfiguration with revision" in Generate at 1.20.8, "… or Service with
 * revision" in checkControlPlaneExistenceOrDuplicate at 1.30.2), and Meshplane cannot render the tag's webhook without
 * the revision's istiod: the tag would silently vanish and the namespaces labelled
 * istio.io/rev=<tag> would get no sidecar at all.
 */
import { shownValue, type ErrorDetail } from '../core/errors.js';
import type { ServiceMesh } from '../intent/types.js';
import type { IntentFindings, Locate } from './intent-check-types.js';

/** The check of spec.tags (a Disabled mesh renders no tag, so it is not checked). */
export function checkTags(intent: ServiceMesh, at: Locate): IntentFindings {
  if (intent.spec.mode !== 'Istio') return { errors: [], warnings: [] };
  const installed = intent.spec.istio?.revisions ?? [];
  const errors: ErrorDetail[] = Object.entries(intent.spec.tags ?? {})
    .filter(([, revision]) => !installed.includes(revision))
    .map(([tag, revision]) => ({
      where: at(['spec', 'tags', tag]),
      path: `spec.tags.${tag}`,
      message: `the tag "${tag}" points at ${shownValue(revision)}, which spec.istio.revisions (${installed.join(', ') || 'none'}) does not install: no injection webhook could be rendered for it, so namespaces labelled istio.io/rev=${tag} would get no sidecar`,
      hint: installed.length ? `point it at an installed revision (${installed.join(' or ')}), or remove the tag` : 'install a revision in spec.istio.revisions first',
      causes: ['spec.istio.revisions'],
    }));
  return { errors, warnings: [] };
}
