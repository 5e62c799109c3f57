/**
 * The render engine behind a small interface: templates/ + one JSON input → a list of objects,
 * in ONE jsonnet evaluation (libjsonnet pays ~30 ms of stdlib set-up per evaluation), with a
 * bounded content-hash cache so identical inputs never evaluate twice in a process, and
 * optionally an on-disk cache (./disk-cache.ts) so they never evaluate twice on a machine.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MeshplaneError } from '../core/errors.js';
import { packagePath } from '../core/paths.js';
import { bundleTemplates } from './bundle.js';
import { OUTPUT_LIMITS, OutputCache } from './output-cache.js';
import { openDiskCache, type DiskCache } from './disk-cache.js';

/** Renders a template entry point with a JSON input into a JSON value. */
export interface TemplateEngine {
  render(input: unknown): Promise<unknown>;
  /** The on-disk cache key of evaluating `input`, when the engine has an on-disk cache (./output-cache.ts builds on it). */
  storeKey?(input: unknown): string | undefined;
}

interface JsonnetVm {
  tlaString(key: string, value: string): JsonnetVm;
  addJpath(path: string): JsonnetVm;
  setMaxStack(n: number): JsonnetVm;
  evaluateSnippet(snippet: string, filename?: string): Promise<string>;
}

const require = createRequire(import.meta.url);
/** The jsonnet addon (libjsonnet through N-API). */
const ADDON = '@hanazuki/node-jsonnet';
/** Where the addon's install script (cmake-js) puts the compiled addon, relative to its package. */
const ADDON_BINARY = path.join('build', 'Release', 'node-jsonnet.node');

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

let addonDir: { dir: string | undefined } | undefined;

/** The jsonnet addon package's folder, or undefined when it cannot be found (looked up once). */
export function addonPackageDir(): string | undefined {
  addonDir ??= { dir: findAddonPackageDir() };
  return addonDir.dir;
}

function findAddonPackageDir(): string | undefined {
  try {
    // Its `exports` map hides package.json from require.resolve: walk up from the entry point.
    let dir = path.dirname(require.resolve(ADDON));
    while (!existsSync(path.join(dir, 'package.json'))) {
      const up = path.dirname(dir);
      if (up === dir) return undefined;
      dir = up;
    }
    return dir;
  } catch {
    return undefined;
  }
}

/** Meshplane's version and the jsonnet addon's (a new libjsonnet may evaluate differently). */
export function codeVersions(): string {
  if (versions === undefined) {
    const dir = addonPackageDir();
    const addon = dir === undefined ? 'unknown' : packageVersion(path.join(dir, 'package.json'));
    versions = `${packageVersion(packagePath('package.json'))}/${addon}`;
  }
  return versions;
}

/** The error class a failed evaluation rejects with (named as the addon's own entry point names it). */
class JsonnetError extends Error {
  constructor(message?: string) {
    super(message);
    this.name = 'JsonnetError';
  }
}

let jsonnetClass: (new () => JsonnetVm) | undefined;

/**
 * The addon's Jsonnet class. Why not always `require(ADDON)`: its entry point finds the binary
 * through the `bindings` package, which probes a dozen candidate paths and builds an Error
 * stack to learn its caller (~10 ms of a cold generate). The install script always writes the
 * binary to build/Release, so that path is loaded directly; anything unexpected falls back to
 * the package's own loader. Only `Jsonnet` is used, which the entry point re-exports as is; it
 * also adds a `nativeCallback` wrapper (Meshplane registers no native callbacks) and defines
 * `JsonnetError` on the exports, which the addon's worker looks up there to reject a failed
 * evaluation (node-jsonnet 2.1.0 src/JsonnetWorker.cpp `getExport("JsonnetError")`, lib/index.js),
 * so the direct load defines it the same way.
 */
function loadJsonnet(): new () => JsonnetVm {
  const dir = addonPackageDir();
  if (dir !== undefined) {
    try {
      const direct = require(path.join(dir, ADDON_BINARY)) as { Jsonnet?: new () => JsonnetVm; JsonnetError?: unknown };
      if (typeof direct.Jsonnet === 'function') {
        if (direct.JsonnetError === undefined) Object.defineProperty(direct, 'JsonnetError', { value: JsonnetError });
        return direct.Jsonnet;
      }
    } catch {
      // fall through to the package's loader, which reports a missing build properly
    }
  }
  return (require(ADDON) as { Jsonnet: new () => JsonnetVm }).Jsonnet;
}

