/**
 * The on-disk caches' folders: where they are by default, and when one is safe to use. A leaf
 * module without node:crypto, so the CLI's start-ahead step can check its records' folder before
 * anything heavier is loaded (src/cli/start-ahead.ts).
 */
import { lstatSync, mkdirSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The default folder: per uid under the system temporary folder (`$TMPDIR` or /tmp). */
export function defaultCacheDir(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return path.join(os.tmpdir(), `meshplane-render-cache-${uid}`);
}

/**
 * Creates `dir` (0700) when missing and returns true when it is safe to use: a real folder, owned
 * by this uid, with no group/other permissions. Never loosens or takes over an existing folder.
 */
export function preparePrivateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return false;
  }
  try {
    const st = lstatSync(dir);
    if (!st.isDirectory() || st.isSymbolicLink()) return false;
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return false;
    return (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/**
 * Marks a file of a cache folder as used now: the folders are bounded by evicting the least
 * recently modified. An error (the file evicted meanwhile, or never there) is ignored: it only
 * leaves the file older.
 */
export function markFileUsed(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // gone, or not ours to touch: nothing to keep
  }
}
