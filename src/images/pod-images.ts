/**
 * The container images written in a workload's pod spec, with the field path of each, for any
 * built-in kind that creates pods (the kinds of rules/support/objects.ts podTemplatePath).
 */
import type { KubeObject } from '../core/types.js';
import type { FieldPath } from '../pipeline/load.js';
import { field, podTemplatePath } from '../rules/support/objects.js';

/** One `image:` of a pod spec. */
export interface PodImage {
  image: string;
  container: string;
  /** Path of the `image` field inside the object. */
  path: FieldPath;
}

/** Why these lists: the PodSpec fields that hold containers with an image (core/v1 PodSpec). */
const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** The path of an object's PodSpec, or undefined when the kind creates no pods. */
export function podSpecPath(obj: KubeObject): FieldPath | undefined {
  const template = podTemplatePath(obj);
  return template === undefined ? undefined : [...template, 'spec'];
}

/** Every container image of a pod-creating object (none for other kinds or missing fields). */
export function podImages(obj: KubeObject): PodImage[] {
  const specPath = podSpecPath(obj);
  if (!specPath) return [];
  const out: PodImage[] = [];
  for (const list of CONTAINER_LISTS) {
    const containers = field(obj, [...specPath, list]);
    if (!Array.isArray(containers)) continue;
    containers.forEach((c: unknown, i) => {
      const image = field(c, ['image']);
      if (typeof image === 'string') out.push({ image, container: String(field(c, ['name']) ?? ''), path: [...specPath, list, i, 'image'] });
    });
  }
  return out;
}
