/**
 * The first step of a `meshplane generate` process: start the template evaluation before the
 * rest of the CLI is even loaded. libjsonnet spends ~45 ms of an evaluation setting up its
 * standard library and reading the templates before it asks for its input; started here, that
 * set-up runs on the addon's thread while the main thread loads the CLI and reads and resolves
 * the intent (docs/performance.md "Work while the templates evaluate"). The template engine then
 * adopts the evaluation and supplies the input, if, and only if, it evaluates exactly the
 * templates the engine would (src/engine/template-engine.ts `adopt`).
 *
 * bin/meshplane loads this module's own small bundle (dist/src/bundle/start-ahead.cjs, built
 * with the generate bundle by scripts/bundle.mjs), so it imports only leaf modules.
 *
 * An evaluation started for nothing cannot be cancelled before its set-up ends: a `generate` whose
 * output the output cache holds would pay ~45 ms of CPU for it. So each generate that ended with
 * its output in the output cache leaves a record (./start-ahead-record.ts), and the next one
 * asked the same does not start ahead ("expected-warm"). A record only predicts: when it is
 * wrong, the engine still starts its evaluation in time (src/flows/generate.ts `prestart`), and
 * the output is never taken from a record.
 *
 * Why no node:crypto here (nor anything that loads it, like the disk cache): loading it costs
 * ~3 ms, which would delay the start. The record's name is a plain hash ({@link recordName}), and
 * a record is read without checking its checksum: a record only predicts, so a collision or a
 * damaged record costs one wrong guess, never a wrong output.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { generateEnv, type GenerateEnv } from '../core/generate-env.js';
import { packagePath } from '../core/paths.js';
import { loadJsonnet } from '../engine/addon.js';
import { defaultCacheDir, preparePrivateDir } from '../engine/private-dir.js';
import { startEvaluation, type StartedEvaluation } from '../engine/started-evaluation.js';

/** What the step decided. */
export type StartAheadDecision = 'started' | 'expected-warm' | 'skipped' | 'unavailable';

