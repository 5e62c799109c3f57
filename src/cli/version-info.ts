/**
 * What `meshplane version` reports: the package version, the git commit recorded at build time
 * (dist/build-info.json, written by scripts/build-info.mjs; "unknown" without it), the Node.js
 * version, and the catalog: the newest "read YYYY-MM-DD" date in the headers of catalog/*.yaml
 * (each data file names the date its facts were read), the revisions it can render, and how far
 * its knowledge of AKS reaches (catalog/horizon.ts): re-reading an old snapshot moves the read
 * date but not that one, which is the date the revision-end-of-life warnings name.
 */
import { readFileSync } from 'node:fs';
import { loadCatalog } from '../catalog/catalog.js';
import { catalogHorizon, vouchedUntilFor } from '../catalog/horizon.js';
import { catalogReadDates, newestDate } from '../catalog/read-dates.js';
import { packagePath } from '../core/paths.js';

/** The version report. */
export interface VersionInfo {
  version: string;
  commit: string;
  node: string;
  catalog: {
    date: string;
    files: Record<string, string>;
    revisions: string[];
    /** The date the revision catalog's knowledge of AKS reaches, its basis, and the last day it vouches for support (null without dates). */
    knowledge: { asOf: string; basis: string; vouchedUntil: string; newest: string; newestVouchedUntil: string } | null;
  };
}

/** The git commit recorded at build time (dist/build-info.json), or `unknown`. */
export function buildCommit(): string {
  try {
    const info = JSON.parse(readFileSync(packagePath('dist', 'build-info.json'), 'utf8')) as { commit?: unknown };
    return typeof info.commit === 'string' && info.commit !== '' ? info.commit : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Collects the version report. */
export function versionInfo(version: string): VersionInfo {
  const files = catalogReadDates();
  const date = newestDate(files);
  const catalog = loadCatalog();
  const h = catalogHorizon(catalog);
  const knowledge = h ? { asOf: h.asOf, basis: h.basis, vouchedUntil: h.vouchedUntil, newest: h.newest, newestVouchedUntil: vouchedUntilFor(h, { name: h.newest }) } : null;
  return { version, commit: buildCommit(), node: process.version, catalog: { date, files, revisions: catalog.revisions.map((r) => r.name), knowledge } };
}

/** The text form: one `key: value` line each. */
export function formatVersionText(v: VersionInfo): string {
  const k = v.catalog.knowledge;
  const knows = k ? [`revisions known up to: ${k.asOf} (${k.basis}); support vouched for until ${k.vouchedUntil} (${k.newest}, the newest: ${k.newestVouchedUntil})`] : [];
  return [`meshplane ${v.version}`, `commit: ${v.commit}`, `node: ${v.node}`, `catalog: ${v.catalog.date}`, `revisions: ${v.catalog.revisions.join(', ')}`, ...knows, ''].join('\n');
}

/** The package version (package.json). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
}
