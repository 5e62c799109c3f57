/**
 * What `meshplane version` reports: the package version, the git commit recorded at build time
 * (dist/build-info.json, written by scripts/build-info.mjs; "unknown" without it), the Node.js
 * version, and the catalog: the newest "read YYYY-MM-DD" date in the headers of catalog/*.yaml
 * (each data file names the date its facts were read) and the revisions it can render.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadCatalog } from '../catalog/catalog.js';
import { packagePath } from '../core/paths.js';

/** The version report. */
export interface VersionInfo {
  version: string;
  commit: string;
  node: string;
  catalog: { date: string; files: Record<string, string>; revisions: string[] };
}

/** The date a catalog file's header says it was read (`read 2026-11-25`), or undefined. */
export function headerDate(text: string): string | undefined {
  const header = text.split('\n').filter((l) => l.startsWith('#')).join('\n');
  const dates = [...header.matchAll(/\bread (\d{4}-\d{2}-\d{2})\b/gi)].map((m) => m[1] as string).sort();
  return dates[dates.length - 1];
}

function buildCommit(): string {
  try {
    const info = JSON.parse(readFileSync(packagePath('dist', 'build-info.json'), 'utf8')) as { commit?: unknown };
    return typeof info.commit === 'string' && info.commit !== '' ? info.commit : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Collects the version report. */
export function versionInfo(version: string): VersionInfo {
  const files: Record<string, string> = {};
  for (const name of readdirSync(packagePath('catalog')).filter((n) => n.endsWith('.yaml')).sort()) {
    files[name] = headerDate(readFileSync(packagePath('catalog', name), 'utf8')) ?? 'unknown';
  }
  const date = Object.values(files).filter((d) => d !== 'unknown').sort().pop() ?? 'unknown';
  return { version, commit: buildCommit(), node: process.version, catalog: { date, files, revisions: loadCatalog().revisions.map((r) => r.name) } };
}

/** The text form: one `key: value` line each. */
export function formatVersionText(v: VersionInfo): string {
  return [`meshplane ${v.version}`, `commit: ${v.commit}`, `node: ${v.node}`, `catalog: ${v.catalog.date}`, `revisions: ${v.catalog.revisions.join(', ')}`, ''].join('\n');
}

/** The package version (package.json). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
}
