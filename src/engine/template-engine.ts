/**
 * The render engine behind a small interface: templates/ + one JSON input → a list of objects,
 * in ONE jsonnet evaluation (libjsonnet pays ~30 ms of stdlib set-up per evaluation), with a
 * bounded content-hash cache so identical inputs never evaluate twice in a process, and
 * optionally an on-disk cache (./disk-cache.ts) so they never evaluate twice on a machine.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MeshplaneError } from '../core/errors.js';
import { packagePath } from '../core/paths.js';
import { addonPackageDir, loadJsonnet } from './addon.js';
import { bundleTemplates, nativeInputBundle } from './bundle.js';
import { MAX_STACK, startEvaluation, type StartedEvaluation } from './started-evaluation.js';
import { OUTPUT_LIMITS, OutputCache } from './output-cache.js';
import { openDiskCache, type DiskCache, type DiskCacheLimits } from './disk-cache.js';
import { DiskParseCache, type ParseCache } from './parse-cache.js';
import { fieldsDigest } from './field-digest.js';

/** Renders a template entry point with a JSON input into a JSON value. */
export interface TemplateEngine {
  /**
   * `running`, when given, is called once an evaluation is under way with its input (on the
   * addon's thread, leaving the main thread free): the caller's moment for work that does not
   * need the result. Not called when a cache answers.
   */
  render(input: unknown, running?: () => void): Promise<unknown>;
  /** The on-disk cache key of evaluating `input`, when the engine has an on-disk cache (./output-cache.ts builds on it). */
  storeKey?(input: unknown): string | undefined;
  /**
   * Marks the stored evaluation under `key` (a {@link storeKey}) as used without reading it: a
   * render answered from what was built on it (the output cache) keeps it from ageing out of the
   * on-disk cache, which evicts the least recently used.
   */
  markUsed?(key: string): void;
  /**
   * Starts the next evaluation before its input is known; the next {@link render} that has to
   * evaluate supplies it. Returns false when it could not start one. The caller must call
   * {@link release} when done, whether or not a render used it.
   */
  prestart?(): boolean;
  /** Cancels an evaluation {@link prestart} began that no render has used (a no-op otherwise). */
  release?(): void;
}

export { addonPackageDir } from './addon.js';

/** Why an evaluation started ahead is refused when nothing needs it. */
const NOT_NEEDED = 'meshplane: the evaluation started ahead was not needed';

/** Evaluations of this process whose result has not settled yet (the addon's thread is busy with them). */
let inFlight = 0;

/** Counts `result` in {@link evaluationsInFlight} until it settles. */
function trackResult(result: Promise<string>): Promise<string> {
  inFlight++;
  const done = () => {
    inFlight--;
  };
  result.then(done, done);
  return result;
}

function track(started: StartedEvaluation): StartedEvaluation {
  if (!started.settled()) trackResult(started.result);
  return started;
}

/**
 * How many evaluations this process has running (started ahead and not yet ended included).
 * bin/meshplane ends a `generate` with an explicit exit only when this is 0: exiting under a
 * running addon thread is not safe.
 */
export function evaluationsInFlight(): number {
  return inFlight;
}

/** Options of the jsonnet engine. */
export interface JsonnetEngineOptions {
  /** Folder holding main.jsonnet; also the only import path. */
  templatesDir?: string;
  /** Cached results kept (each a few hundred KB for a full mesh). */
  cacheEntries?: number;
  /** An on-disk cache shared by processes (the Argo CD sidecar's cold `generate` runs). */
  diskCache?: DiskCache | undefined;
}

/** Bumped when the cached value's meaning changes, so old entries stop matching. */
const CACHE_FORMAT = 'meshplane-render-cache-1';

