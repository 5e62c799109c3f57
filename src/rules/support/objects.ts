/**
 * Small readers over Kubernetes objects shared by the rules: groups, labels, pod templates and
 * the mesh's installed revisions and tags. Pure functions of plain data.
 */
import { apiGroup } from '../../core/resource-key.js';
import type { KubeObject, LocatedObject } from '../../core/types.js';
import type { FieldPath } from '../../pipeline/load.js';
import type { RuleContext } from '../types.js';

/** `group/Kind` of an object (core group written `core`), the form forbidden kinds use. */
export function groupKind(obj: KubeObject): string {
  return `${apiGroup(obj.apiVersion) || 'core'}/${obj.kind}`;
}

/** True for objects committed in the source (not rendered by Meshplane). */
export function isSource(o: LocatedObject): boolean {
  return o.origin.kind === 'source';
}

/** The objects of `kind` in `group` ('' = core). */
export function ofKind(objects: LocatedObject[], group: string, kind: string): LocatedObject[] {
  return objects.filter((o) => o.object.kind === kind && apiGroup(o.object.apiVersion) === group);
}

/** Labels of an object (empty when it has none or they are not a map). */
export function labelsOf(obj: KubeObject): Record<string, unknown> {
  const labels = obj.metadata?.labels;
  return labels && typeof labels === 'object' && !Array.isArray(labels) ? labels : {};
}

/** Reads a nested field of plain data; undefined as soon as a step is missing. */
export function field(value: unknown, path: FieldPath): unknown {
  let cur = value;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/**
 * Where the pod template of each workload kind lives. Why these kinds: they are the built-in
 * objects that create pods (istio injects pods, so these are what a mesh rule must read).
 */
const POD_SPEC_PATHS: Readonly<Record<string, FieldPath>> = {
  'core/Pod': [],
  'apps/Deployment': ['spec', 'template'],
  'apps/StatefulSet': ['spec', 'template'],
  'apps/DaemonSet': ['spec', 'template'],
  'apps/ReplicaSet': ['spec', 'template'],
  'core/ReplicationController': ['spec', 'template'],
  'batch/Job': ['spec', 'template'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template'],
};

/** The path of a workload's pod template (the Pod itself for a Pod), or undefined for other kinds. */
export function podTemplatePath(obj: KubeObject): FieldPath | undefined {
  return POD_SPEC_PATHS[groupKind(obj)];
}

/** The installed (catalog-known, rendered) revisions of the mesh. */
export function installedRevisions(ctx: RuleContext): string[] {
  return ctx.render.input.revisions.map((r) => r.name);
}

/** Revision tags that point at an installed revision. */
export function installedTags(ctx: RuleContext): string[] {
  return ctx.render.input.tags.map((t) => t.name);
}

/** The namespace of a namespaced object, or undefined when it names none. */
export function namespaceOf(obj: KubeObject): string | undefined {
  const ns = obj.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : undefined;
}
