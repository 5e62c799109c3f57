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
 * Beside each output it keeps the output's rendered part ({@link RenderedPart}), keyed without the
 * source files, for the next commit that changes only applications.
 *
 * It is a disk cache of its own (./disk-cache.ts: private, checksummed, bounded, fail open; an
 * entry that does not have the expected shape is "no entry"), in the `outputs` folder inside the
 * evaluations' folder, with a budget of its own ({@link OUTPUT_LIMITS}). Why apart: an output
 * holds the source objects too, so its size follows the source tree; sharing one budget, a few
 * meshes with large sources would evict every other mesh's evaluation.
 */
import { fieldsDigest } from './field-digest.js';
import type { LocatedObject, SourceFile } from '../core/types.js';
import type { DiskCache, DiskCacheLimits } from './disk-cache.js';

/**
 * Why these: an output of examples/canary is ~390 KB and its rendered part ~470 KB, so 32 MiB holds
 * ~80 outputs, or ~35 meshes with a part each (half the evaluations' budget, which stays the cache
 * that saves the most; a part in use is refreshed on every hit, so the outputs of past commits
 * go first); an entry over 2 MiB (a source tree of tens of MB of manifests) is not stored at all,
 * so no single mesh fills the folder.
 */
export const OUTPUT_LIMITS: DiskCacheLimits & { maxEntryBytes: number } = { maxEntries: 128, maxBytes: 32 * 1024 * 1024, maxEntryBytes: 2 * 1024 * 1024 };

/** Bumped when an entry's meaning changes. */
const OUTPUT_FORMAT = 'meshplane-output-cache-1';

/** The same for the rendered part ({@link RenderedPart}); a name of its own, so no key of one kind can name the other. */
const PART_FORMAT = 'meshplane-rendered-part-1';

/** One stored output. */
export interface CachedOutput {
  /** The rendered objects after encode and decorate, in evaluation order (not yet merged with the source). */
  rendered: LocatedObject[];
  /** The manifests as generate prints them. */
  output: string;
}

/**
 * The part of an output that does not depend on the source's own files: the rendered objects
 * after encode and decorate, and (for the YAML format) each one's document as printed, in the
 * same order. Why: the usual commit changes the applications beside mesh.yaml, not the mesh;
 * the whole output is then new, but this part is not, and with it a generate skips reading the
 * evaluation, encode, decorate and writing the mesh's YAML again.
 */
export interface RenderedPart {
  rendered: LocatedObject[];
  /** The YAML document of each rendered object (src/pipeline/emit.ts `yamlDocuments`); absent for the JSON format. */
  yaml?: string[];
}

/** What identifies a stored {@link RenderedPart}: what decides the rendered objects (see the module comment), and the format. */
export type PartKeyParts = Omit<OutputKeyParts, 'files'>;

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
    return fieldsDigest([OUTPUT_FORMAT, this.buildId, parts.evaluationKey, parts.meshName, parts.format, String(parts.files.length), ...parts.files.flatMap((f) => [f.path, f.text])]);
  }

  /** The output stored under `key`, or undefined (missing, or not the shape of one). */
  get(key: string): CachedOutput | undefined {
    return this.disk.getJson(key, isCachedOutput);
  }

  /** Stores `output` under `key`, unless it is larger than the per-entry bound; true when it was written (errors are swallowed by the disk cache). */
  set(key: string, output: CachedOutput): boolean {
    return this.write(key, output);
  }

  /** The entry name of a {@link RenderedPart}. */
  partKey(parts: PartKeyParts): string {
    return fieldsDigest([PART_FORMAT, this.buildId, parts.evaluationKey, parts.meshName, parts.format]);
  }

  /** The rendered part stored under `key`, or undefined (missing, or not the shape of one). */
  getPart(key: string): RenderedPart | undefined {
    return this.disk.getJson(key, isRenderedPart);
  }

  /** Marks the entry under `key` used without reading it (./disk-cache.ts `touch`): a part under an output taken whole. */
  markUsed(key: string): void {
    this.disk.touch(key);
  }

  /** Stores a rendered part, as {@link set} stores an output. */
  setPart(key: string, part: RenderedPart): boolean {
    return this.write(key, part);
  }

  private write(key: string, value: CachedOutput | RenderedPart): boolean {
    const payload = JSON.stringify(value);
    return Buffer.byteLength(payload) <= this.maxEntryBytes && this.disk.set(key, payload);
  }
}

/** True for `{ rendered: [...rendered objects], yaml?: [one string per object] }`. */
export function isRenderedPart(value: unknown): value is RenderedPart {
  if (typeof value !== 'object' || value === null) return false;
  const { rendered, yaml } = value as Partial<RenderedPart>;
  if (!Array.isArray(rendered) || !rendered.every(isRenderedObject)) return false;
  return yaml === undefined || (Array.isArray(yaml) && yaml.length === rendered.length && yaml.every((d) => typeof d === 'string'));
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
