/**
 * The I/O of `meshplane lock` and `meshplane upgrade patch`: find the intent and its lock in a
 * source folder, and replace the lock file atomically (write a temporary file beside it, flush
 * it to disk, rename it over the old one), then read it back and check it parses to what was meant.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { MeshplaneError } from '../core/errors.js';
import { replaceFileAtomically } from '../core/write-atomic.js';
import { findIntent, loadIntentValidator, validateIntent } from '../pipeline/intent.js';
import { parseSourceFile, parseSourceFiles, readSourceTree } from '../pipeline/load.js';
import type { ServiceMesh } from '../intent/types.js';
import { findLock, formatLock, LOCK_FILE_NAME, type FoundLock, type MeshLock } from './lock-file.js';

/** The intent and the lock of a source folder. */
export interface LockSource {
  intent: ServiceMesh;
  /** The lock's file: relative to the folder (as shown to users) and absolute. */
  file: string;
  absolutePath: string;
  /** The lock as found (absent when the folder has none yet), and its file's text. */
  found?: FoundLock;
  text?: string;
}

/** Reads the folder: the intent (validated) and the lock beside it, if any. */
export async function readLockSource(dir: string): Promise<LockSource> {
  const documents = parseSourceFiles(await readSourceTree(dir));
  await loadIntentValidator();
  const { intent, document } = validateIntent(findIntent(documents));
  const found = findLock(documents);
  if (!found) {
    const file = path.posix.join(path.posix.dirname(document.file), LOCK_FILE_NAME);
    return { intent, file, absolutePath: path.join(dir, ...file.split('/')) };
  }
  const others = documents.filter((d) => d.file === found.document.file && d !== found.document);
  if (others.length) {
    throw new MeshplaneError('lock-invalid', `${found.document.file} holds other documents besides the lock`, others.map((d) => ({ where: { file: d.file, line: d.line, column: d.column }, message: 'another document in the lock file' })), `move them to their own file: Meshplane rewrites ${LOCK_FILE_NAME} whole`);
  }
  const absolutePath = path.join(dir, ...found.document.file.split('/'));
  return { intent, file: found.document.file, absolutePath, found, text: await readFile(absolutePath, 'utf8') };
}

/**
 * Replaces `absolutePath` with `text` atomically, then reads it back and checks that it holds
 * exactly `text` and parses to `expected`. Readers (Argo CD, a concurrent `generate`) see the
 * old file or the new one, never a half-written one.
 */
export async function writeLockFile(absolutePath: string, shown: string, text: string, expected: MeshLock): Promise<void> {
  const mode = await stat(absolutePath).then((s) => s.mode & 0o777, () => 0o644);
  await replaceFileAtomically(absolutePath, text, { shown, fix: 'make the folder writable; the old lock (if any) is unchanged', code: 'source-unreadable' }, mode);
  await checkWritten(absolutePath, shown, text, expected);
}

async function checkWritten(absolutePath: string, shown: string, text: string, expected: MeshLock): Promise<void> {
  const back = await readFile(absolutePath, 'utf8');
  const found = back === text ? findLock(parseSourceFile({ path: shown, text: back })) : undefined;
  if (!found || formatLock(found.lock) !== formatLock(expected)) {
    throw new MeshplaneError('internal', `${shown} does not read back as written`, [], 'another process may have changed it at the same moment; run the command again');
  }
}
