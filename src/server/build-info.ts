/**
 * What `meshplane_build_info` reports about the running binary: the Meshplane version, the Node
 * version, the date the shipped catalog was last read from its sources, and the commit when the
 * image build recorded one. A pseudo-metric of value 1 whose labels carry the facts is the
 * Prometheus convention for build metadata (https://prometheus.io/docs/practices/naming/, the
 * `foobar_build_info` example; https://prometheus.io/docs/practices/instrumentation/, "Pseudo-metrics").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { meshplaneVersion } from '../flows/check-inputs.js';
import { packagePath } from '../core/paths.js';

/** The labels of `meshplane_build_info`. */
export interface BuildInfo {
  version: string;
  node_version: string;
  /** Newest `read YYYY-MM-DD` date in the headers of catalog/*.yaml; `unknown` if none. */
  catalog_date: string;
  /** MESHPLANE_COMMIT as set by the image build; empty when not known. */
  commit: string;
}

/** The newest "read YYYY-MM-DD" date stated in a set of catalog file texts (their source notes). */
export function newestReadDate(texts: readonly string[]): string | undefined {
  const dates = texts.flatMap((t) => [...t.matchAll(/\bread (\d{4}-\d{2}-\d{2})\b/g)].map((m) => m[1] as string));
  return dates.sort().at(-1);
}

/** The build facts of this process. */
export function buildInfo(env: Record<string, string | undefined> = process.env): BuildInfo {
  const dir = packagePath('catalog');
  const texts = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => readFileSync(`${dir}/${f}`, 'utf8'));
  return {
    version: meshplaneVersion(),
    node_version: process.version,
    catalog_date: newestReadDate(texts) ?? 'unknown',
    commit: env.MESHPLANE_COMMIT?.trim() ?? '',
  };
}
