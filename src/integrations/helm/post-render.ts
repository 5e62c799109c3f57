/**
 * The Helm post-renderer core: a YAML stream (everything Helm rendered) → collect (Lists
 * unwrapped) → optional namespace labelling → guardrails → canonical YAML, in stream order.
 * Pure apart from the guardrail function it is given; the CLI shell does the I/O.
 * Canonical input comes out byte for byte; Helm 4's `postrenderer.helm.sh/postrender-filename`
 * annotation is kept like any other annotation (Helm maps documents back to files with it).
 */
import { MeshplaneError } from '../../core/errors.js';
import type { LocatedObject, Notice } from '../../core/types.js';
import { classifyDocument, collectSource } from '../../pipeline/collect.js';
import { emitYaml } from '../../pipeline/emit.js';
import { parseSourceFile, type ParsedDocument } from '../../pipeline/load.js';
import type { Violation } from '../../rules/types.js';

/** The pseudo file name of the manifests read from stdin (shown in error positions). */
export const STDIN_FILE = '<stdin>';

/** Helm 4's annotation naming the template file a document came from. */
export const HELM_FILENAME_ANNOTATION = 'postrenderer.helm.sh/postrender-filename';

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
  violations: Violation[];
  notices: Notice[];
}

/** Post-renders one stream. Throws MeshplaneError on unparseable input (no partial output). */
export async function postRender(text: string, options: PostRenderOptions): Promise<PostRenderResult> {
  const documents = parseSourceFile({ path: STDIN_FILE, text });
  rejectNonObjects(documents);
  const { objects, notices } = collectSource(documents);
  const labelled = options.labelRevision ? objects.map((o) => labelNamespace(o, options.labelRevision as string)) : objects;
  const violations = await options.check(labelled, documents);
  const failed = violations.some((v) => v.severity === 'error');
  if (objects.length === 0) notices.push({ level: 'warning', message: 'the input held no Kubernetes objects; the output is empty (Helm 4 rejects an empty post-renderer output)' });
  return { output: failed ? undefined : emitYaml(labelled.map((o) => o.object)), violations, notices };
}

/**
 * Every document of a Helm stream must be a Kubernetes object (or a List of them): anything
 * else would be dropped silently by a tool that skips it, or fail later inside Helm, far from
 * its cause. Fail here, with the document's position.
 */
function rejectNonObjects(documents: ParsedDocument[]): void {
  const bad = documents.filter((d) => {
    const cls = classifyDocument(d.value);
    return cls !== 'object' && cls !== 'list';
  });
  if (bad.length === 0) return;
  throw new MeshplaneError(
    'yaml-invalid',
    bad.length === 1 ? 'a document of the input is not a Kubernetes object' : `${bad.length} documents of the input are not Kubernetes objects`,
    bad.map((d) => ({ where: { file: d.file, line: d.line, column: d.column }, message: `document ${d.index + 1}: ${describe(d.value)}` })),
    'every document on stdin needs apiVersion and kind; a mesh intent belongs in --intent, not in the chart output',
  );
}

function describe(value: unknown): string {
  const cls = classifyDocument(value);
  if (cls === 'intent') return 'a Meshplane ServiceMesh intent';
  if (cls === 'lock') return 'a Meshplane lock (meshplane.lock.yaml), not a cluster object';
  if (cls === 'tool-config') return 'tool configuration, not a cluster object';
  return 'no apiVersion/kind';
}

function labelNamespace(o: LocatedObject, rev: string): LocatedObject {
  const obj = o.object;
  if (obj.kind !== 'Namespace' || obj.apiVersion !== 'v1' || obj.metadata?.labels?.[REV_LABEL] !== undefined) return o;
  const metadata = { ...(obj.metadata ?? {}), labels: { ...(obj.metadata?.labels ?? {}), [REV_LABEL]: rev } };
  return { ...o, object: { ...obj, metadata } };
}
