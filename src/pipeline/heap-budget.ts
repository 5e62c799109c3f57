/**
 * The heap bound of a source: what parsing and rendering it will take of the V8 heap, estimated
 * from a plain character scan before anything is parsed, against what this process may use.
 * Why: the byte limits (16 MiB a file, 64 MiB a source) let through far more YAML nodes than a
 * capped heap holds. The yaml library keeps a node object, a token and a value for every scalar
 * and collection (about 270 bytes of heap per node measured, ~3 KB for a one-line ConfigMap), so
 * 200,000 one-line ConfigMaps (13 MB) end in a V8 abort under `--max-old-space-size=512`, which is
 * about what Node picks inside a memory-limited Argo CD sidecar (Node sizes its heap from the
 * cgroup limit). docs/input-and-output.md gives the measurements.
 */
import { createRequire } from 'node:module';
import { getHeapStatistics } from 'node:v8';
import { MeshplaneError } from '../core/errors.js';
import type { SourceFile } from '../core/types.js';

/** What the scan counts in a text. */
export interface ScanCount {
  /**
   * An upper estimate of the YAML nodes: line breaks, `,`, `:`, `[`, `{`, `-` between blanks (a block list item),
   * and twice `?` between blanks (an explicit key, whose value may be empty: two nodes on one line).
   * Why these: in block style every node but a collection ends at a line break, a `: ` or a `- `;
   * in flow style at `,`, `:`, `]` or `}`; each flow collection opens with `[` or `{`. Characters
   * inside quoted and block scalars are counted too, which only overestimates (a line of a PEM block counts one, for its line break).
   */
  units: number;
  /** Documents: the stream's first one, and each line starting with `---`. */
  documents: number;
  /** Characters (UTF-16 code units, as the text is held). */
  chars: number;
}

/**
 * Heap per character of text, per counted unit and per document, in bytes. Measured with the yaml
 * library as load.ts calls it (Node 20, yaml 2; docs/input-and-output.md): a one-line ConfigMap
 * (64 characters, 10 units) keeps 2.9 KB after the parse, a realistic object of
 * bench/workload.mjs (447 characters, 45 units) 12 KB; the rest of a command adds 1.5-2 KB per
 * object. Why only 12 a character: long values cost less per character than the parse alone
 * suggests (one map of 60-character values kept 24 a character), yet 16 MB of ConfigMaps of
 * 60-character values run under a 512 MB heap today (6.7 s, 600 MB RSS), and a bound must not
 * refuse what works: 12 keeps those through while counting the text and its copies.
 */
export const HEAP_BYTES_PER_CHAR = 12;
/** See {@link HEAP_BYTES_PER_CHAR}. */
export const HEAP_BYTES_PER_UNIT = 150;
/** See {@link HEAP_BYTES_PER_CHAR}. */
export const HEAP_BYTES_PER_DOCUMENT = 2000;

/** Heap kept aside for what is not the source: templates, catalog, the jsonnet engine, Node itself (~40 MB measured). */
export const HEAP_RESERVE_BYTES = 64 * 1024 * 1024;

/**
 * The share of the rest a source may take. Why not all of it: a parse allocates garbage besides
 * what it keeps, and V8 aborts before the heap is full when collections free too little.
 */
export const HEAP_SHARE = 0.75;

// Why these: the characters that start or separate YAML nodes (a line break, a flow separator, a
// mapping value, a flow collection, a block list item, an explicit key), as character codes so the
// scan compares numbers from charCodeAt instead of making one-character strings.
const LF = 10;
const COMMA = 44;
const COLON = 58;
const OPEN_SEQ = 91;
const OPEN_MAP = 123;
const DASH = 45;
const QUESTION = 63;

/** True for the code of a space, a tab or a line break. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === LF || c === 13;
}

/** True when the character at `i` is a blank, a line break or past the end (what makes `-` an indicator). */
function blankAt(text: string, i: number): boolean {
  return i >= text.length || isBlank(text.charCodeAt(i));
}

/** True when the character before `i` is a blank or a line break, or `i` starts the text. */
function blankBefore(text: string, i: number): boolean {
  return i === 0 || isBlank(text.charCodeAt(i - 1));
}

/**
 * The scan behind {@link scanCount} and the error's line: counts `text`, and when `stopAbove` is
 * given, stops at the first character where `before` plus the running {@link heapCost} exceeds it.
 */
