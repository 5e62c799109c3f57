/**
 * A line diff (Myers' O(ND) greedy algorithm, "An O(ND) Difference Algorithm and Its
 * Variations", 1986) and unified-diff hunks. Written here instead of pulling in a dependency:
 * it is ~120 lines and the diff of one Kubernetes object is small.
 */

/** One line of an edit script: kept, removed from `a`, or inserted from `b`. */
export interface Edit {
  op: 'equal' | 'delete' | 'insert';
  line: string;
}

/**
 * Past this many differences the exact search is abandoned and the changed middle is reported
 * as one block removed + one block added. Why: the search keeps one vector per step (O(D²)
 * memory, 16 MB at this limit), and a diff that large is not read line by line anyway.
 */
export const MAX_EDIT_DISTANCE = 2000;

/** The shortest edit script turning `a` into `b` (common prefix/suffix trimmed first). */
export function diffLines(a: readonly string[], b: readonly string[]): Edit[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head = a.slice(0, start).map((line): Edit => ({ op: 'equal', line }));
  const tail = a.slice(endA).map((line): Edit => ({ op: 'equal', line }));
  return [...head, ...middle(a.slice(start, endA), b.slice(start, endB)), ...tail];
}

function middle(a: readonly string[], b: readonly string[]): Edit[] {
  if (a.length === 0) return b.map((line) => ({ op: 'insert', line }));
  if (b.length === 0) return a.map((line) => ({ op: 'delete', line }));
  const trace = forwardTrace(a, b);
  if (!trace) return [...a.map((line): Edit => ({ op: 'delete', line })), ...b.map((line): Edit => ({ op: 'insert', line }))];
  return backtrack(a, b, trace);
}

/** The V vector (furthest x per diagonal k) as it was at the start of each step d, diagonals -d-1..d+1 only. */
type Trace = Int32Array[];

/** Runs the greedy forward search; undefined when the edit distance passes the limit. */
function forwardTrace(a: readonly string[], b: readonly string[]): Trace | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const steps: Trace = [];
  for (let d = 0; d <= max; d++) {
    steps.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = movesDown(v, offset, k, d) ? at(v, offset + k + 1) : at(v, offset + k - 1) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return steps;
    }
  }
  return undefined;
}

function at(v: Int32Array, i: number): number {
  return v[i] as number;
}

/** Whether diagonal k is best reached from k+1 (an insertion) rather than k-1 (a deletion). */
function movesDown(v: Int32Array, offset: number, k: number, d: number): boolean {
  return k === -d || (k !== d && at(v, offset + k - 1) < at(v, offset + k + 1));
}

/** Walks the trace back from the end to build the edit script. */
function backtrack(a: readonly string[], b: readonly string[], trace: Trace): Edit[] {
  const out: Edit[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d] as Int32Array;
    const k = x - y;
    const down = movesDown(v, d + 1, k, d);
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(v, d + 1 + prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      out.push({ op: 'equal', line: a[x] as string });
    }
    if (d === 0) break;
    if (down) out.push({ op: 'insert', line: b[--y] as string });
    else out.push({ op: 'delete', line: a[--x] as string });
  }
  return out.reverse();
}

/** A unified-diff hunk: 1-based start lines and lengths on each side, and its lines. */
export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Lines prefixed with ' ', '-' or '+'. */
  lines: string[];
}

/**
 * Groups an edit script into hunks with `context` unchanged lines around each change. One pass:
 * the line numbers where each hunk starts are carried from the hunk before, not counted again
 * from the top (that was O(hunks x lines), up to MAX_EDIT_DISTANCE / 2 passes over a large
 * object's lines).
 */
export function toHunks(edits: readonly Edit[], context = 3): Hunk[] {
  const changed = edits.map((e, i) => (e.op === 'equal' ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return [];
  const ranges: Array<[number, number]> = [];
  for (const i of changed) {
    const lo = Math.max(0, i - context);
    const hi = Math.min(edits.length - 1, i + context);
    const last = ranges[ranges.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else ranges.push([lo, hi]);
  }
  const at = { index: 0, oldLine: 1, newLine: 1 };
  return ranges.map(([lo, hi]) => hunkOf(edits, lo, hi, at));
}

/** The hunk of edits lo..hi; `at` is where the previous hunk ended (edit index, line numbers), moved to hi + 1. */
function hunkOf(edits: readonly Edit[], lo: number, hi: number, at: { index: number; oldLine: number; newLine: number }): Hunk {
  for (; at.index < lo; at.index++) {
    const op = (edits[at.index] as Edit).op;
    if (op !== 'insert') at.oldLine++;
    if (op !== 'delete') at.newLine++;
  }
  const hunk: Hunk = { oldStart: at.oldLine, oldLines: 0, newStart: at.newLine, newLines: 0, lines: [] };
  for (let i = lo; i <= hi; i++) {
    const e = edits[i] as Edit;
    if (e.op !== 'insert') hunk.oldLines++;
    if (e.op !== 'delete') hunk.newLines++;
    hunk.lines.push(`${e.op === 'equal' ? ' ' : e.op === 'delete' ? '-' : '+'}${e.line}`);
  }
  at.index = hi + 1;
  at.oldLine += hunk.oldLines;
  at.newLine += hunk.newLines;
  // Unified-diff convention: an empty side starts at the line before the hunk.
  if (hunk.oldLines === 0) hunk.oldStart--;
  if (hunk.newLines === 0) hunk.newStart--;
  return hunk;
}

/** The `@@ -a,b +c,d @@` header of a hunk. */
export function hunkHeader(h: Hunk): string {
  return `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`;
}

/** Unified diff lines (headers + hunk lines) of two texts split into lines; empty when equal. */
export function unifiedLines(a: readonly string[], b: readonly string[], context = 3): string[] {
  return toHunks(diffLines(a, b), context).flatMap((h) => [hunkHeader(h), ...h.lines]);
}
