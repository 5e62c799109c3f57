/** "Did you mean" support: the closest known name within a small edit distance. */

/** Levenshtein distance between two strings (case-insensitive). */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[y.length] ?? 0;
}

/**
 * The closest candidate to `name`, if it is close enough to be a likely typo. A candidate whose
 * length differs from the name's by more than the edits allowed can never be close enough (each
 * missing or extra character is an edit), so its distance is not computed: a key of a megabyte
 * (an unknown field written as an explicit `? key`) against the field names of its level cost
 * a megabyte times their total length in distance steps.
 */
export function suggest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const allowed = Math.max(2, Math.floor(name.length / 3));
  const length = name.toLowerCase().length;
  for (const c of candidates) {
    if (Math.abs(c.toLowerCase().length - length) > allowed) continue;
    const d = editDistance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= allowed ? best : undefined;
}
