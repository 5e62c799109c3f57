/** The JSON report: the whole check report, for tools (stable field order, one trailing newline). */
import type { Formatter } from './common.js';

/** The JSON report's format version; bumped on incompatible changes. */
export const JSON_REPORT_VERSION = 1;

/** The json formatter. */
export const jsonFormatter: Formatter = {
  name: 'json',
  description: 'the complete report as JSON: violations, waived findings, exceptions, policy lines, per-rule outcomes and counts',
  format: (report, opts) => `${JSON.stringify({ reportVersion: JSON_REPORT_VERSION, tool: { name: 'meshplane', version: opts.version }, ...report }, null, 2)}\n`,
};
