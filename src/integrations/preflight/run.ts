/**
 * The preflight library entry: cluster configuration → live snapshot → the intent through the
 * normal render pipeline (with the live server version as KUBE_VERSION) → the checks.
 * No process I/O here: the CLI command and the tests call {@link runPreflight} and format the report.
 */
import { loadCatalog } from '../../catalog/catalog.js';
import { render } from '../../pipeline/render.js';
import type { Notice } from '../../core/types.js';
import type { TemplateEngine } from '../../engine/template-engine.js';
import { readSourceTree } from '../../pipeline/load.js';
import type { Violation } from '../../rules/types.js';
import { checkCluster } from './checks/index.js';
import type { PreflightContext } from './checks/context.js';
import { readCluster, type ReadOptions } from './cluster-reader.js';
import { loadKubeConfig, type ClusterTarget } from './kube-config.js';

/** What to check and against which cluster. */
export interface PreflightOptions extends ClusterTarget, ReadOptions {
  /** The app source folder holding mesh.yaml. */
  dir: string;
  engine?: TemplateEngine;
}

/** The outcome of a preflight run. */
export interface PreflightReport {
  server: string;
  context: string;
  kubernetesVersion: string;
  mesh: string;
  revisions: string[];
  /** In rule order (checks/index.ts), then by resource. */
  violations: Violation[];
  notices: Notice[];
  /** Why no check ran (spec.mode Disabled), when none did. */
  skipped?: string;
  requests: number;
  /** Wall time of the cluster reads (all requests) and of the whole run (source, reads, render, checks). */
  timings: { clusterMs: number; totalMs: number };
}

/** Runs preflight; throws MeshplaneError for configuration, connection, auth and intent problems. */
export async function runPreflight(opts: PreflightOptions): Promise<PreflightReport> {
  const started = performance.now();
  const files = await readSourceTree(opts.dir);
  const loaded = loadKubeConfig(opts);
  const readStarted = performance.now();
  const cluster = await readCluster(loaded, opts);
  const clusterMs = performance.now() - readStarted;
  const result = await render({ files, env: { KUBE_VERSION: cluster.version.gitVersion }, ...(opts.engine ? { engine: opts.engine } : {}) });
  const ctx: PreflightContext = { cluster, intent: result.intent, intentDocument: result.intentDocument, catalog: loadCatalog() };
  const disabled = result.intent.spec.mode !== 'Istio';
  const violations = disabled ? [] : checkCluster(ctx);
  return {
    server: loaded.server,
    context: loaded.context,
    kubernetesVersion: cluster.version.gitVersion,
    mesh: result.intent.metadata.name,
    revisions: result.input.revisions.map((r) => r.name),
    violations,
    notices: [...loaded.notices, ...result.notices],
    ...(disabled ? { skipped: 'spec.mode is Disabled: the mesh installs nothing, so nothing in the cluster can conflict with it' } : {}),
    requests: cluster.requests,
    timings: { clusterMs: Math.round(clusterMs), totalMs: Math.round(performance.now() - started) },
  };
}

/** True when any violation is an error (exit 1). */
export function hasErrors(report: Pick<PreflightReport, 'violations'>): boolean {
  return report.violations.some((v) => v.severity === 'error');
}

