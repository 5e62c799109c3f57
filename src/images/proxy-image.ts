/**
 * The proxy image istiod puts into injected pods (sidecars, gateways with `image: auto`, the
 * init container), composed from the injector ConfigMap's values the way istiod does it:
 * pkg/kube/inject/inject.go `ProxyImage`, `imageURL` and `updateImageTypeIfPresent`, read at
 * 1.21.0 and 1.30.3. The image is `hub/image:tag`, `image` defaulting to `proxyv2`; an image
 * type (the mesh's defaultConfig.image.imageType, else — from 1.22 — values.global.variant)
 * replaces a known `-distroless`/`-debug` suffix of the tag or is appended, and the type
 * `default` means the bare tag.
 */

/** The injector values istiod reads for the image (the `values` JSON of istio-sidecar-injector-<rev>). */
export interface InjectorImageValues {
  global?: { hub?: unknown; tag?: unknown; variant?: unknown; proxy?: { image?: unknown } };
}

/** What else decides the image type. */
export interface ImageTypeInputs {
  /** Whether this minor's istiod reads values.global.variant (catalog/injection-contract.yaml `imageVariant`). */
  variantAware: boolean;
  /** meshConfig.defaultConfig.image, when the mesh sets it (istiod's proxyConfig.Image). */
  meshImage?: { imageType?: unknown } | undefined;
}

/** inject.go KnownImageTypes: suffixes a type replaces. */
const KNOWN_TYPES = ['distroless', 'debug'];

function text(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

function tagWithType(tag: string, type: string): string {
  if (type === '') return tag;
  const known = KNOWN_TYPES.find((t) => tag.endsWith(`-${t}`));
  const bare = known ? tag.slice(0, -(known.length + 1)) : tag;
  return type === 'default' ? bare : `${bare}-${type}`;
}

/** The proxy image istiod composes for a pod without image annotations. */
export function injectedProxyImage(values: InjectorImageValues, inputs: ImageTypeInputs): string {
  const g = values.global ?? {};
  const name = text(g.proxy?.image) || 'proxyv2';
  // A set proxyConfig.Image wins over the variant even when its type is empty (inject.go).
  const type = inputs.meshImage ? text(inputs.meshImage.imageType) : inputs.variantAware ? text(g.variant) : '';
  return `${text(g.hub)}/${name}:${tagWithType(text(g.tag), type)}`;
}
