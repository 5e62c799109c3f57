/**
 * Every image a mesh needs (`meshplane images`): read from the rendered objects, never from a
 * list kept by hand. Two kinds of images exist:
 * - written in a rendered pod spec (istiod, the CNI agent, the preflight Job);
 * - composed by istiod at injection time from the injector ConfigMap's values (the proxy of
 *   sidecars and gateways and the init container), see proxy-image.ts. Gateways say
 *   `image: auto`, which istiod replaces with that proxy image.
 */
import { resourceKey } from '../core/resource-key.js';
import type { LocatedObject } from '../core/types.js';
import type { RenderInput } from '../pipeline/resolve.js';
import type { ServiceMesh } from '../intent/types.js';
import { field } from '../rules/support/objects.js';
import { podImages } from './pod-images.js';
import { injectedProxyImage, type InjectorImageValues } from './proxy-image.js';

/** One image of the mesh. */
export interface MeshImage {
  image: string;
  /** What runs it, e.g. "istiod (control plane)". */
  purpose: string;
  /** group/Kind/namespace/name of every rendered object that uses it, sorted. */
  sources: string[];
  /** With spec.images.registry: the image of the default registry to copy into the mirror (mirror.ts). */
  copyFrom?: string;
}

/** What the list is read from (a RenderResult). */
export interface ImageSource {
  intent: ServiceMesh;
  input: Pick<RenderInput, 'revisions'>;
  objects: LocatedObject[];
}

/** The image istiod writes where a gateway says this. */
const INJECTED_PLACEHOLDER = 'auto';
const INJECTOR_PREFIX = 'istio-sidecar-injector-';
const INJECTED_PURPOSE = 'istio-proxy and istio-init of injected pods and gateways (composed by istiod from the injector values)';

/**
 * Purposes of the containers Meshplane renders, by container name. Why a table: a name says
 * which program runs, not what it is for; unknown names fall back to the container name.
 */
const PURPOSES: Readonly<Record<string, string>> = {
  discovery: 'istiod (control plane)',
  'install-cni': 'Istio CNI node agent',
  preflight: 'Meshplane preflight hook (Argo CD PreSync Job)',
};

function add(found: Map<string, { purposes: Set<string>; sources: Set<string> }>, image: string, purpose: string, source: string): void {
  const entry = found.get(image) ?? { purposes: new Set(), sources: new Set() };
  entry.purposes.add(purpose);
  entry.sources.add(source);
  found.set(image, entry);
}

function meshImageSetting(intent: ServiceMesh): { imageType?: unknown } | undefined {
  const image = field(intent.spec.meshConfig, ['defaultConfig', 'image']);
  return image !== null && typeof image === 'object' ? (image as { imageType?: unknown }) : undefined;
}

/** The revision and proxy image of an injector ConfigMap, or undefined when it is not one. */
function injectorImage(o: LocatedObject, src: ImageSource): { rev: string; image: string } | undefined {
  const name = o.object.metadata?.name ?? '';
  if (o.object.kind !== 'ConfigMap' || !name.startsWith(INJECTOR_PREFIX)) return undefined;
  const raw = field(o.object, ['data', 'values']);
  if (typeof raw !== 'string') return undefined;
  const rev = name.slice(INJECTOR_PREFIX.length);
  const variantAware = src.input.revisions.find((r) => r.name === rev)?.injection.imageVariant ?? true;
  return { rev, image: injectedProxyImage(JSON.parse(raw) as InjectorImageValues, { variantAware, meshImage: meshImageSetting(src.intent) }) };
}

/** Every image of the mesh's rendered objects, sorted by image. */
export function meshImages(src: ImageSource): MeshImage[] {
  const found = new Map<string, { purposes: Set<string>; sources: Set<string> }>();
  const rendered = src.objects.filter((o) => o.origin.kind === 'rendered');
  const injectedByRev = new Map<string, string>();
  const placeholders: Array<{ key: string; rev: unknown }> = [];
  for (const o of rendered) {
    const key = resourceKey(o.object);
    const injected = injectorImage(o, src);
    if (injected !== undefined) {
      injectedByRev.set(injected.rev, injected.image);
      add(found, injected.image, INJECTED_PURPOSE, key);
    }
    for (const p of podImages(o.object)) {
      if (p.image === INJECTED_PLACEHOLDER) placeholders.push({ key, rev: o.object.metadata?.labels?.['istio.io/rev'] });
      else add(found, p.image, PURPOSES[p.container] ?? `container ${p.container}`, key);
    }
  }
  // A gateway's `auto` becomes the proxy image of the revision that injects it (its istio.io/rev).
  for (const { key, rev } of placeholders) {
    const image = typeof rev === 'string' ? injectedByRev.get(rev) : undefined;
    if (image === undefined) throw new Error(`${key} asks istiod for its image (image: auto) but no injector of revision ${String(rev)} is rendered`);
    add(found, image, INJECTED_PURPOSE, key);
  }
  return [...found.entries()]
    .map(([image, e]) => ({ image, purpose: [...e.purposes].sort().join('; '), sources: [...e.sources].sort() }))
    .sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
}
