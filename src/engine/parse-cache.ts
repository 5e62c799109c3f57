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
import { isDeepStrictEqual } from 'node:util';
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
  /** The position every field path resolves to: keys are {@link pathKey}s, values [line, column]. */
  positions: Record<string, [number, number]>;
}

/** Where parsed files are kept between processes. */
export interface ParseCache {
  /** The documents stored for exactly this text, or undefined. */
  get(text: string): CachedDocument[] | undefined;
  /** Stores the documents of `text` (written at once; the folder is trimmed by {@link ParseCache.done}). */
  set(text: string, docs: CachedDocument[]): void;
  /** Called once a source is parsed: trims the folder to its limits when anything was written. */
  done(): void;
}

/** The key of a field path in {@link CachedDocument.positions}: its JSON (so `1` and `"1"` stay apart). */
export function pathKey(path: ReadonlyArray<string | number>): string {
  return JSON.stringify(path);
}

/**
 * True when `value` comes back from JSON exactly as it is: the same structure and primitives
 * (-0 does not), and no object or array reached twice (YAML aliases share one object in the
 * parser's value; JSON would hand back two, which a later in-place change would tell apart).
 */
export function faithfulJson(value: unknown): boolean {
  const seen = new Set<object>();
  const unshared = (v: unknown): boolean => {
    if (v === null || typeof v !== 'object') return true;
    if (seen.has(v)) return false;
    seen.add(v);
    return Object.values(v).every(unshared);
  };
  return unshared(value) && isDeepStrictEqual(JSON.parse(JSON.stringify(value)) as unknown, value);
}

/** A {@link ParseCache} in a {@link DiskCache} folder, for one build. */
export class DiskParseCache implements ParseCache {
  private written = false;

  constructor(
    private readonly disk: DiskCache,
    private readonly buildId: string,
  ) {}

  get(text: string): CachedDocument[] | undefined {
    const payload = this.disk.get(this.key(text));
    if (payload === undefined) return undefined;
    let docs: unknown;
    try {
      docs = JSON.parse(payload);
    } catch {
      return undefined;
    }
    return Array.isArray(docs) && docs.every(isCachedDocument) ? docs : undefined;
  }

  set(text: string, docs: CachedDocument[]): void {
    if (this.disk.set(this.key(text), JSON.stringify(docs), { evict: false })) this.written = true;
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

function isCachedDocument(d: unknown): d is CachedDocument {
  if (typeof d !== 'object' || d === null) return false;
  const c = d as Record<string, unknown>;
  if (!count(c.index) || !count(c.line) || !count(c.column) || !count(c.used) || !('value' in c)) return false;
  const positions = c.positions;
  if (typeof positions !== 'object' || positions === null || Array.isArray(positions)) return false;
  return Object.values(positions).every((p) => Array.isArray(p) && p.length === 2 && count(p[0]) && count(p[1]));
}
