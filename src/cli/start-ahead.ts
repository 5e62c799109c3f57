/**
 * The first step of a `meshplane generate` process: start the template evaluation before the
 * rest of the CLI is even loaded. libjsonnet spends ~45 ms of an evaluation setting up its
 * standard library and reading the templates before it asks for its input; started here, that
 * set-up runs on the addon's thread while the main thread loads the CLI and reads and resolves
 * the intent (docs/performance.md "What makes a cold generate fast"). The template engine then
 * adopts the evaluation and supplies the input, if, and only if, it evaluates exactly the
 * templates the engine would (src/engine/template-engine.ts `adopt`).
 *
 * bin/meshplane loads this module's own small bundle (dist/src/bundle/start-ahead.cjs, built
 * with the generate bundle by scripts/bundle.mjs), so it imports only leaf modules.
 *
 * An evaluation started for nothing cannot be cancelled before its set-up ends: a `generate` whose
 * evaluation the render cache already holds (a second render of a commit, or a commit that only
 * changed the applications beside mesh.yaml, the usual case) would pay ~45 ms of CPU for it, and
 * wait for it to end. The template input, and so the evaluation, comes from the intent's file and
 * the lock's, the arguments and the variables; so each generate whose evaluation ended on disk
 * (or that needed none) leaves a record naming those files and a digest of their text
 * (./start-ahead-record.ts), and the next one asked the same way, in the same place, on the same
 * day, whose files still have that text does not start one ("expected-stored"). A record only
 * predicts: when it is wrong the engine evaluates at the usual moment, and nothing the render
 * prints ever comes from a record.
 *
 * Why no node:crypto here (nor anything that loads it, like the disk cache): loading it costs
 * ~3 ms, which would delay the start. The record's name is a plain hash ({@link recordName}), and
 * a record is read without checking its checksum: a record only predicts, so a collision or a
 * damaged record costs one wrong guess, never a wrong output.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { generateEnv, type GenerateEnv } from '../core/generate-env.js';
import { packagePath } from '../core/paths.js';
import { loadJsonnet } from '../engine/addon.js';
import { defaultCacheDir, markFileUsed, preparePrivateDir } from '../engine/private-dir.js';
import { startEvaluation, type StartedEvaluation } from '../engine/started-evaluation.js';

/** What the step decided. */
export type StartAheadDecision = 'started' | 'expected-stored' | 'skipped' | 'unavailable';

/** The outcome of {@link startAhead}. */
export interface StartAhead {
  decision: StartAheadDecision;
  /** Why it did not start (for MESHPLANE_DEBUG). */
  reason?: string;
  /** The record key of this generate, when records are kept. */
  key?: string;
  /** `expected-stored`: the files of the record that predicted it (their text was just checked against it). */
  recordFiles?: string[];
  started?: StartedEvaluation;
}

/** The process as the step sees it. */
export interface StartAheadRequest {
  /** The arguments after `meshplane`. */
  argv: readonly string[];
  env: GenerateEnv;
  cwd: string;
}

/** The templates bundle asking for its input natively, written by the build (scripts/bundle.mjs). */
export const STARTED_TEMPLATES = ['dist', 'src', 'bundle', 'templates.jsonnet'] as const;

/** The records' folder, inside the render cache's. */
export const RECORDS_FOLDER = 'start-ahead';

/** Bumped when a record's meaning changes. */
export const RECORD_FORMAT = 'meshplane-start-ahead-2';

/**
 * Why these: in Argo CD's sidecar every render runs in a fresh temporary folder, so the folder
 * does not say "the same source"; the Application and where its source lies do (Argo CD sets them
 * on every render). Not the commit: most commits leave mesh.yaml as it was, and the record's
 * digest of the intent's file says whether this one did.
 */
const ARGO_IDENTITY = ['ARGOCD_APP_NAME', 'ARGOCD_APP_NAMESPACE', 'ARGOCD_APP_SOURCE_PATH', 'ARGOCD_APP_SOURCE_REPO_URL'] as const;

/** The day the render is judged on, as far as the step can tell without parsing arguments: today (UTC); `--now` and ARGOCD_ENV_MESHPLANE_NOW are in the key anyway. */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Why it does not start, or undefined when it should. */
function skipReason(argv: readonly string[], env: GenerateEnv): string | undefined {
  if (argv[0] !== 'generate') return 'not generate';
  if (env.MESHPLANE_START_AHEAD === 'off') return 'MESHPLANE_START_AHEAD=off';
  if (argv.some((a) => a === '-h' || a === '--help')) return 'help';
  // Client mode renders on the server: nothing to evaluate here.
  if (clientMode(argv, env)) return 'client mode';
  return undefined;
}

