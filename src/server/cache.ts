/**
 * The content-hash answer cache: an identical request is answered from memory, without a render.
 * The key is a SHA-256 over everything that can change the answer: the route and the answer's
 * media type, the request's files (path and content), the variables and options that matter,
 * the day the clock falls on (expiry and end-of-life are decided per day), the Meshplane version
 * and a fingerprint of the shipped data (templates/, catalog/, schemas/). The size bound is in
 * BYTES (answers range from a few KB to MBs); the least recently used answers go first.
 */
import { createHash, type Hash } from 'node:crypto';
import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { packagePath } from '../core/paths.js';

/** One cached answer. */
export interface CachedAnswer {
  status: number;
  contentType: string;
  exitCode: number;
  body: Buffer;
}

/** Fixed cost counted per entry besides the body (key, headers, bookkeeping). */
const ENTRY_OVERHEAD_BYTES = 256;

/** A least-recently-used map bounded by the bytes of its answers. */
export class AnswerCache {
  private readonly entries = new Map<string, CachedAnswer>();
  private used = 0;
  /** Counters for /metrics. */
  readonly stats = { hits: 0, misses: 0, evictions: 0 };

  constructor(readonly maxBytes: number) {}

  /** Bytes held. */
  get bytes(): number {
    return this.used;
  }

  /** Entries held. */
  get size(): number {
    return this.entries.size;
  }

  /** The answer for `key` (and marks it recently used), counting a hit or a miss. */
  get(key: string): CachedAnswer | undefined {
    const hit = this.entries.get(key);
    if (!hit) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  /** Stores an answer; one larger than an eighth of the budget is not kept (it would flush the rest). */
  set(key: string, answer: CachedAnswer): void {
    const cost = sizeOf(answer);
    if (cost > this.maxBytes / 8) return;
    const old = this.entries.get(key);
    if (old) {
      this.used -= sizeOf(old);
      this.entries.delete(key);
    }
    while (this.used + cost > this.maxBytes) this.evictOldest();
    this.entries.set(key, answer);
    this.used += cost;
  }

  private evictOldest(): void {
    const oldest = this.entries.entries().next().value;
    if (!oldest) return;
    this.entries.delete(oldest[0]);
    this.used -= sizeOf(oldest[1]);
    this.stats.evictions++;
  }
}

function sizeOf(a: CachedAnswer): number {
  return a.body.length + ENTRY_OVERHEAD_BYTES;
}

/** A key builder: parts are framed by their length, so no two different inputs hash alike. */
export class CacheKey {
  private readonly hash: Hash = createHash('sha256');

  /** Adds one string. */
  add(part: string): this {
    this.hash.update(`${Buffer.byteLength(part, 'utf8')}:`);
    this.hash.update(part, 'utf8');
    return this;
  }

  /** Adds a labelled list of strings. */
  addAll(label: string, parts: readonly string[]): this {
    this.add(`${label}#${parts.length}`);
    for (const p of parts) this.add(p);
    return this;
  }

  /** The key. */
  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * Folders whose files change the output without a version change. Why these three: templates/
 * renders the manifests, catalog/ holds the version data and guardrail lists, schemas/ the intent
 * schema (validation messages).
 */
const DATA_FOLDERS = ['templates', 'catalog', 'schemas'];

/** SHA-256 of the version and of every file of the shipped data folders (read once at start-up). */
export function dataFingerprint(version: string, root: (...p: string[]) => string = packagePath): string {
  const key = new CacheKey().add(`meshplane ${version}`);
  for (const folder of DATA_FOLDERS) {
    const files = listFiles(root(folder)).sort();
    key.add(`${folder}#${files.length}`);
    for (const f of files) key.add(path.relative(root(folder), f)).add(readFileSync(f).toString('base64'));
  }
  return key.digest();
}

function listFiles(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []));
}
