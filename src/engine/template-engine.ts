/**
 * The render engine behind a small interface: templates/ + one JSON input → a list of objects,
 * in ONE jsonnet evaluation (libjsonnet pays ~30 ms of stdlib set-up per evaluation), with a
 * bounded content-hash cache so identical inputs never evaluate twice in a process.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { MeshplaneError } from '../core/errors.js';
import { packagePath } from '../core/paths.js';
import { bundleTemplates } from './bundle.js';

/** Renders a template entry point with a JSON input into a JSON value. */
export interface TemplateEngine {
  render(input: unknown): Promise<unknown>;
}

interface JsonnetVm {
  tlaCode(key: string, value: string): JsonnetVm;
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
  /** Cache hits and misses (each miss is one libjsonnet evaluation). */
  readonly stats = { hits: 0, misses: 0 };

  constructor(options: JsonnetEngineOptions = {}) {
    this.dir = options.templatesDir ?? packagePath('templates');
    this.max = options.cacheEntries ?? 32;
  }

  /** Evaluates templates/main.jsonnet with `input` as the `input` top-level argument. */
  async render(input: unknown): Promise<unknown> {
    const json = JSON.stringify(input);
    const key = createHash('sha256').update(json).digest('hex');
    let out = this.cache.get(key);
    if (out !== undefined) this.stats.hits++;
    else {
      this.stats.misses++;
      out = await this.evaluate(json);
      this.remember(key, out);
    }
    return JSON.parse(out) as unknown;
  }

  private async evaluate(json: string): Promise<string> {
    const { Jsonnet } = require('@hanazuki/node-jsonnet') as { Jsonnet: new () => JsonnetVm };
    this.bundle ??= bundleTemplates(this.dir);
    const vm = new Jsonnet().setMaxStack(500).tlaCode('input', json);
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

function firstLines(text: string, n: number): string {
  return text.split('\n').slice(0, n).join('\n');
}

let shared: JsonnetEngine | undefined;

/** The process-wide engine (one cache for the CLI run or the whole server). */
export function defaultEngine(): JsonnetEngine {
  shared ??= new JsonnetEngine();
  return shared;
}
