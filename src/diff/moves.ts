/**
 * Moves between revisions: during a canary upgrade most of a diff is one revision's objects
 * removed and the next one's added (`istiod-asm-1-27` → `istiod-asm-1-28`), plus objects whose
 * `istio.io/rev` label moved (the default validator, namespaces, tags). This module finds both
 * so the preview can summarise them in one place instead of burying them in hundreds of lines.
 */
import type { KubeObject } from '../core/types.js';
import { resourceRef } from '../core/resource-key.js';

/** The label that binds an object to an Istio revision (or a tag). */
export const REV_LABEL = 'istio.io/rev';

/** A removed object paired with the added object that replaces it in another revision. */
export interface RenamedPair {
  from: string;
  to: string;
}

/** Everything that moved from one revision to another. */
export interface RevisionMove {
  from: string;
  to: string;
  /** Objects whose name differs only by the revision (removed key → added key). */
  renamed: RenamedPair[];
  /** Objects kept under the same key whose `istio.io/rev` label changed. */
  relabelled: string[];
}

/** The revision label of an object, if any. */
export function revisionOf(obj: KubeObject | undefined): string | undefined {
  const v = obj?.metadata?.labels?.[REV_LABEL];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The identity of an object with its revision written as `{rev}` in the name. */
function revisionFreeKey(obj: KubeObject, rev: string): string | undefined {
  const ref = resourceRef(obj);
  if (!ref.name.includes(rev)) return undefined;
  return `${ref.group}/${ref.kind}/${ref.namespace}/${ref.name.split(rev).join('{rev}')}`;
}

/** Input of {@link findMoves}: keyed objects on each side. */
export interface MoveInput {
  removed: ReadonlyMap<string, KubeObject>;
  added: ReadonlyMap<string, KubeObject>;
  /** Paired objects present on both sides (base, head). */
  kept: ReadonlyMap<string, [KubeObject, KubeObject]>;
}

/** Finds renamed pairs and relabelled objects, grouped by (from, to) revision, sorted. */
export function findMoves(input: MoveInput): RevisionMove[] {
  const groups = new Map<string, RevisionMove>();
  const group = (from: string, to: string): RevisionMove => {
    const id = `${from}\u0000${to}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { from, to, renamed: [], relabelled: [] }));
    return g;
  };
  // Added objects by revision-free key, then by revision (first seen first): a removed object
  // pairs with the first added one of its shape under another revision. Indexed by shape, so a
  // diff of thousands of removed and added objects does not compare every pair.
  const addedByShape = new Map<string, Map<string, string>>();
  for (const [key, obj] of input.added) {
    const rev = revisionOf(obj);
    const shape = rev && revisionFreeKey(obj, rev);
    if (!shape) continue;
    const byRev = addedByShape.get(shape) ?? new Map<string, string>();
    addedByShape.set(shape, byRev.set(rev, key));
  }
  for (const [key, obj] of input.removed) {
    const rev = revisionOf(obj);
    const shape = rev && revisionFreeKey(obj, rev);
    if (!rev || !shape) continue;
    const byRev = addedByShape.get(shape);
    // At most two entries are looked at: only one can carry the removed object's own revision.
    const match = byRev && firstOtherRevision(byRev, rev);
    if (!byRev || !match) continue;
    byRev.delete(match[0]);
    group(rev, match[0]).renamed.push({ from: key, to: match[1] });
  }
  for (const [key, [b, h]] of input.kept) {
    const from = revisionOf(b);
    const to = revisionOf(h);
    if (from && to && from !== to) group(from, to).relabelled.push(key);
  }
  return [...groups.values()].sort((x, y) => cmp(x.from, y.from) || cmp(x.to, y.to));
}

/** The first [revision, key] entry whose revision is not `rev`. */
function firstOtherRevision(byRev: Map<string, string>, rev: string): [string, string] | undefined {
  for (const entry of byRev) if (entry[0] !== rev) return entry;
  return undefined;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
