/**
 * Stage `collect`: rendered objects + the source's own manifests → one list of located objects.
 * `List` kinds are unwrapped; documents that are not Kubernetes objects are skipped by the
 * documented rule in {@link classifyDocument}, each with a notice.
 */
import { MeshplaneError } from '../core/errors.js';
import type { KubeObject, LocatedObject, Notice } from '../core/types.js';
import { listItemPosition, type ParsedDocument } from './load.js';
import { isIntentDocument } from './intent.js';
import { isLockDocument } from '../lock/lock-file.js';

/** The file name recorded as the origin of rendered objects. */
export const RENDERED_ORIGIN = 'templates/main.jsonnet';

/**
 * Kinds that look like manifests but are tool configuration, never applied to a cluster.
 * Why each: kustomize reads Kustomization/Component itself; Argo CD reads plugin.yaml from the
 * sidecar's config dir (the CRD was removed in Argo CD 2.8); Helm 4 post-renderer plugins and
 * Meshplane's own intent are read by those tools.
 */
export const TOOL_CONFIG_KINDS: ReadonlyArray<{ apiGroup: string; kind: string }> = [
  { apiGroup: 'kustomize.config.k8s.io', kind: 'Kustomization' },
  { apiGroup: 'kustomize.config.k8s.io', kind: 'Component' },
  { apiGroup: 'argoproj.io', kind: 'ConfigManagementPlugin' },
];

/** How a source document is treated. */
export type DocumentClass = 'object' | 'list' | 'intent' | 'lock' | 'tool-config' | 'not-an-object';

/**
 * The documented rule for what counts as a Kubernetes object: a mapping whose `apiVersion` and
 * `kind` are non-empty strings, that is neither the mesh intent, its lock, nor tool configuration
 * ({@link TOOL_CONFIG_KINDS}). `kind: List` or `*List` with an `items` array is a list.
 * Anything else (values files, Chart.yaml, plain data) is not an object and is skipped.
 */
export function classifyDocument(value: unknown): DocumentClass {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not-an-object';
  const v = value as Record<string, unknown>;
  if (typeof v.apiVersion !== 'string' || typeof v.kind !== 'string' || !v.apiVersion || !v.kind) return 'not-an-object';
  if (isIntentDocument(v)) return 'intent';
  if (isLockDocument(v)) return 'lock';
  const group = v.apiVersion.includes('/') ? v.apiVersion.split('/')[0] : '';
  if (TOOL_CONFIG_KINDS.some((t) => t.apiGroup === group && t.kind === v.kind)) return 'tool-config';
  if (v.kind.endsWith('List') && Array.isArray(v.items)) return 'list';
  return 'object';
}

/** Turns the source documents into located objects, plus notices for what was skipped. */
export function collectSource(docs: ParsedDocument[]): { objects: LocatedObject[]; notices: Notice[] } {
  const objects: LocatedObject[] = [];
  const notices: Notice[] = [];
  for (const doc of docs) {
    const where = { file: doc.file, line: doc.line, column: doc.column };
    const cls = classifyDocument(doc.value);
    if (cls === 'object') objects.push({ object: doc.value as KubeObject, origin: { ...where, kind: 'source' } });
    else if (cls === 'list') objects.push(...unwrapList(doc));
    else if (cls === 'tool-config' || cls === 'not-an-object') {
      notices.push({ level: 'info', message: `skipped: not a Kubernetes object (${cls === 'tool-config' ? 'tool configuration' : 'no apiVersion/kind'})`, where });
    }
  }
  return { objects, notices };
}

function unwrapList(doc: ParsedDocument): LocatedObject[] {
  const items = (doc.value as { items: unknown[] }).items;
  const out: LocatedObject[] = [];
  items.forEach((item, i) => {
    const pos = listItemPosition(doc, i);
    const where = { file: doc.file, line: pos.line, column: pos.col, kind: 'source' as const, path: `items[${i}]` };
    const cls = classifyDocument(item);
    if (cls === 'object') out.push({ object: item as KubeObject, origin: where });
    else if (cls === 'list') throw new MeshplaneError('yaml-invalid', `${doc.file}:${pos.line}: a List inside a List is not supported`, [{ where, message: 'nested List' }], 'flatten the list: put every object directly under items');
    else throw new MeshplaneError('yaml-invalid', `${doc.file}:${pos.line}: List item ${i} is not a Kubernetes object`, [{ where, message: 'every item of a List needs apiVersion and kind' }], 'add apiVersion and kind to the item, or remove it');
  });
  return out;
}

/** Wraps the template output (a JSON array of objects) as located objects. */
export function collectRendered(rendered: unknown): LocatedObject[] {
  if (!Array.isArray(rendered)) throw new MeshplaneError('template-failed', 'the templates did not return a list of objects', [], 'templates/main.jsonnet must evaluate to an array');
  return rendered.map((object, i) => {
    if (classifyDocument(object) !== 'object') throw new MeshplaneError('template-failed', `rendered item ${i} is not a Kubernetes object`, [], 'a template returned something without apiVersion/kind; this is a Meshplane bug');
    return { object: object as KubeObject, origin: { file: RENDERED_ORIGIN, line: 1, column: 1, kind: 'rendered', path: `[${i}]` } };
  });
}