function packageVersion(file: string): string {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

let versions: string | undefined;

/** Meshplane's version and the jsonnet addon's (a new libjsonnet may evaluate differently). */
export function codeVersions(): string {
  if (versions === undefined) {
    const dir = addonPackageDir();
    const addon = dir === undefined ? 'unknown' : packageVersion(path.join(dir, 'package.json'));
    versions = `${packageVersion(packagePath('package.json'))}/${addon}`;
  }
  return versions;
}

/**
 * The key of one evaluation: everything it reads. The templates (their bundled text), the code
 * that evaluates them (Meshplane and libjsonnet versions), and the input, which carries every
 * effect of the intent, the source files, the environment (KUBE_VERSION, Argo CD parameters,
 * ARGOCD_ENV_MESHPLANE_*), the flags and the catalog: they reach the templates only through it.
 */
export function cacheKey(bundle: string, inputJson: string, code: string = codeVersions()): string {
  return fieldsDigest([CACHE_FORMAT, code, bundle, inputJson]);
}

/**
 * The libjsonnet-backed engine. Templates are bundled into one snippet (./bundle.ts); imports resolve only inside `templatesDir` (and
 * the templates import relatively); a test checks no template reaches outside it. User data
 * enters as a JSON top-level argument, never as code.
 */
export class JsonnetEngine implements TemplateEngine {
  private readonly dir: string;
  private bundle: string | undefined;
  private readonly max: number;
  private readonly cache = new Map<string, string>();
  private readonly disk: DiskCache | undefined;
  /** The bundle asking for its input through a native function (./bundle.ts `nativeInputBundle`), made once. */
  private nativeBundle: string | undefined;
  /** An evaluation started ahead ({@link prestart} or {@link adopt}) that no render has taken yet. */
  private pending: StartedEvaluation | undefined;
  /**
   * Cache hits and misses (each miss is one libjsonnet evaluation); `diskHits` counts misses
   * answered from disk, `stored` evaluations written to disk; `prestarted` and `adopted` count
   * evaluations started ahead, `released` those of them refused unused.
   */
  readonly stats = { hits: 0, misses: 0, diskHits: 0, stored: 0, prestarted: 0, adopted: 0, released: 0 };

  constructor(options: JsonnetEngineOptions = {}) {
    this.dir = options.templatesDir ?? packagePath('templates');
    this.max = options.cacheEntries ?? 32;
    this.disk = options.diskCache;
  }

  /** Evaluates templates/main.jsonnet with `input` as the `input` top-level argument. */
  async render(input: unknown, running?: () => void): Promise<unknown> {
    const json = JSON.stringify(input);
    const key = createHash('sha256').update(json).digest('hex');
    const remembered = this.cache.get(key);
    if (remembered !== undefined) {
      this.stats.hits++;
      this.release();
      return JSON.parse(remembered) as unknown;
    }
    this.stats.misses++;
    const out = await this.evaluateOrRead(json, running);
    this.remember(key, out.text);
    return 'value' in out ? out.value : (JSON.parse(out.text) as unknown);
  }

  /** True when this engine has an on-disk cache and every evaluation it made is on it (none made counts). */
  evaluationsStored(): boolean {
    return this.disk !== undefined && this.stats.misses - this.stats.diskHits === this.stats.stored;
  }

  /** The on-disk key of `input`'s evaluation, or undefined without an on-disk cache. */
  storeKey(input: unknown): string | undefined {
    if (!this.disk) return undefined;
    return this.keyOfJson(JSON.stringify(input));
  }

  /** See {@link TemplateEngine.markUsed}. */
  markUsed(key: string): void {
    this.disk?.touch(key);
  }

  /** The last key computed: render() asks again for the input storeKey() was just asked about. */
  private lastKey: { json: string; key: string } | undefined;
  private keyOfJson(json: string): string {
    if (this.lastKey?.json !== json) {
      this.bundle ??= bundleTemplates(this.dir);
      this.lastKey = { json, key: cacheKey(this.bundle, json) };
    }
    return this.lastKey.key;
  }

  /** The evaluation's text, and its value when reading it from disk already parsed it. */
  private async evaluateOrRead(json: string, running?: () => void): Promise<{ text: string; value?: unknown }> {
    if (!this.disk) return { text: await this.evaluate(json, running) };
    const key = this.keyOfJson(json);
    const stored = this.disk.get(key);
    const value = stored === undefined ? undefined : parsedOrUndefined(stored);
    if (stored !== undefined && value !== undefined) {
      this.stats.diskHits++;
      this.release();
      return { text: stored, value };
    }
    const out = await this.evaluate(json, running);
    if (this.disk.set(key, out)) this.stats.stored++;
    return { text: out };
  }

  /**
   * Starts an evaluation now and gives it its input at the next render that has to evaluate
   * (./started-evaluation.ts): libjsonnet's set-up, most of an evaluation, then runs on the
   * addon's thread while the caller reads and resolves the intent. False when one is already
   * waiting (started here or adopted) or the addon has no native callbacks. Every caller must
   * end with {@link release}.
   */
  prestart(): boolean {
    if (this.pending) return false;
    const started = startEvaluation(new (loadJsonnet())(), this.nativeText(), this.filename());
    if (!started) return false;
    this.stats.prestarted++;
    this.pending = track(started);
    return true;
  }

  /**
   * Takes over an evaluation started elsewhere (the CLI's start-ahead step, before this engine
   * existed) as if {@link prestart} had started it. It is used only if it evaluates exactly what
   * this engine would: one of another templates folder is refused at once; the text is compared
   * once the input is supplied (one of other templates, edited after the build, then runs unused).
   */
  adopt(started: StartedEvaluation): void {
    if (this.pending || started.filename !== this.filename()) {
      // Still counted until it ends (a refused evaluation runs on until it asks for its input).
      track(started).refuse(new Error(NOT_NEEDED));
      return;
    }
    this.stats.adopted++;
    this.pending = track(started);
  }

  /** Refuses the input of a started evaluation no render took, so that it ends (as soon as it asks for the input). */
  release(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    this.stats.released++;
    pending.refuse(new Error(NOT_NEEDED));
  }

  private filename(): string {
    return `${this.dir}/bundle.jsonnet`;
  }

  private nativeText(): string {
    this.bundle ??= bundleTemplates(this.dir);
    this.nativeBundle ??= nativeInputBundle(this.bundle);
    return this.nativeBundle;
  }

  /** True when `started` evaluates exactly what this engine would: its templates as bundled now, under the same file name. */
  private evaluatesOurs(started: StartedEvaluation): boolean {
    return started.text === this.nativeText() && started.filename === this.filename();
  }

  private async evaluate(json: string, running?: () => void): Promise<string> {
    const pending = this.pending;
    this.pending = undefined;
    let result: Promise<string> | undefined;
    if (pending) {
      // The input first, the check after: bundling templates/ to compare (~3 ms when the on-disk
      // key has not already done it) then overlaps the evaluation instead of delaying it. An
      // evaluation of other templates (an edit after the build) runs to its end unused.
      pending.supply(json, running);
      if (this.evaluatesOurs(pending)) result = pending.result;
      else this.stats.released++;
    }
    if (result === undefined) {
      this.bundle ??= bundleTemplates(this.dir);
      const Jsonnet = loadJsonnet();
      result = trackResult(new Jsonnet().setMaxStack(MAX_STACK).tlaString('input', json).evaluateSnippet(this.bundle, this.filename()));
      running?.();
    }
    try {
      return await result;
    } catch (err) {
      throw new MeshplaneError('template-failed', 'the jsonnet templates failed to evaluate', [{ message: firstLines((err as Error).message, 12) }], 'this is a Meshplane bug unless templates/ was edited; please report it with the mesh.yaml that triggers it');
    }
  }

  private remember(key: string, value: string): void {
    if (this.cache.size >= this.max) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, value);
  }
}