/**
 * The key of one evaluation: everything it reads. The templates (their bundled text), the code
 * that evaluates them (Meshplane and libjsonnet versions), and the input, which carries every
 * effect of the intent, the source files, the environment (KUBE_VERSION, Argo CD parameters,
 * ARGOCD_ENV_MESHPLANE_*), the flags and the catalog: they reach the templates only through it.
 */
export function cacheKey(bundle: string, inputJson: string, code: string = codeVersions()): string {
  const h = createHash('sha256');
  for (const part of [CACHE_FORMAT, code, bundle, inputJson]) h.update(`${Buffer.byteLength(part)}:`).update(part);
  return h.digest('hex');
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
  /** Cache hits and misses (each miss is one libjsonnet evaluation); `diskHits` counts misses answered from disk. */
  readonly stats = { hits: 0, misses: 0, diskHits: 0 };

  constructor(options: JsonnetEngineOptions = {}) {
    this.dir = options.templatesDir ?? packagePath('templates');
    this.max = options.cacheEntries ?? 32;
    this.disk = options.diskCache;
  }

  /** Evaluates templates/main.jsonnet with `input` as the `input` top-level argument. */
  async render(input: unknown): Promise<unknown> {
    const json = JSON.stringify(input);
    const key = createHash('sha256').update(json).digest('hex');
    const remembered = this.cache.get(key);
    if (remembered !== undefined) {
      this.stats.hits++;
      return JSON.parse(remembered) as unknown;
    }
    this.stats.misses++;
    const out = await this.evaluateOrRead(json);
    this.remember(key, out.text);
    return 'value' in out ? out.value : (JSON.parse(out.text) as unknown);
  }

  /** The on-disk key of `input`'s evaluation, or undefined without an on-disk cache. */
  storeKey(input: unknown): string | undefined {
    if (!this.disk) return undefined;
    return this.keyOfJson(JSON.stringify(input));
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
  private async evaluateOrRead(json: string): Promise<{ text: string; value?: unknown }> {
    if (!this.disk) return { text: await this.evaluate(json) };
    const key = this.keyOfJson(json);
    const stored = this.disk.get(key);
    const value = stored === undefined ? undefined : parsedOrUndefined(stored);
    if (stored !== undefined && value !== undefined) {
      this.stats.diskHits++;
      return { text: stored, value };
    }
    const out = await this.evaluate(json);
    this.disk.set(key, out);
    return { text: out };
  }

  private async evaluate(json: string): Promise<string> {
    const Jsonnet = (jsonnetClass ??= loadJsonnet());
    this.bundle ??= bundleTemplates(this.dir);
    const vm = new Jsonnet().setMaxStack(500).tlaString('input', json);
    try {
      return await vm.evaluateSnippet(this.bundle, `${this.dir}/bundle.jsonnet`);
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

/**
 * Makes the process-wide engine use the on-disk cache in `dir` (default: per uid under the
 * system temporary folder). Called by bin/meshplane for `generate` only; the server keeps its
 * in-memory cache. Does nothing when the folder is not private to this uid. With `buildId` (the
 * bundle's SHA-256, which bin/meshplane knows when it runs the bundle) its `outputs` folder
 * holds the output cache (./output-cache.ts).
 */
export function enableDiskCache(dir?: string, buildId?: string): void {
  sharedDisk = openDiskCache(dir);
  const outputs = sharedDisk && buildId ? openDiskCache(path.join(sharedDisk.dir, 'outputs'), OUTPUT_LIMITS) : undefined;
  sharedOutputs = outputs && buildId ? new OutputCache(outputs, buildId) : undefined;
  shared = undefined;
}

/** The process-wide output cache, when {@link enableDiskCache} was given a build id and a usable folder. */
export function defaultOutputCache(): OutputCache | undefined {
  return sharedOutputs;
}

/** The process-wide engine (one cache for the CLI run or the whole server). */
export function defaultEngine(): JsonnetEngine {
  shared ??= new JsonnetEngine({ diskCache: sharedDisk });
  return shared;
}
