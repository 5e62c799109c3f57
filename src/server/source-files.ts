/**
 * A request's `files` object → the SourceFile[] that `generate` would read from a directory
 * holding those files. Paths are checked first (relative, normalised, no `..`, no NUL), then the
 * set goes through the load stage's own filters and limits (sourceFilesFromTexts), so the server
 * and the CLI see the same files in the same order.
 */
import type { SourceFile } from '../core/types.js';
import { DEFAULT_LOAD_LIMITS, sourceFilesFromTexts, type LoadLimits } from '../pipeline/load.js';
import { HttpError, invalidRequest } from './errors.js';

/** Longest path and path segment accepted: what Linux file systems allow (PATH_MAX, NAME_MAX). */
const MAX_PATH_BYTES = 4096;
const MAX_SEGMENT_BYTES = 255;

/**
 * Entries a request may hold, counting files the load stage would skip (READMEs, charts' .tpl):
 * four times the manifest-file limit, so a real repository folder fits and a body of millions of
 * empty entries is refused before any work.
 */
const ENTRY_FACTOR = 4;

/** Why a path is refused, or undefined when it is a normalised relative POSIX path. */
export function pathProblem(p: string): string | undefined {
  if (p === '') return 'the path is empty';
  if (p.includes('\u0000')) return 'the path holds a NUL character';
  if (Buffer.byteLength(p, 'utf8') > MAX_PATH_BYTES) return `the path is over ${MAX_PATH_BYTES} bytes`;
  if (p.includes('\\')) return 'the path holds a backslash (use / between folders)';
  if (p.startsWith('/')) return 'the path is absolute (paths are relative to the app folder)';
  for (const seg of p.split('/')) {
    if (seg === '') return 'the path has an empty segment (a leading, trailing or doubled /)';
    if (seg === '.' || seg === '..') return `the path has a "${seg}" segment (write the normalised path)`;
    if (Buffer.byteLength(seg, 'utf8') > MAX_SEGMENT_BYTES) return `a segment of the path is over ${MAX_SEGMENT_BYTES} bytes`;
  }
  return undefined;
}

/** Validates `files` (an object of path → text) and builds the sources. Throws HttpError or MeshplaneError. */
export function sourceFilesFromRequest(files: unknown, where: string, limits: LoadLimits = DEFAULT_LOAD_LIMITS): SourceFile[] {
  if (files === null || typeof files !== 'object' || Array.isArray(files)) {
    throw invalidRequest(`${where} must be an object of relative path → file content`, where, 'e.g. {"mesh.yaml": "apiVersion: meshplane.io/v1alpha1\\n..."}');
  }
  const entries = Object.entries(files as Record<string, unknown>);
  if (entries.length > limits.maxFiles * ENTRY_FACTOR) {
    throw new HttpError(413, 'body-too-large', `${where} holds ${entries.length} entries, over the ${limits.maxFiles * ENTRY_FACTOR} a request may hold`, { hint: 'send only the manifests of the app folder' });
  }
  const texts: Array<[string, string]> = [];
  for (const [p, text] of entries) {
    const problem = pathProblem(p);
    if (problem) throw invalidRequest(`${where}: ${JSON.stringify(p.slice(0, 200))} is not a valid file path: ${problem}`, `${where}[${JSON.stringify(p.slice(0, 200))}]`, 'send paths relative to the app folder, e.g. "apps/shop/namespace.yaml"');
    if (typeof text !== 'string') throw invalidRequest(`${where}[${JSON.stringify(p)}] must be the file's text (a string), not ${text === null ? 'null' : typeof text}`, `${where}[${JSON.stringify(p)}]`);
    texts.push([p, text]);
  }
  rejectFileFolderClash(texts.map(([p]) => p), where);
  return sourceFilesFromTexts(texts, limits);
}

/**
 * `a.yaml` and `a.yaml/b.yaml` cannot both exist in a directory. With `/` mapped to NUL (never in
 * a valid path, so it sorts first) every path under a folder sorts right after that folder's
 * name, so one sort and a look at neighbours finds a clash in O(n log n).
 */
function rejectFileFolderClash(paths: string[], where: string): void {
  const keys = paths.map((p) => p.replaceAll('/', '\u0000')).sort();
  for (let i = 0; i + 1 < keys.length; i++) {
    const key = keys[i] as string;
    if (!(keys[i + 1] as string).startsWith(`${key}\u0000`)) continue;
    const clash = key.replaceAll('\u0000', '/');
    throw invalidRequest(`${where}: ${JSON.stringify(clash)} is both a file and a folder`, `${where}[${JSON.stringify(clash)}]`, 'a directory cannot hold a file and a folder of the same name');
  }
}
