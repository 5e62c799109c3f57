/**
 * The Helm post-renderer core: a YAML stream (everything Helm rendered) → documents without an
 * object dropped → collect (Lists unwrapped) → optional namespace labelling → guardrails →
 * canonical YAML, in stream order. Pure apart from the guardrail function it is given; the CLI
 * shell does the I/O. Canonical input comes out byte for byte. Helm 3's `# Source:` line of a
 * document is written back before each object of it, and Helm 4's
 * `postrenderer.helm.sh/postrender-filename` annotation is kept like any other annotation (and
 * given to the items of a List that carries it, inheritListTemplate): Helm maps documents back
 * to their templates with them.
 */
import { MeshplaneError } from '../../core/errors.js';
import type { KubeObject, LocatedObject, Notice, SourcePosition } from '../../core/types.js';
import { classifyDocument, collectSource } from '../../pipeline/collect.js';
import { joinYamlDocuments, yamlDocuments } from '../../pipeline/emit.js';
import { parseSourceFile, type ParsedDocument } from '../../pipeline/load.js';
import type { Violation } from '../../rules/types.js';
import { annotatedTemplate, documentTemplate, HELM_FILENAME_ANNOTATION, SOURCE_PREFIX, sourceLine, templateIndex, withTemplate, type TemplateIndex } from './template-names.js';

/** The pseudo file name of the manifests read from stdin (shown in error positions). */
export const STDIN_FILE = '<stdin>';

/** The label that selects a namespace's Istio revision (or tag) for sidecar injection. */
const REV_LABEL = 'istio.io/rev';

/** Runs the guardrails over the collected objects of the stream. */
export type GuardrailCheck = (objects: LocatedObject[], documents: ParsedDocument[]) => Promise<Violation[]>;

/** Options of {@link postRender}. */
export interface PostRenderOptions {
  /** Adds `istio.io/rev: <rev>` to Namespaces of the stream that have no revision label. */
  labelRevision?: string;
  check: GuardrailCheck;
}

/** What a post-render produced: the output stream when clean, and every violation found. */
export interface PostRenderResult {
  /** Canonical YAML; empty string when the stream held no objects. Never set when an error-severity violation was found. */
  output: string | undefined;
  /** Every finding; a position in the stream also names the chart template of its document (`where.template`) when Helm said it. */
  violations: Violation[];
  notices: Notice[];
}

/** One document of the stream with what Helm said about it and the objects collected from it. */
interface StreamEntry {
  doc: ParsedDocument;
  /** The value of its `# Source:` line (Helm 3), written back before each of its objects. */
  source: string | undefined;
  /** The template it came from: the `# Source:` line, else the postrender-filename annotation (Helm 4). */
  template: string | undefined;
  objects: LocatedObject[];
}

/** Post-renders one stream. Throws MeshplaneError on unparseable input (no partial output). */
export async function postRender(text: string, options: PostRenderOptions): Promise<PostRenderResult> {
  // The parse counts offsets from after a byte order mark; the `# Source:` lines are read at those offsets.
  const stream = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const { documents, notices } = withoutEmpty(parseSourceFile({ path: STDIN_FILE, text: stream }), stream);
  rejectNonObjects(documents, stream);
  const entries = documents.map((doc): StreamEntry => {
    const collected = collectSource([doc]);
    notices.push(...collected.notices);
    const source = sourceLine(stream, doc);
    const template = source ?? annotatedTemplate(doc.value);
    return { doc, source, template, objects: source === undefined ? inheritListTemplate(doc, collected.objects) : collected.objects };
  });
  const index = templateIndex(entries);
  const out = entries.flatMap((e) => e.objects.map((o) => ({ located: options.labelRevision ? labelNamespace(o, options.labelRevision) : o, source: e.source })));
  const violations = (await options.check(out.map((o) => o.located), documents)).map((v) => named(v, index));
  const failed = violations.some((v) => v.severity === 'error');
  if (out.length === 0) notices.push({ level: 'warning', message: 'the input held no Kubernetes objects; the output is empty (Helm 4 rejects an empty post-renderer output)' });
  return { output: failed ? undefined : emitStream(out.map((o) => ({ object: o.located.object, source: o.source }))), violations, notices };
}

/**
 * The stream's documents without those that hold no object: empty (a `---` with nothing after
 * it, a trailing `---`), comments only (Helm 3 sends `---\n# Source: …` and the comments of a
 * template that renders nothing else; `--dry-run --hide-secret` sends `# HIDDEN: …` documents)
 * or null (`~`, `null`). Helm and kubectl skip these too. Each one dropped is an info notice.
 */
function withoutEmpty(parsed: ParsedDocument[], stream: string): { documents: ParsedDocument[]; notices: Notice[] } {
  const notices: Notice[] = [];
  const documents = parsed.filter((d) => {
    if (d.value !== null) return true;
    notices.push({ level: 'info', message: `document ${d.index + 1} holds no object (empty, comments only or null): skipped, as Helm and kubectl skip it`, where: documentWhere(d, sourceLine(stream, d)) });
    return false;
  });
  return { documents, notices };
}

/**
 * Every document left must be a Kubernetes object (or a List of them): anything else would be
 * dropped silently by a tool that skips it, or fail later inside Helm, far from its cause. Fail
 * here, with the document's position, its template and a fix that fits what it is.
 */
