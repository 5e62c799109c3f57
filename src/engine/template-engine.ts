/**
 * The render engine behind a small interface: templates/ + one JSON input → a list of objects,
 * in ONE jsonnet evaluation (libjsonnet pays ~30 ms of stdlib set-up per evaluation), with a
 * bounded content-hash cache so identical inputs never evaluate twice in a process, and
 * optionally an on-disk cache (./disk-cache.ts) so they never evaluate twice on a machine.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MeshplaneError } from '../core/errors.js';
import { packagePath } from '../core/paths.js';
import { bundleTemplates } from './bundle.js';
import { openDiskCache, type DiskCache } from './disk-cache.js';

/** Renders a template entry point with a JSON input into a JSON value. */
export interface TemplateEngine {
  render(input: unknown): Promise<unknown>;
}

interface JsonnetVm {
  tlaString(key: string, value: string): JsonnetVm;
  addJpath(path: string): JsonnetVm;
  setMaxStack(n: number): JsonnetVm;
  evaluateSnippet(snippet: string, filename?: string): Promise<string>;
}

const require = createRequire(import.meta.url);

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
function codeVersions(): string {
  if (versions === undefined) {
    let addon = 'unknown';
    try {
      addon = packageVersion(require.resolve('@hanazuki/node-jsonnet/package.json'));
    } catch {
      // an exports map may hide package.json: the Meshplane version still pins the lockfile's addon
    }
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
    let out = this.cache.get(key);
    if (out !== undefined) this.stats.hits++;
    else {
      this.stats.misses++;
      out = await this.evaluateOrRead(json);
      this.remember(key, out);
    }
    return JSON.parse(out) as unknown;
  }

  private async evaluateOrRead(json: string): Promise<string> {
    if (!this.disk) return this.evaluate(json);
    this.bundle ??= bundleTemplates(this.dir);
    const key = cacheKey(this.bundle, json);
    const stored = this.disk.get(key);
    if (stored !== undefined && isJson(stored)) {
      this.stats.diskHits++;
      return stored;
    }
    const out = await this.evaluate(json);
    this.disk.set(key, out);
    return out;
  }

  private async evaluate(json: string): Promise<string> {
    const { Jsonnet } = require('@hanazuki/node-jsonnet') as { Jsonnet: new () => JsonnetVm };
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
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function firstLines(text: string, n: number): string {
  return text.split('\n').slice(0, n).join('\n');
}

let shared: JsonnetEngine | undefined;
let sharedDisk: DiskCache | undefined;

/**
 * Makes the process-wide engine use the on-disk cache in `dir` (default: per uid under the
 * system temporary folder). Called by bin/meshplane for `generate` only; the server keeps its
 * in-memory cache. Does nothing when the folder is not private to this uid.
 */
export function enableDiskCache(dir?: string): void {
  sharedDisk = openDiskCache(dir);
  shared = undefined;
}

/** The process-wide engine (one cache for the CLI run or the whole server). */
export function defaultEngine(): JsonnetEngine {
  shared ??= new JsonnetEngine({ diskCache: sharedDisk });
  return shared;
}
