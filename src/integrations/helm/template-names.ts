/**
 * Which chart template each document of a Helm stream came from, as Helm says it: Helm 3 writes
 * `---\n# Source: <chart>/templates/<file>\n` before every document it renders (helm v3.21.4
 * pkg/action/action.go, renderResources), Helm 4 instead sets the annotation
 * `postrenderer.helm.sh/postrender-filename` on every object it sends to a post-renderer (helm
 * v4.2.4 pkg/action/action.go, annotateAndMerge). Positions in `<stdin>` name a stream the user
 * never sees; the template is what they can open and fix.
 */
import type { KubeObject, LocatedObject, SourcePosition } from '../../core/types.js';
import type { ParsedDocument } from '../../pipeline/load.js';

/** Helm 4's annotation naming the template file a document came from. */
export const HELM_FILENAME_ANNOTATION = 'postrenderer.helm.sh/postrender-filename';

/** The start of the comment line Helm 3 writes before each document (and finds it by in `helm template --show-only`). */
export const SOURCE_PREFIX = '# Source: ';

/**
 * Characters that make a `# Source:` value unusable. Why: C0/C1 controls would garble a terminal,
 * and CR, NEL, LS and PS end a comment line for some YAML parsers (go-yaml, which Helm uses, reads
 * all four as line breaks), so a value holding one could not be written back as one comment.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * The value of the first `# Source: ` line in the head of `doc` (the text from its `---` up to its
 * content; all of it for a document without content), or undefined. `text` is the stream `doc`
 * was parsed from, without a byte order mark (the offsets of the parse count from after it).
 */
export function sourceLine(text: string, doc: ParsedDocument): string | undefined {
  const [start, valueEnd] = doc.doc.range;
  const contentStart = doc.value === null ? valueEnd : (doc.doc.contents?.range?.[0] ?? valueEnd);
  for (const line of text.slice(start, contentStart).split('\n')) {
    if (!line.startsWith(SOURCE_PREFIX)) continue;
    const value = line.slice(SOURCE_PREFIX.length).replace(/[ \t\r]+$/, '');
    return value === '' || UNSAFE.test(value) ? undefined : value;
  }
  return undefined;
}

/** The postrender-filename annotation of a value, when it is a non-empty, safe string. */
export function annotatedTemplate(value: unknown): string | undefined {
  const annotations = (value as Partial<KubeObject> | null)?.metadata?.annotations;
  const name = annotations && typeof annotations === 'object' ? annotations[HELM_FILENAME_ANNOTATION] : undefined;
  return typeof name === 'string' && name !== '' && !UNSAFE.test(name) ? name : undefined;
}

/** The template of a whole document: its `# Source:` line, else its own annotation. */
export function documentTemplate(text: string, doc: ParsedDocument): string | undefined {
  return sourceLine(text, doc) ?? annotatedTemplate(doc.value);
}

/** The templates of a stream by line: each entry names the template from its line on. */
export type TemplateIndex = ReadonlyArray<{ line: number; template: string | undefined }>;

/**
 * The index of a stream's documents and of the objects collected from them (in stream order). An
 * object's own annotation wins over its document's template: a List's items may each name theirs.
 */
export function templateIndex(entries: ReadonlyArray<{ doc: ParsedDocument; template: string | undefined; objects: readonly LocatedObject[] }>): TemplateIndex {
  return entries.flatMap((e) => [
    { line: e.doc.line, template: e.template },
    ...e.objects.filter((o) => o.origin.path !== undefined).map((o) => ({ line: o.origin.line, template: annotatedTemplate(o.object) ?? e.template })),
  ]);
}

/** The template of the last entry that starts at or before `line` (a binary search: the index is in line order). */
export function templateAt(index: TemplateIndex, line: number): string | undefined {
  let lo = 0;
  let hi = index.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((index[mid] as TemplateIndex[number]).line <= line) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? undefined : index[lo - 1]?.template;
}

/** `where` with the template of its line, when it is a position in `file` (the stream) and one is known. */
export function withTemplate(where: SourcePosition | undefined, file: string, index: TemplateIndex): SourcePosition | undefined {
  if (!where || where.file !== file) return where;
  const template = templateAt(index, where.line);
  return template === undefined ? where : { ...where, template };
}
