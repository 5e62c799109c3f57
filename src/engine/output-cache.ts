/**
 * The output cache: what a `generate` of an unchanged mesh in a new process may take from disk
 * besides the evaluation itself. An entry holds the rendered objects after encode and decorate,
 * and the manifests as printed; the guardrails still run on every render (the flow checks the
 * source objects it has just parsed together with these objects before it prints anything).
 *
 * Why the key is safe: the rendered objects are a function of the evaluation (its key already
 * covers the templates, libjsonnet and the whole template input) and of the mesh name (decorate's
 * labels), computed by Meshplane's code; the printed manifests add the source objects, which are
 * a function of the source files' text, and the output format. So the key hashes the evaluation
 * key, the mesh name, the format, every source file's path and text, and the build id of the
 * code (the bundle's SHA-256). Without a build id there is no output cache: a changed Meshplane
 * must never print what an older one rendered.
 *
 * It is a disk cache of its own (./disk-cache.ts: private, checksummed, bounded, fail open; an
 * entry that does not have the expected shape is "no entry"), in the `outputs` folder inside the
 * evaluations' folder, with a budget of its own ({@link OUTPUT_LIMITS}). Why apart: an output
 * holds the source objects too, so its size follows the source tree; sharing one budget, a few
 * meshes with large sources would evict every other mesh's evaluation.
 */
import { createHash } from 'node:crypto';
import type { LocatedObject, SourceFile } from '../core/types.js';
import type { DiskCache, DiskCacheLimits } from './disk-cache.js';

/**
 * Why these: an output of examples/canary is ~390 KB, so 32 MiB holds ~80 of them (half the
 * evaluations' budget, which stays the cache that saves the most); an output over 2 MiB (a source
 * tree of tens of MB of manifests) is not stored at all, so no single mesh fills the folder.
 */
export const OUTPUT_LIMITS: DiskCacheLimits & { maxEntryBytes: number } = { maxEntries: 128, maxBytes: 32 * 1024 * 1024, maxEntryBytes: 2 * 1024 * 1024 };

/** Bumped when an entry's meaning changes. */
const OUTPUT_FORMAT = 'meshplane-output-cache-1';

/** One stored output. */
export interface CachedOutput {
  /** The rendered objects after encode and decorate, in evaluation order (not yet merged with the source). */
  rendered: LocatedObject[];
  /** The manifests as generate prints them. */
  output: string;
}

/** What identifies a stored output (see the module comment). */
export interface OutputKeyParts {
  evaluationKey: string;
  meshName: string;
  format: string;
  files: readonly SourceFile[];
}

/**
 * Why these: a hint is ~130 bytes, and 256 of them cover twice the outputs {@link OUTPUT_LIMITS}
 * keeps, while the folder scan after each write stays ~1 ms.
 */
export const HINT_LIMITS: DiskCacheLimits = { maxEntries: 256, maxBytes: 256 * 1024 };

/** Bumped when a hint's meaning changes. */
const HINT_FORMAT = 'meshplane-output-hint-1';

/**
 * What a generate is asked, known before any of the render runs: the basis of a hint (see
 * {@link OutputCache.expected}). Not a key of anything stored: a hint only predicts.
 */
export interface HintParts {
  format: string;
  /** `--kube-version`, if given. */
  kubeVersion: string | undefined;
  /** The day the render is judged on (YYYY-MM-DD). */
  day: string;
  /** The environment variables generate reads (flows/generate.ts `generateEnv`), sorted by name. */
  env: Readonly<Record<string, string>>;
  files: readonly SourceFile[];
}

/** The output cache over a {@link DiskCache}, for one build of the code. */
export class OutputCache {
  /**
   * `hints` (optional, a folder of its own): for each {@link HintParts} seen, the key of the
   * output it ended with, so that the next generate asked the same can tell, before it renders
   * anything, that its output is very likely stored (and so need not start an evaluation ahead).
   */
  constructor(
    private readonly disk: DiskCache,
    private readonly buildId: string,
    private readonly maxEntryBytes: number = OUTPUT_LIMITS.maxEntryBytes,
    private readonly hints?: DiskCache,
  ) {}

  /** The hint name for `parts`. */
  hintKey(parts: HintParts): string {
    const h = createHash('sha256');
    const env = Object.entries(parts.env).flat();
    const fields = [HINT_FORMAT, this.buildId, parts.format, parts.kubeVersion ?? '', parts.day, String(env.length), ...env, String(parts.files.length), ...parts.files.flatMap((f) => [f.path, f.text])];
    for (const part of fields) h.update(`${Buffer.byteLength(part)}:`).update(part);
    return h.digest('hex');
  }

  /**
   * The output key the last generate with hint `hintKey` ended with, when that output is still on
   * disk; undefined otherwise. A prediction only: the render still computes the real key (the
   * catalog, the lock or the clock may have moved it) and reads the entry itself.
   */
  expected(hintKey: string): string | undefined {
    const key = this.hints?.get(hintKey);
    return key !== undefined && this.disk.has(key) ? key : undefined;
  }

  /** Records that the generate with hint `hintKey` ended with output `key` (written only when it changed). */
  remember(hintKey: string, key: string, previous: string | undefined): void {
    if (previous !== key) this.hints?.set(hintKey, key);
  }

  /** The entry name for `parts`. */
  key(parts: OutputKeyParts): string {
    const h = createHash('sha256');
    const fields = [OUTPUT_FORMAT, this.buildId, parts.evaluationKey, parts.meshName, parts.format, String(parts.files.length), ...parts.files.flatMap((f) => [f.path, f.text])];
    for (const part of fields) h.update(`${Buffer.byteLength(part)}:`).update(part);
    return h.digest('hex');
  }

  /** The output stored under `key`, or undefined (missing, or not the shape of one). */
  get(key: string): CachedOutput | undefined {
    const text = this.disk.get(key);
    if (text === undefined) return undefined;
    try {
      const value = JSON.parse(text) as unknown;
      return isCachedOutput(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores `output` under `key`, unless it is larger than the per-entry bound; true when it was written (errors are swallowed by the disk cache). */
  set(key: string, output: CachedOutput): boolean {
    const payload = JSON.stringify(output);
    return Buffer.byteLength(payload) <= this.maxEntryBytes && this.disk.set(key, payload);
  }
}

/** True for `{ rendered: [{ object: {…}, origin: { kind: 'rendered', … } }…], output: string }`. */
export function isCachedOutput(value: unknown): value is CachedOutput {
  if (typeof value !== 'object' || value === null) return false;
  const { rendered, output } = value as Partial<CachedOutput>;
  return typeof output === 'string' && Array.isArray(rendered) && rendered.every(isRenderedObject);
}

function isRenderedObject(o: unknown): boolean {
  if (typeof o !== 'object' || o === null) return false;
  const { object, origin } = o as Partial<LocatedObject>;
  return typeof object === 'object' && object !== null && !Array.isArray(object) && typeof origin === 'object' && origin !== null && origin.kind === 'rendered';
}