function scan(text: string, before = 0, stopAbove = Number.POSITIVE_INFINITY): ScanCount & { stoppedAt?: number } {
  let units = 0;
  let documents = 1;
  const base = before + HEAP_BYTES_PER_DOCUMENT;
  const chars = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || c === COMMA || c === COLON || c === OPEN_SEQ || c === OPEN_MAP) units++;
    else if (c === DASH) {
      if ((i === 0 || text.charCodeAt(i - 1) === LF) && text.startsWith('--', i + 1) && blankAt(text, i + 3)) {
        documents++;
        i += 2;
      } else if (blankAt(text, i + 1) && blankBefore(text, i)) units++;
      else continue;
    } else if (c === QUESTION && blankAt(text, i + 1) && blankBefore(text, i)) units += 2;
    else continue;
    if (base + (i + 1) * HEAP_BYTES_PER_CHAR + units * HEAP_BYTES_PER_UNIT + (documents - 1) * HEAP_BYTES_PER_DOCUMENT > stopAbove) return { units, documents, chars, stoppedAt: i };
  }
  return { units, documents, chars };
}

/** Counts `text` ({@link ScanCount}); one pass over its characters, nothing allocated. */
export function scanCount(text: string): ScanCount {
  const { units, documents, chars } = scan(text);
  return { units, documents, chars };
}

/** The estimated heap, in bytes, for a count. */
export function heapCost(count: ScanCount): number {
  return count.chars * HEAP_BYTES_PER_CHAR + count.units * HEAP_BYTES_PER_UNIT + count.documents * HEAP_BYTES_PER_DOCUMENT;
}

/** The bytes of heap a source may take when V8's heap limit is `heapLimit` bytes (0 when the limit is below the reserve). */
export function heapBudget(heapLimit: number): number {
  return Math.max(0, Math.floor((heapLimit - HEAP_RESERVE_BYTES) * HEAP_SHARE));
}

/** The heap size --max-old-space-size would need for a source of estimated cost `cost` (the inverse of {@link heapBudget}), in MiB rounded up to 256. */
export function neededHeapMb(cost: number): number {
  const bytes = cost / HEAP_SHARE + HEAP_RESERVE_BYTES;
  return Math.ceil(bytes / (256 * 1024 * 1024)) * 256;
}

/** The line (1-based) of `text` holding its character `offset`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

const MB = 1024 * 1024;

/** How to fix a request a server's render worker cannot hold: its heap is fixed, so only a smaller input helps. */
export const SMALLER_REQUEST = 'send a smaller source or stream: fewer objects (each costs a few KB once parsed, however short its text), or split it over several requests';

/**
 * Whether this is the process's main thread (a CLI) rather than a server's render worker. Why
 * loaded only here: node:worker_threads is ~1 ms of module loading that every generate would pay
 * for an answer only a refused source needs (docs/performance.md).
 */
function onMainThread(): boolean {
  return (createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads')).isMainThread;
}

/**
 * Refuses, before any parse, a source whose estimated heap ({@link heapCost} of every file)
 * exceeds the budget for `heapLimit` (default: this process's V8 heap limit), naming the file and
 * the line where the estimate passes the budget, what the limit is, and how to fix it.
 */
export function checkHeapBudget(files: readonly SourceFile[], heapLimit: number = getHeapStatistics().heap_size_limit): void {
  const budget = heapBudget(heapLimit);
  let total = 0;
  const counts = files.map((f) => scanCount(f.text));
  const grand = counts.reduce((n, c) => n + heapCost(c), 0);
  if (grand <= budget) return;
  for (const [i, file] of files.entries()) {
    const count = counts[i] as ScanCount;
    const cost = heapCost(count);
    if (total + cost > budget) {
      const line = lineAt(file.text, scan(file.text, total, budget).stoppedAt ?? file.text.length);
      const many = files.length > 1 ? `the source (${files.length} files) holds` : `${file.path} holds`;
      const allCounts = counts.reduce((a, c) => ({ units: a.units + c.units, documents: a.documents + c.documents }), { units: 0, documents: 0 });
      const chars = counts.reduce((n, c) => n + c.chars, 0);
      throw new MeshplaneError(
        'input-too-large',
        `${many} about ${allCounts.units} YAML nodes in ${allCounts.documents} documents (${chars} characters), which would take about ${Math.ceil(grand / MB)} MB of heap to parse and check; this process may use ${Math.floor(budget / MB)} MB for the source (V8 heap limit ${Math.floor(heapLimit / MB)} MB)`,
        [{ where: { file: file.path, line, column: 1 }, message: `the estimate passes ${Math.floor(budget / MB)} MB here` }],
        onMainThread()
          ? `split the source into several Applications (a Helm chart into several releases), or give the process more heap: raise the Argo CD sidecar's memory limit (Node sizes its heap from it) or set NODE_OPTIONS=--max-old-space-size=${neededHeapMb(grand)}`
          : // A server's render worker: its heap is the server's fixed worker limit (src/server/worker-pool.ts), not NODE_OPTIONS.
            SMALLER_REQUEST,
      );
    }
    total += cost;
  }
}