function rejectNonObjects(documents: ParsedDocument[], stream: string): void {
  const bad = documents.filter((d) => {
    const cls = classifyDocument(d.value);
    return cls !== 'object' && cls !== 'list';
  });
  if (bad.length === 0) return;
  throw new MeshplaneError(
    'yaml-invalid',
    bad.length === 1 ? 'a document of the input is not a Kubernetes object' : `${bad.length} documents of the input are not Kubernetes objects`,
    bad.map((d) => {
      const template = documentTemplate(stream, d);
      return { where: documentWhere(d, template), message: `document ${d.index + 1}: ${describe(d.value)}`, hint: fixFor(d.value, template) };
    }),
    'post-render passes on Kubernetes objects only (documents that are empty, comments only or null are skipped)',
  );
}

function describe(value: unknown): string {
  const cls = classifyDocument(value);
  if (cls === 'intent') return 'a Meshplane ServiceMesh intent';
  if (cls === 'lock') return 'a Meshplane lock (meshplane.lock.yaml), not a cluster object';
  if (cls === 'tool-config') return 'tool configuration, not a cluster object';
  return 'no apiVersion/kind';
}

/** Where a document starts, with its template when Helm named one. */
function documentWhere(d: ParsedDocument, template: string | undefined): SourcePosition {
  return { file: d.file, line: d.line, column: d.column, ...(template !== undefined ? { template } : {}) };
}

function fixFor(value: unknown, template: string | undefined): string {
  const cls = classifyDocument(value);
  if (cls === 'intent') return 'pass the mesh intent with --intent (or MESHPLANE_INTENT); it is not part of a chart\'s output';
  const inTemplate = template !== undefined ? `the template ${template}` : 'the chart template that renders it';
  if (cls === 'lock' || cls === 'tool-config') return `remove it from ${inTemplate}: it is read by a tool, never applied to a cluster`;
  return `give the document apiVersion and kind in ${inTemplate}, or render nothing there`;
}

/**
 * The items of a List that carries Helm 4's filename annotation, each item without its own given
 * the List's. Why: Helm 4 annotates each object it sends, and a List it did not unwrap carries the
 * annotation on the List alone: kyaml's reader (sigs.k8s.io/kustomize/kyaml v0.20.1 and v0.21.1
 * kio/byteio_reader.go, ByteReader.Read) unwraps only `kind: List` (and `ResourceList`), only when
 * it parses a single document, so helm v4.0.0 to v4.1.x (annotateAndMerge parses a template
 * file's whole output at once) sends a List that shares its file with other documents whole, and
 * every Helm 4 up to v4.2.4 (which parses document by document) sends a typed List such as
 * `ConfigMapList` whole. Meshplane writes the items back as documents of their own, and Helm 4
 * files each document of the output under its own annotation, one without any under a made-up
 * `generated-by-postrender-<n>.yaml` (helm v4.2.4 pkg/action/action.go splitAndDeannotate), so
 * without this the items would leave their template. Only for a document with no `# Source:`
 * line: Helm 3 reads no annotation back, and one added there would reach the cluster.
 */
function inheritListTemplate(doc: ParsedDocument, objects: LocatedObject[]): LocatedObject[] {
  const listName = classifyDocument(doc.value) === 'list' ? annotatedTemplate(doc.value) : undefined;
  if (listName === undefined) return objects;
  return objects.map((o) => {
    const annotations: unknown = o.object.metadata?.annotations;
    // An item that names its own template keeps it; malformed annotations are left for the rules to report.
    if (annotations !== undefined && annotations !== null && (typeof annotations !== 'object' || Array.isArray(annotations) || Object.hasOwn(annotations, HELM_FILENAME_ANNOTATION))) return o;
    const metadata = { ...(o.object.metadata ?? {}), annotations: { ...(annotations ?? {}), [HELM_FILENAME_ANNOTATION]: listName } };
    return { ...o, object: { ...o.object, metadata } };
  });
}

/** A finding whose position is in the stream, with the template of its document. */
function named(v: Violation, index: TemplateIndex): Violation {
  const where = withTemplate(v.where, STDIN_FILE, index);
  return where === v.where ? v : { ...v, where };
}

/**
 * The output stream: each object's canonical YAML (emit.ts), after the `# Source:` line of the
 * document it came from when that had one (the items of a List share the List's). Why write it
 * back: Helm 3 keeps the post-renderer's output as the release manifest, `helm get manifest`
 * shows it, and `helm template --show-only` finds templates by those lines (helm v3.21.4
 * cmd/helm/template.go).
 */
function emitStream(objects: ReadonlyArray<{ object: KubeObject; source: string | undefined }>): string {
  const docs = yamlDocuments(objects.map((o) => o.object));
  return joinYamlDocuments(docs.map((d, i) => {
    const source = objects[i]?.source;
    return source === undefined ? d : `${SOURCE_PREFIX}${source}\n${d}`;
  }));
}

function labelNamespace(o: LocatedObject, rev: string): LocatedObject {
  const obj = o.object;
  if (obj.kind !== 'Namespace' || obj.apiVersion !== 'v1' || obj.metadata?.labels?.[REV_LABEL] !== undefined) return o;
  const metadata = { ...(obj.metadata ?? {}), labels: { ...(obj.metadata?.labels ?? {}), [REV_LABEL]: rev } };
  return { ...o, object: { ...obj, metadata } };
}
