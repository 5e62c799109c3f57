/**
 * PATCH bodies as the API server applies them to an object, for the two content types a
 * `kubectl rollout restart`-style client sends (the names are @kubernetes/client-node 1.4.0's
 * PatchStrategy values, dist/patch.d.ts):
 * - application/merge-patch+json: JSON Merge Patch (RFC 7386): objects merge key by key, `null`
 *   deletes a key, anything else (arrays included) replaces.
 * - application/strategic-merge-patch+json: for objects without lists or `$` directives it merges
 *   like RFC 7386; lists merge by their patchMergeKey and directives ($patch, $retainKeys,
 *   $setElementOrder) change that. The fake implements the object part only and refuses a patch
 *   with a list or a directive (400), so a client that relies on them fails loudly here.
 * JSON Patch and apply patches are not served (415, as the real server answers unknown types).
 * A patch may not change apiVersion, kind, name or namespace (the real server answers 400/409).
 */
import type { KubeObj } from './cluster.js';

/** The PATCH content types the fake accepts. */
export const PATCH_TYPES = ['application/merge-patch+json', 'application/strategic-merge-patch+json'] as const;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386 MergePatch(target, patch). */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function refuseStrategicExtras(patch: Json, at: string): void {
  if (Array.isArray(patch)) throw new Error(`the fake API server does not merge lists in strategic merge patches (list at ${at || '/'})`);
  if (!isObject(patch)) return;
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) throw new Error(`the fake API server does not implement the strategic merge directive ${k} (at ${at || '/'})`);
    refuseStrategicExtras(v, `${at}/${k}`);
  }
}

/** The object after the patch; throws (→ 400) on a patch the fake cannot apply or that renames the object. */
export function applyPatch(obj: KubeObj, patch: unknown, contentType: (typeof PATCH_TYPES)[number]): KubeObj {
  if (!isObject(patch)) throw new Error('the patch must be a JSON object');
  if (contentType === 'application/strategic-merge-patch+json') refuseStrategicExtras(patch, '');
  const next = mergePatch(obj as unknown as Json, patch) as unknown as KubeObj;
  for (const [field, a, b] of [['apiVersion', obj.apiVersion, next.apiVersion], ['kind', obj.kind, next.kind], ['metadata.name', obj.metadata.name, next.metadata?.name], ['metadata.namespace', obj.metadata.namespace, next.metadata?.namespace]] as const) {
    if (a !== b) throw new Error(`the patch may not change ${field} (from "${String(a)}" to "${String(b)}")`);
  }
  return next;
}
