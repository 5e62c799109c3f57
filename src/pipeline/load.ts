/**
 * Stage `load`: files → YAML/JSON documents with source positions.
 * `readSourceTree` is the only function here that does I/O; `parseSourceFile` is pure.
 */
import { lstatSync, promises as fsp, readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import { Document, isMap, isScalar, isSeq, LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import { parseYamlStream } from '../core/yaml-parse.js';
import { MeshplaneError } from '../core/errors.js';
import { checkWellFormed, decodeUtf8, describeFsError, PROMISE_FILE_IO, readRegularFile, SYNC_FILE_IO, type FileIo } from '../core/read-input.js';
import { checkDocumentNodes, NodeCheckError, nodeProblemError } from './yaml-guards.js';
import { checkHeapBudget } from './heap-budget.js';
import { childName, faithfulJson, type CachedDocument, type ParseCache, type PositionTree } from '../engine/parse-cache.js';
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
  /**
   * For a document read from the parse cache: where each of its nodes is
   * (src/engine/parse-cache.ts), which {@link positionOf} answers from without parsing; `doc`
   * and `lines` are then parsed again only when something asks for them.
   */
  positions?: PositionTree;
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

/** How {@link readSourceTree} walks: the defaults are an app source's (every symlink refused, no depth limit but the path length). */
export interface WalkOptions {
  /** When given, symlinks are listed here (relative paths) and skipped instead of refused: a fleet of many app sources reads past them. */
  symlinks?: string[];
  /** Folders deeper than this below the root are an input error. */
  maxDepth?: number;
  /**
   * `sync`: every call blocks the thread instead of going through libuv's thread pool. Same
   * files, same checks, same errors. For `meshplane generate`, which has nothing else to run
   * meanwhile and whose template evaluation, started ahead, holds one of the pool's threads and one
   * of the cores: each pool round trip then waits its turn (~5-15 ms for a small source,
   * docs/performance.md). Default `async`.
   */
  io?: 'async' | 'sync';
}

/** The calls the walk makes: the promise API's or the synchronous ones (see {@link WalkOptions.io}). */
interface TreeIo {
  realpath(p: string): Promise<string> | string;
  lstat(p: string): Promise<Stats> | Stats;
  stat(p: string): Promise<Stats> | Stats;
  readdir(p: string): Promise<Dirent<Buffer>[]> | Dirent<Buffer>[];
  file: FileIo<unknown>;
}

/** Through fs.promises, loaded on first use (see PROMISE_FILE_IO in src/core/read-input.ts). */
const PROMISE_TREE_IO: TreeIo = {
  realpath: (p) => fsp.realpath(p),
  lstat: (p) => fsp.lstat(p),
  stat: (p) => fsp.stat(p),
  readdir: (p) => fsp.readdir(p, { withFileTypes: true, encoding: 'buffer' }),
  file: PROMISE_FILE_IO,
};

const SYNC_TREE_IO: TreeIo = {
  realpath: (p) => realpathSync(p),
  lstat: (p) => lstatSync(p),
  stat: (p) => statSync(p),
  readdir: (p) => readdirSync(p, { withFileTypes: true, encoding: 'buffer' }),
  file: SYNC_FILE_IO,
};

/**
 * Reads every manifest file below `root` (sorted by path, so output never depends on the
 * file system's order). Symlinks are not followed; a symlink is reported as an error when it
 * points outside the tree, and skipped with a notice otherwise.
 */
export async function readSourceTree(root: string, limits: LoadLimits = DEFAULT_LOAD_LIMITS, options: WalkOptions = {}): Promise<SourceFile[]> {
  const io = options.io === 'sync' ? SYNC_TREE_IO : PROMISE_TREE_IO;
  const rootReal = await realpathOrFail(root, io);
  const found: string[] = [];
  await walk(rootReal, '', found, limits, options, io);
  found.sort(compareStrings);
  // Sizes are checked before anything is read, so a file of hundreds of MB fails fast and is never loaded.
  const sizes = await Promise.all(found.map(async (rel) => fsStep(rel, async () => (await io.stat(path.join(rootReal, rel))).size)));
  let total = 0;
  found.forEach((rel, i) => checkSize(rel, sizes[i] ?? 0, (total += sizes[i] ?? 0), limits));
  const files: SourceFile[] = [];
  total = 0;
  for (const rel of found) {
    const buf = await readRegularFile(path.join(rootReal, rel), { shown: rel, fix: 'make it a readable regular file inside the source tree, or remove it' }, limits.maxFileBytes, io.file);
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
    checkWellFormed(rel, rel, 'a file name');
    checkWellFormed(text, rel);
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

/** The source root as a user would name it: relative to the working directory when inside it (commands pass it resolved). */
function shownRoot(root: string): string {
  const rel = path.relative(process.cwd(), root);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : root;
}

async function realpathOrFail(root: string, io: TreeIo): Promise<string> {
  try {
    const real = await io.realpath(root);
    const st = await io.lstat(real);
    if (!st.isDirectory()) throw new Error('not a directory');
    return real;
  } catch (err) {
    const why = err instanceof Error && err.message === 'not a directory' ? 'not a directory' : describeFsError(err);
    throw new MeshplaneError('source-unreadable', `cannot read the source directory ${shownRoot(root)}: ${why}`, [], 'pass the folder that holds mesh.yaml, e.g. `meshplane generate examples/single-revision`');
  }
}

/**
 * Paths longer than this (bytes, absolute) are refused before the system refuses them. Why 4095:
 * Linux's PATH_MAX is 4096 bytes including the terminating NUL (include/uapi/linux/limits.h).
 */
const MAX_PATH_BYTES = 4095;

/** Shortens a long relative path for a message: its start and end stay readable. */
function shortPath(rel: string): string {
  return rel.length <= 160 ? rel : `${rel.slice(0, 60)}…${rel.slice(-80)} (${rel.length} characters)`;
}

/** Runs one file-system step for `rel`; a system error becomes an input error naming the relative path. */
async function fsStep<T>(rel: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof MeshplaneError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENAMETOOLONG') throw pathTooLong(rel);
    throw new MeshplaneError('source-unreadable', `cannot read ${shortPath(rel) || 'the source directory'}: ${describeFsError(err)}`, [], 'make the files of the source readable by the user Meshplane runs as, or remove them');
  }
}

function pathTooLong(rel: string): MeshplaneError {
  return new MeshplaneError('input-path-invalid', `the path ${shortPath(rel)} is longer than the system allows (${MAX_PATH_BYTES} bytes with the source folder)`, [], 'flatten the folder structure or shorten the names; no tool can read a path that long');
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A file name as text, or an input error when its bytes are not UTF-8 (shown with the bad bytes escaped). */
function entryName(raw: Buffer, parentRel: string): string {
  try {
    return strictUtf8.decode(raw);
  } catch {
    const shown = Array.from(raw, (b) => (b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
    const rel = parentRel ? `${parentRel}/${shown}` : shown;
    throw new MeshplaneError('input-encoding', `the file name ${rel} is not valid UTF-8`, [{ where: { file: rel, line: 1, column: 1 }, message: 'Git, Kubernetes and Argo CD expect UTF-8 file names' }], 'rename the file with UTF-8 characters only');
  }
}

async function walk(rootReal: string, rel: string, out: string[], limits: LoadLimits, options: WalkOptions, io: TreeIo): Promise<void> {
  const dir = path.join(rootReal, rel);
  if (Buffer.byteLength(dir) > MAX_PATH_BYTES) throw pathTooLong(rel);
  if (options.maxDepth !== undefined && rel.split('/').length > options.maxDepth) {
    throw new MeshplaneError('input-too-large', `${shortPath(rel)} is more than ${options.maxDepth} folders deep`, [], 'point Meshplane at the folder that holds the clusters, or flatten the layout');
  }
  const entries = await fsStep(rel, async () => io.readdir(dir));
  for (const e of entries) {
    const name = entryName(e.name, rel);
    const childRel = rel ? `${rel}/${name}` : name;
    if (Buffer.byteLength(path.join(rootReal, childRel)) > MAX_PATH_BYTES) throw pathTooLong(childRel);
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(name)) await walk(rootReal, childRel, out, limits, options, io);
    } else if (e.isSymbolicLink()) {
      if (options.symlinks) options.symlinks.push(childRel);
      else await checkSymlink(rootReal, childRel, io);
    } else if (MANIFEST_EXTENSIONS.includes(path.extname(name).toLowerCase())) {
      // Not only regular files: a pipe, socket or device named *.yaml is listed too, so that
      // readRegularFile refuses it by name (input-not-a-file) instead of it being skipped unseen.
      out.push(childRel);
      if (out.length > limits.maxFiles) throw tooLarge(`the source holds more than ${limits.maxFiles} manifest files`);
    }
  }
}

async function checkSymlink(rootReal: string, rel: string, io: TreeIo): Promise<void> {
  let target: string;
  try {
    target = await io.realpath(path.join(rootReal, rel));
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

/** Strict UTF-8 decoding, shared with every other input (see src/core/read-input.ts). */
export { decodeUtf8 };

/**
 * The yaml library's own alias limit is off (-1): it counts alias uses, not their size, so it both
 * refused real files (a label anchor merged into more than 100 objects) and let a few MB grow into
 * hundreds of MB. {@link checkDocumentNodes} bounds the expanded size instead, before toJS runs.
 */
const MAX_ALIAS_COUNT = -1;

/**
 * Expansion budget of one file, in the units of {@link checkDocumentNodes} (about bytes): twice
 * the file's length, and at least 4 MiB. Why: real manifests reuse small anchors (labels,
 * resources), which stays far below; an alias bomb needs far more.
 */
function expansionBudget(textLength: number): number {
  return Math.max(4 * 1024 * 1024, 2 * textLength);
}

/** What is left of an expansion budget; shared by every file of one source. */
interface Budget {
  left: number;
  /** The whole source's budget, for the message. */
  total: number;
}

/**
 * Parses every file of one source with {@link parseSourceFile}, under one expansion budget for
 * the whole source (twice its total length, at least 4 MiB) besides each file's own. Why: with
 * per-file budgets only, many small files each just under 4 MiB of expansion add up to
 * gigabytes of output.
 */
export function parseSourceFiles(files: readonly SourceFile[], cache?: ParseCache): ParsedDocument[] {
  // Before any parse: a source the heap cannot hold is refused by name, not by a V8 abort.
  checkHeapBudget(files);
  const total = expansionBudget(files.reduce((n, f) => n + f.text.length, 0));
  const source: Budget = { left: total, total };
  if (!cache) return files.flatMap((file) => parseWithBudget(file, source));
  // A source of more files than the cache holds would only push its own entries out.
  const store = files.length <= cache.capacity;
  try {
    return files.flatMap((file) => fromCache(file, cache, source) ?? parseAndStore(file, source, store ? cache : undefined));
  } finally {
    cache.done();
  }
}

/** Files larger than this are parsed every time: their entries (value and positions) would cost more to keep than to make. */
const MAX_CACHED_FILE_CHARS = 1024 * 1024;

/**
 * The documents of `file` from the cache, with the source's expansion budget charged as a parse
 * would charge it; undefined when the cache has no entry, or when the budget would not hold (the
 * parse then says where and why, as it always does).
 */
function fromCache(file: SourceFile, cache: ParseCache, source: Budget): ParsedDocument[] | undefined {
  const text = withoutBom(file.text);
  if (text.length > MAX_CACHED_FILE_CHARS) return undefined;
  const stored = cache.get(text);
  if (!stored) return undefined;
  // checkDocumentNodes fails a document exactly when what it uses exceeds what is left.
  let budget = Math.min(expansionBudget(text.length), source.left);
  for (const d of stored) {
    if (d.used > budget) return undefined;
    budget -= d.used;
  }
  source.left -= stored.reduce((n, d) => n + d.used, 0);
  const again = reparse(text);
  return stored.map((d) => cachedDocument(file.path, d, again));
}

/**
 * Parses `file` and, given a cache, stores what the parse made when the file is small, JSON
 * carries its values unchanged and every map key is a plain scalar. Why the keys: for a key
 * that is a collection the parser's value warns on stderr (a process warning), which a
 * document read back would not. Storing never fails the parse: any error means "not stored".
 */
function parseAndStore(file: SourceFile, source: Budget, cache: ParseCache | undefined): ParsedDocument[] {
  const used: number[] = [];
  const docs = parseWithBudget(file, source, used);
  const text = withoutBom(file.text);
  if (!cache || text.length > MAX_CACHED_FILE_CHARS || used.length !== docs.length) return docs;
  try {
    const stored: CachedDocument[] = [];
    for (const [i, d] of docs.entries()) {
      const positions = faithfulJson(d.value) ? positionTree(d) : undefined;
      if (!positions) return docs;
      stored.push({ index: d.index, line: d.line, column: d.column, used: used[i] as number, value: d.value, positions });
    }
    cache.set(text, stored);
  } catch {
    // not stored
  }
  return docs;
}

/** A cached document: its value and positions as stored, its `doc` and `lines` parsed again on first use. */
function cachedDocument(file: string, d: CachedDocument, again: () => { list: Document.Parsed[]; lines: LineCounter }): ParsedDocument {
  return {
    file,
    index: d.index,
    line: d.line,
    column: d.column,
    value: d.value,
    positions: d.positions,
    get doc() {
      const doc = again().list[d.index];
      // Only an entry altered by hand can name a document its text does not have (entries are checksummed).
      if (!doc) throw new Error(`the parse cache's entry for ${file} names document ${d.index}, which the file does not have: remove the render cache's parses folder`);
      return doc;
    },
    get lines() {
      return again().lines;
    },
  };
}

/** The parse of `text` the cache stood in for, made once when first asked for (the text was parsed and checked before it was stored). */
function reparse(text: string): () => { list: Document.Parsed[]; lines: LineCounter } {
  let made: { list: Document.Parsed[]; lines: LineCounter } | undefined;
  return () => {
    if (!made) {
      const lines = new LineCounter();
      made = { list: parseYamlStream(text, { ...PARSE_OPTIONS, lineCounter: lines }), lines };
    }
    return made;
  };
}

/**
 * Where {@link positionOf} finds each node of `doc`, as a tree: every key of a map (the first
 * pair with that key, as positionOf finds it) and every item of a sequence, walked from the root
 * as positionOf walks. Undefined when a map has a key that is not a plain scalar (a collection
 * or an alias: see {@link parseAndStore}).
 */
function positionTree(doc: ParsedDocument): PositionTree | undefined {
  let plainKeys = true;
  const start = doc.doc.contents?.range?.[0] ?? 0;
  const at = (offset: number): [number, number] => {
    const p = doc.lines.linePos(offset);
    return [p.line, p.col];
  };
  const tree = (node: unknown, self: [number, number]): PositionTree => {
    if (isMap(node)) {
      const kids: Record<string, PositionTree> = {};
      for (const pair of node.items) {
        if (pair.key !== null && !isScalar(pair.key)) plainKeys = false;
        const key = (pair.key as { value?: unknown } | null)?.value;
        if (typeof key !== 'string' && typeof key !== 'number') continue;
        const name = childName(key);
        if (!Object.hasOwn(kids, name)) kids[name] = tree(pair.value, at((pair.key as Node).range?.[0] ?? start));
      }
      return [...self, kids];
    }
    if (isSeq(node)) return [...self, node.items.map((item) => (item ? tree(item, at((item as Node).range?.[0] ?? start)) : null))];
    return self;
  };
  const root = tree(doc.doc.contents, at(start));
  return plainKeys ? root : undefined;
}

/**
 * `doc` with another value, everything else as it is: for a document read from the parse cache,
 * its `doc` and `lines` stay unparsed until asked for (a spread would parse them).
 */
export function withValue(doc: ParsedDocument, value: unknown): ParsedDocument {
  return Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(doc), value: { value, enumerable: true, writable: true, configurable: true } }) as ParsedDocument;
}

/**
 * Where item `i` of a List document starts: the item's node, else the document's start (as
 * collect.ts has always reported it); from the stored positions for a document read from the
 * parse cache.
 */
export function listItemPosition(doc: ParsedDocument, i: number): { line: number; col: number } {
  if (doc.positions) {
    // The item only when `items` is a sequence (a map keyed "0", "1"... has no items: `i` is a number).
    const items = treeChild(doc.positions, 'items');
    const at = (items && Array.isArray(items[2]) ? treeChild(items, i) : undefined) ?? doc.positions;
    return { line: at[0], col: at[1] };
  }
  const root = doc.doc.contents;
  const pair = isMap(root) ? root.items.find((p) => (p.key as { value?: unknown } | null)?.value === 'items') : undefined;
  const node = isSeq(pair?.value) ? (pair.value.items[i] as Node | undefined) : undefined;
  return doc.lines.linePos(node?.range?.[0] ?? root?.range?.[0] ?? 0);
}

/**
 * Parses a file into its documents. Empty and comment-only documents are dropped. Merge keys
 * (`<<`) are resolved as go-yaml resolves them for kubectl, kustomize, Helm and Argo CD, and
 * every document passes {@link checkDocumentNodes} (expansion budget, finite numbers,
 * well-formed strings) before its values are built.
 */
export function parseSourceFile(file: SourceFile): ParsedDocument[] {
  checkHeapBudget([file]);
  return parseWithBudget(file, { left: Number.POSITIVE_INFINITY, total: Number.POSITIVE_INFINITY });
}

/** Names the limit that binds, what it is, and how much of it earlier documents used. */
function budgetText(left: number, fileTotal: number, source: Budget): string {
  const rule = 'twice the size, at least 4 MiB';
  if (source.left < fileTotal && source.left === left) {
    return `the whole source's limit of ${source.total} units (about bytes; ${rule}), of which earlier files and documents used ${source.total - source.left}`;
  }
  return `this file's limit of ${fileTotal} units (about bytes; ${rule})${left < fileTotal ? `, of which earlier documents used ${fileTotal - left}` : ''}`;
}

/** How every source file is parsed (the parse cache's entries are only good for these); repeated keys are always errors (core/yaml-parse.ts). */
const PARSE_OPTIONS = { prettyErrors: false, strict: true, merge: true } as const;

function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses one file under `source`'s budget; `used`, when given, receives the expansion each returned document used. */
function parseWithBudget(file: SourceFile, source: Budget, used?: number[]): ParsedDocument[] {
  const lines = new LineCounter();
  const text = withoutBom(file.text);
  checkWellFormed(text, file.path);
  const list = parseYamlStream(text, { ...PARSE_OPTIONS, lineCounter: lines });
  const out: ParsedDocument[] = [];
  const fileTotal = expansionBudget(text.length);
  let budget = Math.min(fileTotal, source.left);
  list.forEach((doc, index) => {
    const problem = doc.errors[0];
    if (problem) throw yamlError(file.path, lines, problem.pos[0], problem.message);
    if (doc.contents === null) return;
    const start = lines.linePos(doc.contents.range?.[0] ?? 0);
    try {
      const spent = checkDocumentNodes(doc, budget, budgetText(budget, fileTotal, source));
      budget -= spent;
      source.left -= spent;
      used?.push(spent);
    } catch (err) {
      if (err instanceof NodeCheckError) throw nodeProblemError(err.problem, file.path, (o) => lines.linePos(o));
      throw err;
    }
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

/** V8's message for a RangeError from a full stack (the parser and toJS recurse once per nesting level). */
const TOO_DEEP = /^Maximum call stack size exceeded/;

function yamlError(file: string, lines: LineCounter, offset: number, message: string): MeshplaneError {
  const pos = lines.linePos(offset);
  const where = { file, line: pos.line, column: pos.col };
  const first = message.split('\n')[0] ?? message;
  if (TOO_DEEP.test(first)) {
    return new MeshplaneError('yaml-invalid', `${file} is nested too deeply to read`, [{ where, message: 'lists or maps nested a few hundred levels deep (or more) from here exhaust the parser\'s stack' }], 'flatten the nesting at that position: no Kubernetes object nests anywhere near this deep, so the text is damaged or generated wrongly');
  }
  return new MeshplaneError('yaml-invalid', `${file} is not valid YAML`, [{ where, message: first }], 'fix the YAML at that position (duplicate keys, tabs for indentation and unclosed quotes are the usual causes)');
}

/** A path into a document: keys and list indexes. */
export type FieldPath = ReadonlyArray<string | number>;

/**
 * The source position of the deepest node along `fieldPath` that exists in the document
 * (so a missing field points at its parent). Falls back to the document start.
 */
export function positionOf(doc: ParsedDocument, fieldPath: FieldPath): SourcePosition {
  if (doc.positions) return storedPosition(doc.file, doc.positions, fieldPath);
  let node: unknown = doc.doc.contents;
  let best: Node | undefined = node as Node | undefined;
  for (const key of fieldPath) {
    if (isMap(node)) {
      const pair = pairWithKey(node, key);
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

/** Maps with more pairs than this get a key index on their first lookup; a short scan is cheaper than building one. */
const INDEXED_MAP_SIZE = 16;

/** Per-map key index of {@link pairWithKey}: each key value to the first pair that has it. */
const pairIndexes = new WeakMap<YAMLMap, Map<unknown, Pair>>();

/**
 * The first pair of `map` whose key's value is `key` (the pair `Array.find` would return). A
 * map of many keys is indexed on its first lookup, so locating K findings in a mapping of K keys
 * stays linear instead of scanning the keys for each finding.
 */
export function pairWithKey(map: YAMLMap, key: string | number): Pair | undefined {
  const keyOf = (p: Pair): unknown => (p.key as { value?: unknown } | null)?.value;
  if (map.items.length <= INDEXED_MAP_SIZE) return map.items.find((p) => keyOf(p) === key);
  let index = pairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) {
      const value = keyOf(p);
      if (value !== undefined && !index.has(value)) index.set(value, p);
    }
    pairIndexes.set(map, index);
  }
  return index.get(key);
}

/** {@link positionOf} for a document from the parse cache: the deepest node along the path that exists, as positionOf walks. */
function storedPosition(file: string, tree: PositionTree, fieldPath: FieldPath): SourcePosition {
  let node = tree;
  for (const key of fieldPath) {
    const next = treeChild(node, key);
    if (!next) break;
    node = next;
  }
  return { file, line: node[0], column: node[1] };
}

/** The child of a stored node that positionOf's walk would step to for `key`: a sequence's item by a number, a map's entry by its key. */
function treeChild(node: PositionTree, key: string | number): PositionTree | undefined {
  const kids = node[2];
  if (Array.isArray(kids)) return typeof key === 'number' ? (kids[key] ?? undefined) : undefined;
  return kids && Object.hasOwn(kids, childName(key)) ? kids[childName(key)] : undefined;
}

/** Formats a field path as `spec.istio.revisions[2]`. */
export function formatFieldPath(fieldPath: FieldPath): string {
  let out = '';
  for (const k of fieldPath) out += typeof k === 'number' ? `[${k}]` : out ? `.${k}` : k;
  return out;
}
