/**
 * The warm-up: before /readyz says ready, the server renders a built-in minimal mesh through
 * the same core as every request (once per render worker). It loads the catalog, the schema validator and the templates,
 * and evaluates jsonnet once, so the first real request is not the slow one and a server whose
 * templates are broken never receives traffic.
 */
import { stringify } from 'yaml';
import { loadCatalog, revisionMinor } from '../catalog/catalog.js';
import type { SourceFile } from '../core/types.js';
import type { ServerContext } from './context.js';

/** The minimal mesh: the newest revision of the catalog, on the newest Kubernetes it supports. */
export function warmupSource(): SourceFile[] {
  const newest = [...loadCatalog().revisions].sort((a, b) => revisionMinor(a.name) - revisionMinor(b.name)).pop();
  if (!newest) throw new Error('the revision catalog is empty');
  const intent = {
    apiVersion: 'meshplane.io/v1alpha1',
    kind: 'ServiceMesh',
    metadata: { name: 'warm-up' },
    spec: { mode: 'Istio', istio: { revisions: [newest.name] }, cluster: { kubernetesVersion: newest.kubernetes.max } },
  };
  return [{ path: 'mesh.yaml', text: stringify(intent) }];
}

/** Runs the warm-up and marks the server ready; on failure the reason is kept for /readyz. */
export async function warmUp(ctx: ServerContext): Promise<boolean> {
  const started = Date.now();
  try {
    // One warm-up per render worker: each loads the templates and evaluates jsonnet once.
    const runs = Array.from({ length: ctx.core.parallelism ?? 1 }, () => ctx.core.generate(warmupSource(), {}, { format: 'yaml' }));
    for (const result of await Promise.all(runs)) {
      if (result.exitClass !== 'clean' || !result.output) throw new Error(`the warm-up mesh did not render cleanly (${result.report.summary.errors} error findings)`);
    }
    ctx.state.ready = true;
    ctx.state.reason = '';
    ctx.logger.info({ ms: Date.now() - started, renders: runs.length }, 'warm-up render passed: ready');
    return true;
  } catch (err) {
    ctx.state.reason = `the warm-up render failed: ${err instanceof Error ? err.message : String(err)}`;
    ctx.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'warm-up render failed: not ready');
    return false;
  }
}
