/**
 * When the shipped catalog was last read from its sources: every catalog/*.yaml names the date
 * it was read in its header comment (`read 2026-11-25`). `meshplane version` and the server's
 * `meshplane_build_info` both report it from here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { packagePath } from '../core/paths.js';

/** The newest date a catalog file's header says it was read (`read 2026-11-25`), or undefined. */
export function headerDate(text: string): string | undefined {
  const header = text.split('\n').filter((l) => l.startsWith('#')).join('\n');
  const dates = [...header.matchAll(/\bread (\d{4}-\d{2}-\d{2})\b/gi)].map((m) => m[1] as string).sort();
  return dates[dates.length - 1];
}

/** The read date of every catalog file, by file name (`unknown` when its header names none). */
export function catalogReadDates(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(packagePath('catalog')).filter((n) => n.endsWith('.yaml')).sort()) {
    files[name] = headerDate(readFileSync(packagePath('catalog', name), 'utf8')) ?? 'unknown';
  }
  return files;
}

/** The newest read date over the given files' dates, or `unknown`. */
export function newestDate(dates: Record<string, string>): string {
  return Object.values(dates).filter((d) => d !== 'unknown').sort().pop() ?? 'unknown';
}
