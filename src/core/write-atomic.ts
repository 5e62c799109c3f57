/**
 * Replaces one regular file atomically: the text goes to a new temporary file beside it, is
 * flushed to disk, and is renamed over the old one, so a reader sees the old file or the new one,
 * never half of one. Each step is checked; a failure removes the temporary file, leaves the old
 * file as it was and is an error (`output-unwritable` unless the target says otherwise) naming the
 * path as the user gave it. Used by `--report-file` and by `meshplane lock` / `upgrade patch`.
 */
// fs.promises rather than node:fs/promises: loaded on first use (see PROMISE_FILE_IO in read-input.ts).
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { MeshplaneError, type ErrorCode } from './errors.js';
import { describeFsError } from './read-input.js';

/** What a write is for, so errors say it: e.g. `--report-file report.txt` and how to fix it. */
export interface WriteTarget {
  shown: string;
  fix: string;
  /** The code of a failed write's error; `output-unwritable` when absent. */
  code?: ErrorCode;
}

/**
 * Refuses a path that exists and is not a regular file (a directory, a symbolic link, a device
 * such as /dev/stderr, a FIFO): a rename would replace the link or device entry itself, not
 * write through it. A missing file is fine; its folder is checked by the write.
 */
export async function checkReplaceable(absolutePath: string, target: WriteTarget): Promise<void> {
  let st;
  try {
    st = await fsp.lstat(absolutePath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new MeshplaneError(target.code ?? 'output-unwritable', `cannot write ${target.shown}: ${describeFsError(err)}`, [], target.fix);
  }
  if (st.isFile()) return;
  const kind = st.isDirectory() ? 'a directory' : st.isSymbolicLink() ? 'a symbolic link' : 'not a regular file';
  throw new MeshplaneError(target.code ?? 'output-unwritable', `cannot write ${target.shown}: it is ${kind}`, [], `${target.fix}; Meshplane replaces only a regular file there (or creates it)`);
}

/**
 * Replaces `absolutePath` with `text` (UTF-8) atomically. The size is checked on the temporary
 * file's own handle before the rename: after it, another run writing the same path at the same
 * moment may already have replaced the file with its own (whole) text, which is no failure of
 * this write. Why a short fixed-shape temporary name (`.meshplane-<hex>.tmp`): one built from the
 * target's name could exceed the file-name limit for a legal target name. `mode` is the new
 * file's (the lock keeps the mode of the file it replaces).
 */
export async function replaceFileAtomically(absolutePath: string, text: string, target: WriteTarget, mode = 0o644): Promise<void> {
  await checkReplaceable(absolutePath, target);
  const bytes = Buffer.from(text, 'utf8');
  const tmp = path.join(path.dirname(absolutePath), `.meshplane-${randomBytes(8).toString('hex')}.tmp`);
  let size = -1;
  try {
    const handle = await fsp.open(tmp, 'wx', mode);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
      size = (await handle.stat()).size;
    } finally {
      await handle.close();
    }
    if (size !== bytes.length) throw Object.assign(new Error(`the temporary file holds ${size} bytes, not ${bytes.length}`), { code: 'ESHORT' });
    await fsp.rename(tmp, absolutePath);
  } catch (err) {
    await fsp.unlink(tmp).catch(() => undefined);
    const why = (err as NodeJS.ErrnoException).code === 'ESHORT' ? (err as Error).message : describeFsError(err);
    throw new MeshplaneError(target.code ?? 'output-unwritable', `cannot write ${target.shown}: ${why}`, [], target.fix);
  }
}
