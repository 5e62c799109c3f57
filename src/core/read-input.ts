/**
 * The one reader for every input Meshplane takes from outside: files of the source tree, a file
 * named by a flag (`--intent`), and streams (stdin). Each read is bounded in bytes (a reader
 * stops at the limit instead of growing without end, e.g. on /dev/zero), a file that is expected
 * is refused at once when it is not a regular file (a FIFO would block forever, a device never
 * ends), and the bytes are decoded as strict UTF-8. Errors are input errors naming the path as the
 * user gave it, never an absolute machine path.
 */
import { closeSync, constants, fstatSync, openSync, promises as fsp, readSync, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { MeshplaneError } from './errors.js';

/** Why a file could not be read, for the user: the message after "cannot read <file>:" (never the system's message, which repeats the absolute path). */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENAMETOOLONG':
      return 'the path is longer than the system allows';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    // Why: Linux refuses to open a Unix socket (and a device with no driver behind it) with ENXIO.
    case 'ENXIO':
      return 'it is a socket or a device with nothing behind it, not a regular file';
    default:
      return code ? `the system refused (${code})` : 'the system refused';
  }
}

/** What a read is for, so errors say it: e.g. `--intent mesh.yaml` or `stdin`. */
export interface ReadTarget {
  /** The path or name as the user gave it (printed in errors). */
  shown: string;
  /** The fix line of errors about this input. */
  fix: string;
}

/** Bytes read per chunk. */
const CHUNK = 64 * 1024;

/**
 * The calls {@link readRegularFile} makes on one file: the promise API's (the default: the main
 * thread stays free), or the synchronous one ({@link SYNC_FILE_IO}: each call blocks, which costs
 * no trip through libuv's thread pool; for a process that has nothing else to run meanwhile).
 */
export interface FileIo<H> {
  open(abs: string, flags: number): Promise<H> | H;
  stat(handle: H): Promise<Stats> | Stats;
  /** Reads up to `length` bytes into the start of `buf`; the number read. */
  read(handle: H, buf: Buffer, length: number): Promise<number> | number;
  close(handle: H): Promise<void> | void;
}

// Why fs.promises and not node:fs/promises: the generate bundle turns a named import of
// node:fs/promises into a require when the module is loaded (~2.5 ms: the promise API pulls in
// readline, watchers and dir), while the getter of fs.promises loads it on first use only, and a
// bundled generate reads with the synchronous calls.
/** {@link FileIo} through the promise API. */
export const PROMISE_FILE_IO: FileIo<FileHandle> = {
  open: (abs, flags) => fsp.open(abs, flags),
  stat: (h) => h.stat(),
  read: async (h, buf, length) => (await h.read(buf, 0, length, null)).bytesRead,
  close: (h) => h.close(),
};

/** {@link FileIo} through the synchronous calls. */
export const SYNC_FILE_IO: FileIo<number> = {
  open: (abs, flags) => openSync(abs, flags),
  stat: (fd) => fstatSync(fd),
  read: (fd, buf, length) => readSync(fd, buf, 0, length, null),
  close: (fd) => closeSync(fd),
};

/**
 * Reads the regular file at `abs` (at most `maxBytes`). Opening never blocks (O_NONBLOCK, so a
 * FIFO without a writer does not hang), and anything but a regular file is refused before a byte
 * is read. The size is checked while reading, not only from stat, so a file that grows or lies
 * about its size (/proc) still stops at the limit.
 */
export async function readRegularFile(abs: string, target: ReadTarget, maxBytes: number, io: FileIo<unknown> = PROMISE_FILE_IO): Promise<Buffer> {
  let handle: unknown;
  try {
    handle = await io.open(abs, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new MeshplaneError('source-unreadable', `cannot read ${target.shown}: ${describeFsError(err)}`, [], target.fix);
  }
  try {
    const st = await io.stat(handle);
    if (!st.isFile()) {
      const kind = st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a named pipe (FIFO)' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file';
      throw new MeshplaneError('input-not-a-file', `cannot read ${target.shown}: it is ${kind}, not a regular file`, [], `${target.fix}; Meshplane reads only regular files there (a pipe or device could block or never end)`);
    }
    if (st.size > maxBytes) throw tooLarge(target, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.alloc(CHUNK);
      const bytesRead = await io.read(handle, buf, CHUNK);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(target, maxBytes);
      chunks.push(bytesRead === CHUNK ? buf : buf.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } catch (err) {
    if (err instanceof MeshplaneError) throw err;
    throw new MeshplaneError('source-unreadable', `cannot read ${target.shown}: ${describeFsError(err)}`, [], target.fix);
  } finally {
    await io.close(handle);
  }
}

/**
 * Reads a stream (stdin) to its end, failing as soon as it passes `maxBytes`, or when it has not
 * ended `maxMs` after the read began (a writer that never closes the pipe must not hold a sync
 * forever: Helm writes the whole release and closes stdin at once).
 */
export async function readStreamBounded(stream: AsyncIterable<unknown> & { destroy?: () => void }, target: ReadTarget, maxBytes: number, maxMs = Infinity): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  let timer: NodeJS.Timeout | undefined;
  const deadline = Number.isFinite(maxMs)
    ? new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          stream.destroy?.();
          reject(timedOut(target, maxMs));
        }, maxMs);
      })
    : null;
  const read = (async () => {
    for await (const c of stream) {
      const chunk = typeof c === 'string' ? Buffer.from(c, 'utf8') : (c as Buffer);
      total += chunk.length;
      if (total > maxBytes) {
        stream.destroy?.();
        throw tooLarge(target, maxBytes);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, total);
  })();
  try {
    return await (deadline ? Promise.race([read, deadline]) : read);
  } finally {
    if (timer) clearTimeout(timer);
    read.catch(() => undefined);
  }
}

