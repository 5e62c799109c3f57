/**
 * A content-addressed on-disk cache of template evaluations, for the Argo CD plugin sidecar
 * (a fresh `meshplane generate` process per application per commit: an in-memory cache never
 * sees a second render). Entries are files named by the SHA-256 key the engine computes from
 * everything the evaluation reads (src/engine/template-engine.ts `cacheKey`).
 *
 * Rules it keeps:
 * - Fail open: any problem reading, writing or checking an entry means "no entry" and the
 *   caller renders normally; a cache problem never fails a render.
 * - Private: the folder is created 0700 and used only when it is a real folder (not a link),
 *   owned by this uid and not readable or writable by group or others; entries are written 0600.
 *   Why: another user on the machine must not be able to plant an entry we would print.
 * - Atomic: an entry is written to a unique temporary file and renamed into place, so
 *   concurrent renders (several Applications synced at once) never read a half-written entry.
 * - Checked: each entry starts with the SHA-256 of its payload; a corrupt entry is dropped.
 * - Bounded: after each write the oldest entries (by modification time, refreshed on every hit)
 *   are removed until the folder holds at most `maxEntries` entries and `maxBytes` bytes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultCacheDir, markFileUsed, preparePrivateDir } from './private-dir.js';

/** Bounds of the cache. */
export interface DiskCacheLimits {
  maxEntries: number;
  maxBytes: number;
}

/**
 * Why these: a full mesh evaluation is ~270 KB of JSON for examples/canary (up to ~600 KB for
 * larger meshes); 64 MiB holds ~100-250 distinct renders (a sidecar serving many Applications
 * with per-cluster parameters) and stays small next to the sidecar's emptyDir; 256 entries bounds
 * the directory scan done after each write. (Generate's outputs have a folder and budget of their
 * own: ./output-cache.ts.)
 */
export const DEFAULT_LIMITS: DiskCacheLimits = { maxEntries: 256, maxBytes: 64 * 1024 * 1024 };

/** What an entry file name looks like (a hex SHA-256). Anything else in the folder is ignored. */
const ENTRY_NAME = /^[0-9a-f]{64}$/;
/** Temporary files left by a writer that died are removed once older than this. */
const STALE_TMP_MS = 10 * 60 * 1000;

export { defaultCacheDir, preparePrivateDir } from './private-dir.js';

/** Entries are text: bytes that are not UTF-8 are refused, never decoded with replacement characters. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

function digest(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The on-disk cache. Construct with {@link openDiskCache}. */
export class DiskCache {
  /** Hits, misses and entries dropped as unreadable or corrupt. */
  readonly stats = { hits: 0, misses: 0, corrupt: 0, writeErrors: 0 };

  constructor(
    readonly dir: string,
    private readonly limits: DiskCacheLimits = DEFAULT_LIMITS,
  ) {}

  /** The payload stored under `key`, or undefined (missing, unreadable, corrupt, or not ours). */
  get(key: string): string | undefined {
    if (!ENTRY_NAME.test(key)) return undefined;
    const file = path.join(this.dir, key);
    let bytes: Buffer;
    try {
      // O_NONBLOCK: a FIFO put in the folder must not hold the open until a writer comes; it is then refused as not a file.
      const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
      try {
        const st = fstatSync(fd);
        if (!st.isFile() || (typeof process.getuid === 'function' && st.uid !== process.getuid())) return this.miss();
        bytes = readFileSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch {
      return this.miss();
    }
    // The checksum is over the payload's bytes as written: hashing them before decoding saves encoding the text again.
    if (bytes.length < 65 || bytes[64] !== 0x0a || bytes.toString('latin1', 0, 64) !== digest(bytes.subarray(65))) {
      this.stats.corrupt++;
      this.remove(file);
      return this.miss();
    }
    let payload: string;
    try {
      payload = STRICT_UTF8.decode(bytes.subarray(65));
    } catch {
      // Bytes no writer of ours makes (it writes text): not an entry.
      this.stats.corrupt++;
      this.remove(file);
      return this.miss();
    }
    this.stats.hits++;
    // Refreshed for the eviction order (an entry evicted meanwhile was read all the same).
    this.touch(key);
    return payload;
  }

  /** The payload under `key` read as JSON, when it has the shape `is` checks; undefined otherwise (missing, not JSON, another shape). */
  getJson<T>(key: string, is: (value: unknown) => value is T): T | undefined {
    const text = this.get(key);
    if (text === undefined) return undefined;
    try {
      const value = JSON.parse(text) as unknown;
      return is(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }

  /** Marks the entry under `key` as recently used, as a hit does, without reading it; a missing entry is left missing. */
  touch(key: string): void {
    if (ENTRY_NAME.test(key)) markFileUsed(path.join(this.dir, key));
  }

  /**
   * Stores `payload` under `key` (atomically), then evicts down to the limits (unless `evict` is
   * false: a caller writing many entries at once calls {@link DiskCache.evict} once at the end);
   * true when it was written. Errors are swallowed.
   */
  set(key: string, payload: string, { evict = true }: { evict?: boolean } = {}): boolean {
    if (!ENTRY_NAME.test(key)) return false;
    const tmp = path.join(this.dir, `.${key}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      writeFileSync(tmp, `${digest(payload)}\n${payload}`, { mode: 0o600, flag: 'wx' });
      renameSync(tmp, path.join(this.dir, key));
    } catch {
      this.stats.writeErrors++;
      this.remove(tmp);
      return false;
    }
    if (evict) this.evict();
    return true;
  }

  /** Removes the oldest entries until the folder is within the limits (and stale temporary files). */
  evict(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    const now = Date.now();
    const entries: { file: string; size: number; mtime: number }[] = [];
    for (const name of names) {
      const file = path.join(this.dir, name);
      try {
        const st = statSync(file);
        if (ENTRY_NAME.test(name)) entries.push({ file, size: st.size, mtime: st.mtimeMs });
        else if (name.endsWith('.tmp') && now - st.mtimeMs > STALE_TMP_MS) this.remove(file);
      } catch {
        // removed by a concurrent writer: nothing to count
      }
    }
    entries.sort((a, b) => a.mtime - b.mtime);
    let bytes = entries.reduce((s, e) => s + e.size, 0);
    let count = entries.length;
    for (const e of entries) {
      if (count <= this.limits.maxEntries && bytes <= this.limits.maxBytes) break;
      this.remove(e.file);
      count--;
      bytes -= e.size;
    }
  }

  private miss(): undefined {
    this.stats.misses++;
    return undefined;
  }

  private remove(file: string): void {
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  }
}

/** A cache in `dir` (default {@link defaultCacheDir}), or undefined when the folder is not safe to use. */
export function openDiskCache(dir: string = defaultCacheDir(), limits: DiskCacheLimits = DEFAULT_LIMITS): DiskCache | undefined {
  return preparePrivateDir(dir) ? new DiskCache(dir, limits) : undefined;
}
