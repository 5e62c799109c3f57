/**
 * What `meshplane_build_info` reports about the running binary: the Meshplane version, the Node
 * version, the date the shipped catalog was last read from its sources, and the commit when the
 * image build recorded one. A pseudo-metric of value 1 whose labels carry the facts is the
 * Prometheus convention for build metadata (https://prometheus.io/docs/practices/naming/, the
 * `foobar_build_info` example; https://prometheus.io/docs/practices/instrumentation/, "Pseudo-metrics").
 */
import { meshplaneVersion } from '../flows/check-inputs.js';
import { catalogReadDates, newestDate } from '../catalog/read-dates.js';
import { buildCommit } from '../cli/version-info.js';
import { loadCatalog } from '../catalog/catalog.js';
import { catalogHorizon, vouchedUntilFor } from '../catalog/horizon.js';

/** The labels of `meshplane_build_info`. */
export interface BuildInfo {
  version: string;
  node_version: string;
  /** Newest `read YYYY-MM-DD` date in the headers of catalog/*.yaml; `unknown` if none. */
  catalog_date: string;
  /** MESHPLANE_COMMIT as set by the image build, else the commit recorded at build time; empty when not known. */
  commit: string;
}

/** The build facts of this process. */
export function buildInfo(env: Record<string, string | undefined> = process.env): BuildInfo {
  return {
    version: meshplaneVersion(),
    node_version: process.version,
    catalog_date: newestDate(catalogReadDates()),
    commit: env.MESHPLANE_COMMIT?.trim() || (buildCommit() === 'unknown' ? '' : buildCommit()),
  };
}

/** How far the shipped revision catalog's knowledge reaches, for the server's catalog gauges. */
export interface CatalogKnowledge {
  /** The date its knowledge reaches (YYYY-MM-DD): the oldest of its source snapshots. */
  asOf: string;
  /**
   * Each revision whose support answer depends on the catalog knowing newer revisions (an
   * expected end of life, `endOfLifeEstimated`), with the last day the catalog vouches for it
   * (src/catalog/horizon.ts vouchedUntilFor). A revision with an announced end of life is left
   * out: horizon.ts supportUnvouched never marks its answer unverified, and the fleet report gives
   * it no vouchedUntil, so a timestamp for it would only make an alert fire for nothing.
   */
  vouchedUntil: Array<{ revision: string; until: string }>;
}

/** The catalog's horizon as the server reports it; undefined for a catalog without dated revisions. */
export function catalogKnowledge(catalog = loadCatalog()): CatalogKnowledge | undefined {
  const h = catalogHorizon(catalog);
  if (!h) return undefined;
  const estimated = catalog.revisions.filter((r) => r.endOfLifeEstimated === true);
  return { asOf: h.asOf, vouchedUntil: estimated.map((r) => ({ revision: r.name, until: vouchedUntilFor(h, r) })) };
}
