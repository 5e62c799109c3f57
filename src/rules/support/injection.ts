/** Injection labels: the namespace-level labels that decide which revision injects a pod. */
import type { LocatedObject } from '../../core/types.js';
import { labelsOf } from './objects.js';

/** The legacy injection label; the add-on ignores `enabled` (injection skips the namespace). */
export const INJECTION_LABEL = 'istio-injection';
/** The revision label: a revision name or a revision tag. */
export const REV_LABEL = 'istio.io/rev';

/** The Namespace objects among the objects. */
export function namespaces(objects: LocatedObject[]): LocatedObject[] {
  return objects.filter((o) => o.object.kind === 'Namespace' && o.object.apiVersion === 'v1');
}

/** The value of a label, when it is set. */
export function label(o: LocatedObject, key: string): string | undefined {
  const v = labelsOf(o.object)[key];
  return v === undefined || v === null ? undefined : String(v);
}
