/**
 * Where the rendered images come from (spec.images, docs/images.md): the default registry paths,
 * or the user's mirror in their place, plus the pull secrets every rendered pod carries.
 */
import type { ServiceMesh } from '../intent/types.js';

/** Container registry path of the add-on's Istio images. */
export const IMAGE_HUB = 'mcr.microsoft.com/oss/istio';

/** The images of one revision and how to pull them (RevisionInput.images). */
export interface RevisionImages {
  /** Registry path: values.global.hub of the injector; every Istio image is `<hub>/<name>:<tag>`. */
  hub: string;
  tag: string;
  pilot: string;
  proxy: string;
  /** Secret names for the pods' imagePullSecrets and the injector's values.global.imagePullSecrets. */
  pullSecrets: string[];
}

/** spec.images.registry, else the add-on's registry path. */
export function istioHub(intent: ServiceMesh): string {
  return intent.spec.images?.registry ?? IMAGE_HUB;
}

/** spec.images.imagePullSecrets, in the order written (empty when unset). */
export function pullSecrets(intent: ServiceMesh): string[] {
  return [...(intent.spec.images?.imagePullSecrets ?? [])];
}

/** The images of a revision running Istio `istio` (the add-on ships the distroless variant). */
export function revisionImages(intent: ServiceMesh, istio: string): RevisionImages {
  const hub = istioHub(intent);
  const tag = `${istio}-distroless`;
  return { hub, tag, pilot: `${hub}/pilot:${tag}`, proxy: `${hub}/proxyv2:${tag}`, pullSecrets: pullSecrets(intent) };
}