/** The error for a stream that did not end within its time limit. */
export function timedOut(target: ReadTarget, maxMs: number): MeshplaneError {
  return new MeshplaneError('input-timeout', `${target.shown} did not end within ${Math.round(maxMs / 1000)} s`, [], `${target.fix}, and close the pipe when done (MESHPLANE_STDIN_TIMEOUT_SECONDS raises the limit)`);
}

/** The error for an input over its byte limit. */
export function tooLarge(target: ReadTarget, maxBytes: number): MeshplaneError {
  return new MeshplaneError('input-too-large', `${target.shown} is over the ${maxBytes}-byte limit`, [], `${target.fix}; a real mesh source is far smaller`);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** How to fix a file of a source tree that is not text (the default of {@link decodeUtf8}). */
const FILE_NOT_TEXT = { encoding: 'save the file as UTF-8, or remove it from the source if it is not a manifest', binary: 'remove binary files from the app source or rename them away from .yaml/.yml/.json' };

/**
 * Decodes UTF-8 strictly (a leading BOM is dropped, as the WHATWG decoder does by default); binary
 * or mis-encoded input is an input error at the first offending byte. `fix` replaces the advice for
 * a source file, for an input that is no file of a source tree (stdin).
 */
export function decodeUtf8(buf: Uint8Array, file: string, fix: { encoding: string; binary: string } = FILE_NOT_TEXT): string {
  let text: string;
  try {
    text = utf8.decode(buf);
  } catch {
    const at = Math.max(0, invalidUtf8At(buf));
    const { line, column } = positionOfByte(buf, at);
    const byte = `0x${buf[at]!.toString(16).toUpperCase().padStart(2, '0')}`;
    throw new MeshplaneError('input-encoding', `${file} is not valid UTF-8 text`, [{ where: { file, line, column }, message: `the byte ${byte} here does not start or continue a UTF-8 character (the file may be Latin-1, Windows-1252 or UTF-16)` }], fix.encoding);
  }
  const nul = buf.indexOf(0);
  if (nul >= 0) {
    const { line, column } = positionOfByte(buf, nul);
    throw new MeshplaneError('yaml-invalid', `${file} looks like a binary file`, [{ where: { file, line, column }, message: 'the first NUL byte is here' }], fix.binary);
  }
  return text;
}

/**
 * The offset of the first byte that breaks UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), or -1 when every byte is well-formed. Agrees with the WHATWG decoder
 * that `decodeUtf8` uses (the unit test checks both on random bytes).
 */
export function invalidUtf8At(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const lead = buf[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    const shape = utf8Shape(lead);
    if (!shape) return i;
    let cp = lead & shape.mask;
    for (let k = 1; k <= shape.continuation; k += 1) {
      const next = buf[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (next & 0x3f);
    }
    if (cp < shape.min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += shape.continuation + 1;
  }
  return -1;
}

/** What a lead byte promises: continuation bytes, payload mask, smallest code point (to refuse overlong forms). */
function utf8Shape(lead: number): { continuation: number; mask: number; min: number } | undefined {
  if (lead >= 0xc2 && lead <= 0xdf) return { continuation: 1, mask: 0x1f, min: 0x80 };
  if (lead >= 0xe0 && lead <= 0xef) return { continuation: 2, mask: 0x0f, min: 0x800 };
  if (lead >= 0xf0 && lead <= 0xf4) return { continuation: 3, mask: 0x07, min: 0x10000 };
  return undefined;
}

/** 1-based line and column (in characters) of a byte offset whose prefix is valid UTF-8. */
function positionOfByte(buf: Uint8Array, offset: number): { line: number; column: number } {
  const lineStart = offset === 0 ? 0 : buf.lastIndexOf(0x0a, offset - 1) + 1;
  let line = 1;
  for (let i = 0; i < lineStart; i += 1) if (buf[i] === 0x0a) line += 1;
  const column = utf8.decode(buf.subarray(lineStart, offset)).length + 1;
  return { line, column };
}

/** A UTF-16 surrogate without its partner (matched per code unit: no `u` flag on purpose). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Refuses text that is not well-formed Unicode (lone UTF-16 surrogates, which JSON request
 * bodies and YAML/JSON escapes like "\ud800" can carry): encoders would silently replace them,
 * so what is checked would differ from what is applied.
 */
export function checkWellFormed(text: string, file: string, what = 'text'): void {
  const at = text.search(LONE_SURROGATE);
  if (at < 0) return;
  const before = text.slice(0, Math.max(0, at));
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  throw new MeshplaneError('input-encoding', `${file} holds ${what} that is not valid Unicode (a lone UTF-16 surrogate)`, [{ where: { file, line, column }, message: 'a lone surrogate cannot be encoded as UTF-8' }], 'remove the character or write the full surrogate pair (one code point above U+FFFF)');
}
