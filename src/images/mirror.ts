/**
 * Where each image of a mirrored mesh is copied from: the image the same mesh names without
 * spec.images.registry. The override keeps every image's last path component and tag
 * (`<registry>/<name>:<tag>`), so the two lists pair on that `name:tag`.
 */
import type { MeshImage } from './list.js';

/** The last path component with its tag or digest: `a.io/x/pilot:1.2` → `pilot:1.2`. */
export function nameAndTag(image: string): string {
  return image.slice(image.lastIndexOf('/', image.includes('@') ? image.indexOf('@') : image.length) + 1);
}

/** The images with `copyFrom` set where the default-registry render names another image. */
export function withCopySources(images: readonly MeshImage[], defaults: readonly MeshImage[]): MeshImage[] {
  const byName = new Map(defaults.map((d) => [nameAndTag(d.image), d.image]));
  return images.map((i) => {
    const from = byName.get(nameAndTag(i.image));
    return from === undefined || from === i.image ? i : { ...i, copyFrom: from };
  });
}
