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

/** The output cache over a {@link DiskCache}, for one build of the code. */
export class OutputCache {
  constructor(
    private readonly disk: DiskCache,
    private readonly buildId: string,
    private readonly maxEntryBytes: number = OUTPUT_LIMITS.maxEntryBytes,
  ) {}

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
