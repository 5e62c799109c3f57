/**
 * The Namespaces written in the app source (I/O: reads the tree the way the render pipeline
 * does), for resolving which namespaces a wave's label selector picks.
 */
import { parseSourceFiles, readSourceTree } from '../pipeline/load.js';
import type { NamespaceInfo } from '../intent/waves.js';

/** Every `v1 Namespace` document below `dir`, with its labels, sorted by name. */
export async function sourceNamespaces(dir: string): Promise<NamespaceInfo[]> {
  const docs = parseSourceFiles(await readSourceTree(dir));
  return namespacesOf(docs.map((d) => d.value));
}

/** The `v1 Namespace` objects among `values`, with their labels, sorted by name. */
export function namespacesOf(values: readonly unknown[]): NamespaceInfo[] {
  const out: NamespaceInfo[] = [];
  for (const v of values) {
    const o = v as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; labels?: Record<string, unknown> } } | null;
    if (!o || o.apiVersion !== 'v1' || o.kind !== 'Namespace' || typeof o.metadata?.name !== 'string') continue;
    const labels = Object.fromEntries(Object.entries(o.metadata.labels ?? {}).map(([k, l]) => [k, String(l)]));
    out.push({ name: o.metadata.name, labels });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