/**
 * True when a generate asks a Meshplane server to render (MESHPLANE_SERVER, or a --server word),
 * as far as can be told without parsing the arguments; the CLI's parser has the last word.
 * bin/meshplane makes the same test (its `asksServer`, before it loads this bundle) to pick the
 * client bundle, which falls back to the full CLI; test/acceptance/server.test.ts holds them equal.
 */
export function clientMode(argv: readonly string[], env: GenerateEnv): boolean {
  return Boolean(env.MESHPLANE_SERVER) || argv.some((a) => a === '--server' || a.startsWith('--server='));
}

/** The first line of the generate bundle (its build id), read without the rest; '' when missing. */
function bundleBuildLine(): string {
  try {
    const fd = openSync(packagePath('dist', 'src', 'bundle', 'generate.cjs'), 'r');
    try {
      const head = Buffer.alloc(100);
      const n = readSync(fd, head, 0, head.length, 0);
      return head.subarray(0, n).toString('latin1').split('\n')[0] ?? '';
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}

/** True when this generate runs in Argo CD's sidecar (it names the Application it renders). */
export function inArgoCd(env: GenerateEnv): boolean {
  return typeof env.ARGOCD_APP_NAME === 'string' && env.ARGOCD_APP_NAME !== '';
}

/**
 * The record key of a generate: the build, the arguments, the variables that change the render,
 * the day (the clock reaches the template input), and where the source is (the Argo CD
 * Application, else the working folder).
 */
export function startAheadKey(req: StartAheadRequest, buildLine: string, day: string): string {
  const where = inArgoCd(req.env) ? ARGO_IDENTITY.flatMap((n) => [n, req.env[n] ?? '']) : ['cwd', req.cwd];
  return recordName([RECORD_FORMAT, buildLine, day, String(req.argv.length), ...req.argv, ...where, ...Object.entries(generateEnv(req.env)).flat()]);
}

/** Where a recorded file is looked for: relative to the working folder in Argo CD (a new one each render), else absolute. */
export function recordedPath(env: GenerateEnv, cwd: string, file: string): string {
  return inArgoCd(env) ? path.relative(cwd, file) : file;
}

/**
 * A 64-hex-digit name for `fields` (the disk cache's entry names have that form): eight 32-bit
 * FNV-1a lanes with different offsets over each field's length and text. Not a cryptographic
 * hash, on purpose (see the module comment): only ever a record's name.
 */
export function recordName(fields: readonly string[]): string {
  // Eight locals, not an array and a closure: the step runs once per process, in V8's interpreter,
  // where this loop over the intent's text was most of its cost. Same lanes, same result.
  let l0 = lane(0), l1 = lane(1), l2 = lane(2), l3 = lane(3), l4 = lane(4), l5 = lane(5), l6 = lane(6), l7 = lane(7);
  for (const field of fields) {
    const text = `${field.length}:${field}`;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      l0 = Math.imul(l0 ^ c, FNV_PRIME);
      l1 = Math.imul(l1 ^ c, FNV_PRIME);
      l2 = Math.imul(l2 ^ c, FNV_PRIME);
      l3 = Math.imul(l3 ^ c, FNV_PRIME);
      l4 = Math.imul(l4 ^ c, FNV_PRIME);
      l5 = Math.imul(l5 ^ c, FNV_PRIME);
      l6 = Math.imul(l6 ^ c, FNV_PRIME);
      l7 = Math.imul(l7 ^ c, FNV_PRIME);
    }
  }
  return [l0, l1, l2, l3, l4, l5, l6, l7].map((h) => (h >>> 0).toString(16).padStart(8, '0')).join('');
}

/** FNV-1a's 32-bit prime. */
const FNV_PRIME = 0x01000193;

/** The offset of lane `i`: FNV-1a's offset basis, told apart per lane. */
function lane(i: number): number {
  return (0x811c9dc5 ^ Math.imul(i + 1, 0x9e3779b9)) | 0;
}

/** The records' folder inside the render cache's, or undefined (cache off, or a folder that is not private to this uid). */
export function recordsDir(env: GenerateEnv): string | undefined {
  if (env.MESHPLANE_RENDER_CACHE === 'off') return undefined;
  const parent = env.MESHPLANE_RENDER_CACHE_DIR || defaultCacheDir();
  const dir = path.join(parent, RECORDS_FOLDER);
  return preparePrivateDir(parent) && preparePrivateDir(dir) ? dir : undefined;
}

/** What a record holds (after the disk cache's checksum line). */
export interface AheadRecord {
  format: typeof RECORD_FORMAT;
  /** The files the template input came from (the intent's, the lock's): where they are looked for ({@link recordedPath}). */
  files: string[];
  /** {@link recordName} of their text, in that order. */
  digest: string;
}

/** Why this bound: a record names two files of at most 4 KB paths; anything larger is not one. */
const MAX_RECORD_BYTES = 64 * 1024;

/** Why this bound: an intent or lock file is a few KB; one larger is read by the CLI, not predicted on here. */
const MAX_INPUT_FILE_BYTES = 1024 * 1024;

/** The payload of the record named `key` in `dir` (the disk cache writes a checksum line before it), or undefined ({@link readSmallFile}: a small regular file of this uid only). */
function readRecord(dir: string, key: string): string | undefined {
  const text = readSmallFile(path.join(dir, key), MAX_RECORD_BYTES, true);
  return text === undefined ? undefined : text.slice(text.indexOf('\n') + 1);
}

/**
 * The text of the regular file at `file` when it is at most `maxBytes`, else undefined. Opening
 * never blocks (O_NONBLOCK: a FIFO would wait for a writer forever) and a link to a device is not
 * read to its (missing) end; `ownOnly`: only a file of this uid (the records folder is private).
 */
function readSmallFile(file: string, maxBytes: number, ownOnly: boolean): string | undefined {
  try {
    const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || st.size > maxBytes || (ownOnly && typeof process.getuid === 'function' && st.uid !== process.getuid())) return undefined;
      return readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** The digest a record keeps of `files` (paths as {@link recordedPath} gives them, found from `cwd`), or undefined when one cannot be read. */
export function inputDigest(cwd: string, files: readonly string[]): string | undefined {
  const texts: string[] = [];
  for (const file of files) {
    const text = readSmallFile(path.resolve(cwd, file), MAX_INPUT_FILE_BYTES, false);
    if (text === undefined) return undefined;
    texts.push(file, text);
  }
  return recordName(texts);
}

/** The record's files when it says this generate's evaluation is stored (it is a record, and its files still hold the text it digested); else undefined. */
function expectsStored(record: string | undefined, cwd: string): string[] | undefined {
  if (record === undefined) return undefined;
  let parsed: AheadRecord;
  try {
    parsed = JSON.parse(record) as AheadRecord;
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || parsed.format !== RECORD_FORMAT || typeof parsed.digest !== 'string') return undefined;
  if (!Array.isArray(parsed.files) || parsed.files.length === 0 || parsed.files.length > 2 || !parsed.files.every((f) => typeof f === 'string')) return undefined;
  return inputDigest(cwd, parsed.files) === parsed.digest ? parsed.files : undefined;
}

/**
 * Decides, and starts the evaluation when it should. Never throws: anything unexpected (no addon,
 * no templates bundle) means "not started", and the engine evaluates as it would have anyway.
 */
export function startAhead(req: StartAheadRequest): StartAhead {
  const reason = skipReason(req.argv, req.env);
  if (reason !== undefined) return { decision: 'skipped', reason };
  try {
    const dir = recordsDir(req.env);
    const key = dir !== undefined ? startAheadKey(req, bundleBuildLine(), today()) : undefined;
    const recordFiles = dir !== undefined && key !== undefined ? expectsStored(readRecord(dir, key), req.cwd) : undefined;
    if (dir !== undefined && key !== undefined && recordFiles !== undefined) {
      // Marked used, as the disk cache marks an entry it reads (the generate that follows does not rewrite a record that held).
      markFileUsed(path.join(dir, key));
      return { decision: 'expected-stored', key, recordFiles };
    }
    const text = readFileSync(packagePath(...STARTED_TEMPLATES), 'utf8');
    const started = startEvaluation(new (loadJsonnet())(), text, path.join(packagePath('templates'), 'bundle.jsonnet'));
    if (!started) return { decision: 'unavailable', reason: 'the jsonnet addon has no native callbacks', ...(key !== undefined ? { key } : {}) };
    return { decision: 'started', started, ...(key !== undefined ? { key } : {}) };
  } catch (err) {
    return { decision: 'unavailable', reason: err instanceof Error ? err.message : String(err) };
  }
}
