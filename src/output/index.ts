/**
 * The report-format registry: `meshplane check --output <name>`. Adding a format = one file in
 * this folder exporting a `Formatter` + one entry here; the registry test checks every entry.
 */
import type { Formatter, ReportFormat } from './common.js';
import { jsonFormatter } from './json.js';
import { junitFormatter } from './junit.js';
import { markdownFormatter } from './markdown.js';
import { sarifFormatter } from './sarif.js';
import { textFormatter } from './text.js';

/** The formatter contract (defined in common.ts). */
export type { Formatter, FormatOptions, ReportFormat } from './common.js';

/** Every report format, by name (text first: the default). */
export const FORMATTERS: ReadonlyMap<ReportFormat, Formatter> = new Map(
  [textFormatter, jsonFormatter, sarifFormatter, junitFormatter, markdownFormatter].map((f) => [f.name, f]),
);

/** The names of every format, in registry order. */
export function formatNames(): ReportFormat[] {
  return [...FORMATTERS.keys()];
}

/** The formatter of a format name (throws for an unknown name: callers validate with formatNames()). */
export function formatterFor(name: ReportFormat): Formatter {
  const f = FORMATTERS.get(name);
  if (!f) throw new Error(`no report format "${name}"`);
  return f;
}
