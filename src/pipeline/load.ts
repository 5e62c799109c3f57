/**
 * Stage `load`: files → YAML/JSON documents with source positions.
 * `readSourceTree` is the only function here that does I/O; `parseSourceFile` is pure.
 */
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { Document, isMap, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import { MeshplaneError } from '../core/errors.js';
import type { SourceFile, SourcePosition } from '../core/types.js';

/** A parsed document of a source file, with what is needed to point back into it. */
export interface ParsedDocument {
  file: string;
  /** 0-based index of the document in its file's stream. */
  index: number;
  /** 1-based line where the document's content starts. */
  line: number;
  column: number;
  value: unknown;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Limits that keep a hostile source from exhausting memory or time. */
export interface LoadLimits {
  maxFileBytes: number;
  maxTotalBytes: number;
  maxFiles: number;
}

/** Defaults sized far above any real mesh source, far below what would hurt a repo-server. */
export const DEFAULT_LOAD_LIMITS: LoadLimits = {
  maxFileBytes: 16 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  maxFiles: 5000,
};

/** File endings that can hold manifests. Others (READMEs, scripts, charts' .tpl) are not read. */
const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Folders never descended into: VCS metadata and dependency trees hold no mesh manifests. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

/**
 * Reads every manifest file below `root` (sorted by path, so output never depends on the
 * file system's order). Symlinks are not followed; a symlink is reported as an error when it
 * points outside the tree, and skipped with a notice otherwise.
 */
export async function readSourceTree(root: string, limits: LoadLimits = DEFAULT_LOAD_LIMITS): Promise<SourceFile[]> {
  const rootReal = await realpathOrFail(root);
  const found: string[] = [];
  await walk(rootReal, '', found, limits);
  found.sort(compareStrings);
  // Sizes are checked before anything is read, so a file of hundreds of MB fails fast and is never loaded.
  const sizes = await Promise.all(found.map(async (rel) => (await stat(path.join(rootReal, rel))).size));
  let total = 0;
  found.forEach((rel, i) => checkSize(rel, sizes[i] ?? 0, (total += sizes[i] ?? 0), limits));
  const files: SourceFile[] = [];
  total = 0;
  for (const rel of found) {
    const buf = await readFile(path.join(rootReal, rel));
    total += buf.length;
    checkSize(rel, buf.length, total, limits);
    files.push({ path: rel, text: decodeUtf8(buf, rel) });
  }
  return files;
}

/**
 * The files readSourceTree would read from a tree holding `entries` (normalised relative POSIX
 * path → text), without touching disk: same filters (manifest endings, skipped folders), order,
 * limits and UTF-8 checks. The server builds its sources with this.
 */
export function sourceFilesFromTexts(entries: ReadonlyArray<readonly [string, string]>, limits: LoadLimits = DEFAULT_LOAD_LIMITS): SourceFile[] {
  const kept = entries.filter(([rel]) => isReadPath(rel)).sort((a, b) => compareStrings(a[0], b[0]));
  if (kept.length > limits.maxFiles) throw tooLarge(`the source holds more than ${limits.maxFiles} manifest files`);
  let total = 0;
  return kept.map(([rel, text]) => {
    const buf = Buffer.from(text, 'utf8');
    checkSize(rel, buf.length, (total += buf.length), limits);
    return { path: rel, text: decodeUtf8(buf, rel) };
  });
}

function isReadPath(rel: string): boolean {
  const parts = rel.split('/');
  const name = parts.pop() ?? '';
  return !parts.some((d) => SKIPPED_DIRS.has(d)) && MANIFEST_EXTENSIONS.includes(path.extname(name).toLowerCase());
}

function checkSize(rel: string, size: number, total: number, limits: LoadLimits): void {
  if (size > limits.maxFileBytes) throw tooLarge(`${rel} is ${size} bytes, over the ${limits.maxFileBytes}-byte limit for one file`);
  if (total > limits.maxTotalBytes) throw tooLarge(`the source holds more than ${limits.maxTotalBytes} bytes of manifests`);
}

async function realpathOrFail(root: string): Promise<string> {
  try {
    const real = await realpath(root);
    const st = await lstat(real);
    if (!st.isDirectory()) throw new Error('not a directory');
    return real;
  } catch (err) {
    throw new MeshplaneError('source-unreadable', `cannot read the source directory ${root}: ${(err as Error).message}`, [], 'pass the folder that holds mesh.yaml, e.g. `meshplane generate examples/single-revision`');
  }
}

async function walk(rootReal: string, rel: string, out: string[], limits: LoadLimits): Promise<void> {
  const entries = await readdir(path.join(rootReal, rel), { withFileTypes: true });
  for (const e of entries) {
    const childRel = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name)) await walk(rootReal, childRel, out, limits);
    } else if (e.isSymbolicLink()) {
      await checkSymlink(rootReal, childRel);
    } else if (e.isFile() && MANIFEST_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) {
      out.push(childRel);
      if (out.length > limits.maxFiles) throw tooLarge(`the source holds more than ${limits.maxFiles} manifest files`);
    }
  }
}