/** The outcome of {@link startAhead}. */
export interface StartAhead {
  decision: StartAheadDecision;
  /** Why it did not start (for MESHPLANE_DEBUG). */
  reason?: string;
  /** The record key of this generate, when records are kept. */
  key?: string;
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
export const RECORD_FORMAT = 'meshplane-start-ahead-1';

/**
 * Why these: in Argo CD's sidecar every render runs in a fresh temporary folder whose files are
 * just unpacked, so neither the folder nor file times say "same source"; the Application and the
 * commit its source was resolved to do (Argo CD sets them on every render).
 */
const ARGO_IDENTITY = ['ARGOCD_APP_NAME', 'ARGOCD_APP_NAMESPACE', 'ARGOCD_APP_REVISION', 'ARGOCD_APP_SOURCE_PATH', 'ARGOCD_APP_SOURCE_REPO_URL'] as const;

/** Why it does not start, or undefined when it should. */
function skipReason(argv: readonly string[], env: GenerateEnv): string | undefined {
  if (argv[0] !== 'generate') return 'not generate';
  if (env.MESHPLANE_START_AHEAD === 'off') return 'MESHPLANE_START_AHEAD=off';
  if (argv.some((a) => a === '-h' || a === '--help')) return 'help';
  // Client mode renders on the server: nothing to evaluate here.
  if (env.MESHPLANE_SERVER || argv.some((a) => a === '--server' || a.startsWith('--server='))) return 'client mode';
  return undefined;
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

/** True when this generate runs in Argo CD (it names the commit its source was resolved to). */
export function pinned(env: GenerateEnv): boolean {
  return typeof env.ARGOCD_APP_REVISION === 'string' && env.ARGOCD_APP_REVISION !== '';
}

/**
 * The record key of a generate: the build, the arguments, the variables that change the render,
 * and where the source is (the Argo CD Application and commit, else the working folder).
 */
export function startAheadKey(req: StartAheadRequest, buildLine: string): string {
  const where = pinned(req.env) ? ARGO_IDENTITY.flatMap((n) => [n, req.env[n] ?? '']) : ['cwd', req.cwd];
  return recordName([RECORD_FORMAT, buildLine, String(req.argv.length), ...req.argv, ...where, ...Object.entries(generateEnv(req.env)).flat()]);
}

/**
 * A 64-hex-digit name for `fields` (the disk cache's entry names have that form): eight 32-bit
 * FNV-1a lanes with different offsets over each field's length and text. Not a cryptographic
 * hash, on purpose (see the module comment): only ever a record's name.
 */
export function recordName(fields: readonly string[]): string {
  const lanes = Array.from({ length: 8 }, (_, i) => (0x811c9dc5 ^ Math.imul(i + 1, 0x9e3779b9)) >>> 0);
  const mix = (code: number) => {
    for (let i = 0; i < lanes.length; i++) lanes[i] = Math.imul((lanes[i] ?? 0) ^ code, 0x01000193) >>> 0;
  };
  for (const field of fields) {
    for (const c of `${field.length}:`) mix(c.charCodeAt(0));
    for (let i = 0; i < field.length; i++) mix(field.charCodeAt(i));
  }
  return lanes.map((h) => h.toString(16).padStart(8, '0')).join('');
}

/** The records' folder inside the render cache's, or undefined (cache off, or a folder that is not private to this uid). */
export function recordsDir(env: GenerateEnv): string | undefined {
  if (env.MESHPLANE_RENDER_CACHE === 'off') return undefined;
  const parent = env.MESHPLANE_RENDER_CACHE_DIR || defaultCacheDir();
  const dir = path.join(parent, RECORDS_FOLDER);
  return preparePrivateDir(parent) && preparePrivateDir(dir) ? dir : undefined;
}

/** One recorded source file: absolute path, size, modification time (ms). */
export type RecordedFile = [string, number, number];

/** What a record holds (after the disk cache's checksum line). */
export interface AheadRecord {
  format: typeof RECORD_FORMAT;
  /** Undefined for a pinned (Argo CD) source, whose key already names its content. */
  files?: RecordedFile[];
}

/**
 * Why this bound: the largest record the step writes (./start-ahead-record.ts: at most 512 files
 * of at most 4 KB paths) is ~2 MB; its folder holds 4 MiB in all.
 */
const MAX_RECORD_BYTES = 4 * 1024 * 1024;

/**
 * The record named `key` in `dir`, as the disk cache wrote it (a checksum line, then the payload),
 * or undefined. Only a regular file of this uid and of a record's size is read, as the disk cache
 * reads its entries: opening never blocks (O_NONBLOCK: a FIFO there would wait for a writer
 * forever) and a link to a device is not read to its (missing) end.
 */
function readRecord(dir: string, key: string): string | undefined {
  try {
    const fd = openSync(path.join(dir, key), constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || st.size > MAX_RECORD_BYTES || (typeof process.getuid === 'function' && st.uid !== process.getuid())) return undefined;
      const text = readFileSync(fd, 'utf8');
      return text.slice(text.indexOf('\n') + 1);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** True when the record says this generate's output is stored: it exists, and every recorded file is as it was. */
function expectsWarm(record: string | undefined): boolean {
  if (record === undefined) return false;
  let parsed: AheadRecord;
  try {
    parsed = JSON.parse(record) as AheadRecord;
  } catch {
    return false;
  }
  if (parsed === null || typeof parsed !== 'object' || parsed.format !== RECORD_FORMAT) return false;
  if (parsed.files !== undefined && !Array.isArray(parsed.files)) return false;
  return (parsed.files ?? []).every((entry) => {
    if (!Array.isArray(entry)) return false;
    const [file, size, mtime] = entry as unknown[];
    if (typeof file !== 'string') return false;
    try {
      const st = statSync(file);
      return st.size === size && st.mtimeMs === mtime;
    } catch {
      return false;
    }
  });
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
    const key = dir !== undefined ? startAheadKey(req, bundleBuildLine()) : undefined;
    if (dir !== undefined && key !== undefined && expectsWarm(readRecord(dir, key))) return { decision: 'expected-warm', key };
    const text = readFileSync(packagePath(...STARTED_TEMPLATES), 'utf8');
    const started = startEvaluation(new (loadJsonnet())(), text, path.join(packagePath('templates'), 'bundle.jsonnet'));
    if (!started) return { decision: 'unavailable', reason: 'the jsonnet addon has no native callbacks', ...(key !== undefined ? { key } : {}) };
    return { decision: 'started', started, ...(key !== undefined ? { key } : {}) };
  } catch (err) {
    return { decision: 'unavailable', reason: err instanceof Error ? err.message : String(err) };
  }
}
