/**
 * Equality of plain data (JSON-shaped values: what a parse or the render makes), as the API server
 * and a YAML reader see it: map key order does not matter, list order does, and a key whose value
 * is undefined counts as absent (JSON has no undefined).
 */

/** True when `a` and `b` are the same data. */
export function sameData(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortedKeys(a)) === JSON.stringify(sortedKeys(b));
}

/** A copy of `v` with every map's keys in sorted order. */
function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys((v as Record<string, unknown>)[k])]));
  return v;
}