async function checkSymlink(rootReal: string, rel: string): Promise<void> {
  let target: string;
  try {
    target = await realpath(path.join(rootReal, rel));
  } catch {
    throw new MeshplaneError('source-unreadable', `${rel} is a broken symbolic link`, [], 'remove the link or point it at a file inside the source tree');
  }
  if (target !== rootReal && !target.startsWith(rootReal + path.sep)) {
    throw new MeshplaneError('source-unreadable', `${rel} is a symbolic link to ${target}, outside the source tree`, [], 'copy the file into the source tree; Meshplane never reads outside it');
  }
  throw new MeshplaneError('source-unreadable', `${rel} is a symbolic link`, [], 'replace the link with the file itself: Argo CD resets links and file modes when it copies the source, so links do not behave the same in the sidecar');
}

function tooLarge(message: string): MeshplaneError {
  return new MeshplaneError('input-too-large', message, [], 'keep only manifests in the app source, or split it into several Applications');
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 strictly (a BOM is dropped); binary or mis-encoded files are an error. */
export function decodeUtf8(buf: Uint8Array, file: string): string {
  let text: string;
  try {
    text = utf8.decode(buf);
  } catch {
    throw new MeshplaneError('yaml-invalid', `${file} is not valid UTF-8 text`, [{ where: { file, line: 1, column: 1 }, message: 'the file holds bytes that are not UTF-8' }], 'save the file as UTF-8, or remove it from the source if it is not a manifest');
  }
  if (text.includes('\u0000')) {
    throw new MeshplaneError('yaml-invalid', `${file} looks like a binary file`, [{ where: { file, line: 1, column: 1 }, message: 'the file holds NUL bytes' }], 'remove binary files from the app source or rename them away from .yaml/.yml/.json');
  }
  return text;
}

/** Aliases allowed per document: enough for real manifests, too few for an alias bomb. */
const MAX_ALIAS_COUNT = 100;

/** Parses a file into its documents. Empty and comment-only documents are dropped. */
export function parseSourceFile(file: SourceFile): ParsedDocument[] {
  const lines = new LineCounter();
  const text = file.text.charCodeAt(0) === 0xfeff ? file.text.slice(1) : file.text;
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
  const list: Document.Parsed[] = Array.from(docs);
  const out: ParsedDocument[] = [];
  list.forEach((doc, index) => {
    const problem = doc.errors[0];
    if (problem) throw yamlError(file.path, lines, problem.pos[0], problem.message);
    if (doc.contents === null) return;
    const start = lines.linePos(doc.contents.range?.[0] ?? 0);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      throw yamlError(file.path, lines, doc.contents.range?.[0] ?? 0, (err as Error).message);
    }
    out.push({ file: file.path, index, line: start.line, column: start.col, value, doc, lines });
  });
  return out;
}

function yamlError(file: string, lines: LineCounter, offset: number, message: string): MeshplaneError {
  const pos = lines.linePos(offset);
  const where = { file, line: pos.line, column: pos.col };
  const first = message.split('\n')[0] ?? message;
  return new MeshplaneError('yaml-invalid', `${file} is not valid YAML`, [{ where, message: first }], 'fix the YAML at that position (duplicate keys, tabs for indentation and unclosed quotes are the usual causes)');
}

/** A path into a document: keys and list indexes. */
export type FieldPath = ReadonlyArray<string | number>;

/**
 * The source position of the deepest node along `fieldPath` that exists in the document
 * (so a missing field points at its parent). Falls back to the document start.
 */
export function positionOf(doc: ParsedDocument, fieldPath: FieldPath): SourcePosition {
  let node: unknown = doc.doc.contents;
  let best: Node | undefined = node as Node | undefined;
  for (const key of fieldPath) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      best = (pair.key as Node) ?? best;
      node = pair.value;
      if (node && (node as Node).range) best = pair.key as Node;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      if (!node) break;
      best = node as Node;
    } else break;
  }
  const offset = best?.range?.[0] ?? doc.doc.contents?.range?.[0] ?? 0;
  const p = doc.lines.linePos(offset);
  return { file: doc.file, line: p.line, column: p.col };
}

/** Formats a field path as `spec.istio.revisions[2]`. */
export function formatFieldPath(fieldPath: FieldPath): string {
  let out = '';
  for (const k of fieldPath) out += typeof k === 'number' ? `[${k}]` : out ? `.${k}` : k;
  return out;
}
