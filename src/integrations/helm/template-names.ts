/**
 * Which chart template each document of a Helm stream came from, as Helm says it: Helm 3 writes
 * `---\n# Source: <chart>/templates/<file>\n` before every document it renders (helm v3.21.4
 * pkg/action/action.go, renderResources), Helm 4 instead sets the annotation
 * `postrenderer.helm.sh/postrender-filename` on every document it sends to a post-renderer (helm
 * v4.2.4 pkg/action/action.go, annotateAndMerge; on a List it did not unwrap, the List's own). Positions in `<stdin>` name a stream the user
 * never sees; the template is what they can open and fix.
 */
import type { KubeObject, LocatedObject, SourcePosition } from '../../core/types.js';
import { GO_ESCAPE } from '../../pipeline/go-yaml-scalars.js';
import type { ParsedDocument } from '../../pipeline/load.js';

/** Helm 4's annotation naming the template file a document came from. */
export const HELM_FILENAME_ANNOTATION = 'postrenderer.helm.sh/postrender-filename';

/** The start of the comment line Helm 3 writes before each document (and finds it by in `helm template --show-only`). */
export const SOURCE_PREFIX = '# Source: ';

/**
 * Characters that make a `# Source:` value unusable: the C0 controls and every character the
 * emitter escapes for Go (pipeline/go-yaml-scalars.ts GO_ESCAPE: DEL, the C1 controls, NEL, LS,
 * PS, U+FFFE, U+FFFF). Why: controls would garble a terminal, CR, NEL, LS and PS end a comment
 * line for go-yaml (which Helm uses), so a value holding one could not be written back as one
 * comment, and go-yaml's reader refuses the rest anywhere.
 */
const UNSAFE = new RegExp(`[\\u0000-\\u001f]|${GO_ESCAPE.source}`);

/**
 * The longest template name kept, in UTF-16 units. Why a bound: the name is written back before
 * every object of its document (each item of a List) and repeated in every finding, so an
 * unbounded one multiplies the output; Linux's PATH_MAX (4096) is the longest path a template
 * could have. A longer value is treated as no name at all.
 */
export const MAX_TEMPLATE_NAME = 4096;

/**
 * The blanks that end a `# Source:` line (Helm writes none; an editor or a CRLF stream may).
 * Why the lookbehind: a search for `[ \t\r]+$` starts again at every blank of a run that is
 * not at the end and scans the rest of the run each time, quadratic in the run (a line of
 * 80,000 blanks before one more character took post-render 7.5 s); the lookbehind lets a match
 * start only where a run starts.
 */
export const TRAILING_BLANKS = /(?<![ \t\r])[ \t\r]+$/;

/** A name worth keeping: not empty, within {@link MAX_TEMPLATE_NAME}, and no character that {@link UNSAFE} names. */
function usable(name: string): boolean {
  return name !== '' && name.length <= MAX_TEMPLATE_NAME && !UNSAFE.test(name);
}

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
    const value = line.slice(SOURCE_PREFIX.length).replace(TRAILING_BLANKS, '');
    return usable(value) ? value : undefined;
  }
  return undefined;
}

/** The postrender-filename annotation of a value, when it is a non-empty, safe string. */
export function annotatedTemplate(value: unknown): string | undefined {
  const annotations = (value as Partial<KubeObject> | null)?.metadata?.annotations;
  const name = annotations && typeof annotations === 'object' ? annotations[HELM_FILENAME_ANNOTATION] : undefined;
  return typeof name === 'string' && usable(name) ? name : undefined;
}

/** The template of a whole document: its `# Source:` line, else its own annotation. */
export function documentTemplate(text: string, doc: ParsedDocument): string | undefined {
  return sourceLine(text, doc) ?? annotatedTemplate(doc.value);
}

/** The templates of a stream by position: each entry names the template from its line and column on. */
export type TemplateIndex = ReadonlyArray<{ line: number; column: number; template: string | undefined }>;

/**
 * The index of a stream's documents and of the objects collected from them (in stream order).
 * Each object is named the way Helm names it once the post-renderer's output comes back:
 * - a document with a `# Source:` line (Helm 3's stream): that line, for every object of it, the
 *   items of a List included. Helm 3 reads nothing else back: `helm template --show-only` takes
 *   the first `# Source:` line of each document (helm v3.21.4 cmd/helm/template.go), and
 *   {@link emitStream} in post-render.ts writes the List's line before each item.
 * - otherwise (Helm 4's stream): the object's own filename annotation, else its document's (a
 *   List's items without one are given the List's on the way out, post-render.ts
 *   inheritListTemplate). Helm 4 reads each output document's annotation back
 *   (helm v4.2.4 pkg/action/action.go splitAndDeannotate) and the output holds no List.
 */
export function templateIndex(entries: ReadonlyArray<{ doc: ParsedDocument; source: string | undefined; template: string | undefined; objects: readonly LocatedObject[] }>): TemplateIndex {
  return entries.flatMap((e) => [
    { line: e.doc.line, column: e.doc.column, template: e.template },
    ...e.objects.filter((o) => o.origin.path !== undefined).map((o) => ({ line: o.origin.line, column: o.origin.column, template: e.source ?? annotatedTemplate(o.object) ?? e.template })),
  ]);
}

/**
 * The template of the last entry that starts at or before `line`:`column` (a binary search: the
 * index is in stream order). Why the column too: the items of a flow-style List can share a line.
 */
export function templateAt(index: TemplateIndex, line: number, column = Number.MAX_SAFE_INTEGER): string | undefined {
  let lo = 0;
  let hi = index.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const entry = index[mid] as TemplateIndex[number];
    if (entry.line < line || (entry.line === line && entry.column <= column)) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? undefined : index[lo - 1]?.template;
}

/** `where` with the template of its line, when it is a position in `file` (the stream) and one is known. */
export function withTemplate(where: SourcePosition | undefined, file: string, index: TemplateIndex): SourcePosition | undefined {
  if (!where || where.file !== file) return where;
  const template = templateAt(index, where.line, where.column);
  return template === undefined ? where : { ...where, template };
}
