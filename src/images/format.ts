/** The two outputs of `meshplane images`: one image per line, or JSON for tooling. */
import type { MeshImage } from './list.js';

/** Output formats of `meshplane images`. */
export const IMAGE_FORMATS = ['text', 'json'] as const;

/** One of {@link IMAGE_FORMATS}. */
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** Text: every image once, sorted, one per line (what `xargs crane copy` and friends read). */
export function formatImagesText(images: readonly MeshImage[]): string {
  return [...new Set(images.map((i) => i.image))].sort().map((i) => `${i}\n`).join('');
}

/** JSON: `{"images": [{image, purpose, sources, copyFrom?}]}`, sorted by image, two-space indented. */
export function formatImagesJson(images: readonly MeshImage[]): string {
  return `${JSON.stringify({ images }, null, 2)}\n`;
}

/** The formatter of a format. */
export function formatImages(images: readonly MeshImage[], format: ImageFormat): string {
  return format === 'json' ? formatImagesJson(images) : formatImagesText(images);
}
