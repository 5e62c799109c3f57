/**
 * `meshplane fleet`: the tree → one assessed line per cluster → the report. Plain data in (a
 * folder, a clock, whether to render), plain data out; the CLI shell prints and maps exit codes.
 */
import { loadCatalog } from '../catalog/catalog.js';
import { defaultEngine } from '../engine/template-engine.js';
import { loadIntentValidator } from '../pipeline/intent.js';
import { assessCluster } from './assess.js';
import { discoverFleet } from './discover.js';
import { planCatalog } from '../upgrade/plan.js';
import { fleetReport, type FleetReport } from './report.js';

/** Inputs of a fleet run. */
export interface FleetRequest {
  root: string;
  now: Date;
  /** Evaluate the templates too, so the verdict is exactly `meshplane check`'s (slower). */
  render: boolean;
}

/** Reads the tree and assesses every cluster, one after the other (output order = cluster name). */
export async function runFleet(req: FleetRequest): Promise<FleetReport> {
  await loadIntentValidator();
  const source = await discoverFleet(req.root);
  const catalog = loadCatalog();
  const opts = req.render ? { now: req.now, catalog, engine: defaultEngine() } : { now: req.now, catalog };
  const clusters = [];
  for (const c of source.clusters) clusters.push(await assessCluster(c, opts));
  const now = req.now.toISOString().slice(0, 10);
  return fleetReport(now, req.render, clusters, source.symlinks, planCatalog(catalog, now));
}
