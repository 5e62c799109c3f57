/**
 * The parse cache: what parsing one source file's text produced, kept in the render cache's
 * `parses` folder, so that a generate whose files did not change (the usual Argo CD commit
 * changes a few files beside mesh.yaml, or none) reads them back instead of running the YAML
 * parser on them again. For each document of the file: where it starts, its value, the
 * expansion budget it used (src/pipeline/yaml-guards.ts), and the position of every field a
 * report can point at, so that reports say exactly what they say after a real parse.
 *
 * Keyed by the file's text (not its name: a file moved keeps its entry) and the bundle's build
 * id (a new parser, or new parse options, means new entries). Only files the parser accepted
 * are stored; the caller stores only values that JSON carries unchanged (see {@link faithfulJson}).
 * A damaged or misshapen entry is a miss. Only the bundled `generate` uses it (enabled with the
 * rest of the on-disk cache by bin/meshplane, ./template-engine.ts `enableDiskCache`).
 */
import type { DiskCache } from './disk-cache.js';
import { fieldsDigest } from './field-digest.js';

/** Bumped whenever what an entry holds changes meaning. */
const PARSE_FORMAT = 'meshplane-parse-1';

/** One document of a parsed file, as stored. */
export interface CachedDocument {
  /** 0-based index of the document in its file's stream. */
  index: number;
  /** Where its content starts (1-based line and column). */
  line: number;
  column: number;
  /** The expansion budget it used (checkDocumentNodes). */
  used: number;
  value: unknown;
  /** Where each node of the document is, as the report finds it (`positionOf` in src/pipeline/load.ts). */
  positions: PositionTree;
}

/**
 * A node's position, [line, column], and, for a map or a sequence, its children's: a map's keyed
 * by {@link childName} (first pair with that key), a sequence's by index (null where an item is
 * missing). For a map entry, the position is its key's, as positionOf reports it.
 */
export type PositionTree = [number, number] | [number, number, Record<string, PositionTree> | Array<PositionTree | null>];

/** The name of a map key among {@link PositionTree} children: `s:` + a string key, `n:` + a number key (YAML `1:` and `"1":` are two keys). */
export function childName(key: string | number): string {
  return `${typeof key === 'number' ? 'n' : 's'}:${key}`;
}

/** Where parsed files are kept between processes. */
export interface ParseCache {
  /** How many files it keeps: a source of more files stores none (they would push each other out on every run). */
  readonly capacity: number;
  /** The documents stored for exactly this text, or undefined. */
  get(text: string): CachedDocument[] | undefined;
  /** Stores the documents of `text` (written at once; the folder is trimmed by {@link ParseCache.done}). */
  set(text: string, docs: CachedDocument[]): void;
  /** Called once a source is parsed: trims the folder to its limits when anything was written. */
  done(): void;
}

/**
 * True when `value` comes back from JSON exactly as it is (`JSON.parse(JSON.stringify(value))`
 * deep-strict-equal to it) and reaches no object twice. Why the second: YAML aliases share one
 * object in the parser's value, and JSON would hand back two, which a later in-place change
 * would tell apart. One walk instead of the round trip, which cost a source of 1,000 objects
 * ~40 ms: finite numbers but -0, strings, booleans, null; plain objects and dense arrays of
 * them, with only enumerable string keys (JSON keeps their order: it is the object's own).
 */
export function faithfulJson(value: unknown): boolean {
  const seen = new Set<object>();
  const faithful = (v: unknown): boolean => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return true;
      case 'number':
        return Number.isFinite(v) && !Object.is(v, -0);
      case 'object': {
        if (v === null) return true;
        if (seen.has(v)) return false;
        seen.add(v);
        const keys = Object.keys(v);
        if (Reflect.ownKeys(v).length !== keys.length + (Array.isArray(v) ? 1 : 0)) return false;
        if (Array.isArray(v)) return Object.getPrototypeOf(v) === Array.prototype && keys.length === v.length && v.every(faithful);
        return Object.getPrototypeOf(v) === Object.prototype && keys.every((k) => faithful((v as Record<string, unknown>)[k]));
      }
      default:
        return false;
    }
  };
  return faithful(value);
}

/**
 * The largest entry stored, in characters of JSON. Why: a file is stored only up to 1 M characters
 * (src/pipeline/load.ts), and its value and positions take about two to three times its text; an
 * entry far past that (deep nesting, very long keys) would cost more to write than the parse.
 */
const MAX_ENTRY_CHARS = 4 * 1024 * 1024;

/** A {@link ParseCache} in a {@link DiskCache} folder, for one build. */
export class DiskParseCache implements ParseCache {
  private written = false;

  constructor(
    private readonly disk: DiskCache,
    private readonly buildId: string,
    readonly capacity: number,
  ) {}

  get(text: string): CachedDocument[] | undefined {
    return this.disk.getJson(this.key(text), isCachedDocuments);
  }

  set(text: string, docs: CachedDocument[]): void {
    const payload = JSON.stringify(docs);
    if (payload.length <= MAX_ENTRY_CHARS && this.disk.set(this.key(text), payload, { evict: false })) this.written = true;
  }

  done(): void {
    if (this.written) this.disk.evict();
    this.written = false;
  }

  private key(text: string): string {
    return fieldsDigest([PARSE_FORMAT, this.buildId, text]);
  }
}

const count = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
/** Lines and columns count from 1. */
const place = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 1;

function isCachedDocuments(docs: unknown): docs is CachedDocument[] {
  return Array.isArray(docs) && docs.every(isCachedDocument);
}

function isCachedDocument(d: unknown): d is CachedDocument {
  if (typeof d !== 'object' || d === null) return false;
  const c = d as Record<string, unknown>;
  return count(c.index) && place(c.line) && place(c.column) && count(c.used) && 'value' in c && isPositionTree(c.positions);
}

function isPositionTree(t: unknown): t is PositionTree {
  if (!Array.isArray(t) || (t.length !== 2 && t.length !== 3) || !place(t[0]) || !place(t[1])) return false;
  if (t.length === 2) return true;
  const kids: unknown = t[2];
  if (Array.isArray(kids)) return kids.every((k) => k === null || isPositionTree(k));
  return typeof kids === 'object' && kids !== null && Object.entries(kids).every(([name, k]) => /^[sn]:/.test(name) && isPositionTree(k));
}