/** Why check: a payload that passed its checksum but is not JSON would fail the render; fail open instead. */
function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function firstLines(text: string, n: number): string {
  return text.split('\n').slice(0, n).join('\n');
}

let shared: JsonnetEngine | undefined;
let sharedDisk: DiskCache | undefined;
let sharedOutputs: OutputCache | undefined;
let sharedParses: ParseCache | undefined;

/**
 * Bounds of the parse cache's folder. Why these: an entry is a few KB for a mesh.yaml (its value
 * and the position of each node, about two to three times the text) and at most 4 M characters
 * (./parse-cache.ts); 1,024 entries keep the folder scan after a generate that wrote one short
 * (it stats every entry), and 16 MiB keeps it a quarter of the evaluations' budget. A source of
 * more files than that stores none.
 */
const PARSE_LIMITS: DiskCacheLimits = { maxEntries: 1024, maxBytes: 16 * 1024 * 1024 };

/**
 * Makes the process-wide engine use the on-disk cache in `dir` (default: per uid under the
 * system temporary folder). Called by bin/meshplane for `generate` only; the server keeps its
 * in-memory cache. Does nothing when the folder is not private to this uid. With `buildId` (the
 * bundle's SHA-256, which bin/meshplane knows when it runs the bundle) its `outputs` folder
 * holds the output cache (./output-cache.ts) and its `parses` folder the parse cache
 * (./parse-cache.ts).
 */
export function enableDiskCache(dir?: string, buildId?: string): void {
  const disk = openDiskCache(dir);
  sharedDisk = disk;
  const outputs = disk && buildId ? openDiskCache(path.join(disk.dir, 'outputs'), OUTPUT_LIMITS) : undefined;
  sharedOutputs = outputs && buildId ? new OutputCache(outputs, buildId) : undefined;
  const parses = disk && buildId ? openDiskCache(path.join(disk.dir, 'parses'), PARSE_LIMITS) : undefined;
  sharedParses = parses && buildId ? new DiskParseCache(parses, buildId, PARSE_LIMITS.maxEntries) : undefined;
  shared = undefined;
}

/** The process-wide output cache, when {@link enableDiskCache} was given a build id and a usable folder. */
export function defaultOutputCache(): OutputCache | undefined {
  return sharedOutputs;
}

/** The process-wide parse cache (./parse-cache.ts), under the same conditions as {@link defaultOutputCache}. */
export function defaultParseCache(): ParseCache | undefined {
  return sharedParses;
}

/** The process-wide engine (one cache for the CLI run or the whole server). */
export function defaultEngine(): JsonnetEngine {
  shared ??= new JsonnetEngine({ diskCache: sharedDisk });
  return shared;
}
