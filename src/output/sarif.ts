/**
 * The SARIF 2.1.0 report: for code-scanning UIs. One result per finding (waived findings carry an
 * `external` suppression with the exception's reason), the rule registry as the driver's rules,
 * policy lines and every exception (warning when expired) as configuration notifications, rule errors as execution
 * notifications. Paths are relative to the checked folder (uriBaseId SRCROOT).
 */
import type { CheckReport, WaivedViolation } from '../guardrails/check.js';
import { allRules } from '../rules/index.js';
import type { Violation } from '../rules/types.js';
import { exceptionLine, expiredWarning, type Formatter } from './common.js';

/** The SARIF version Meshplane writes. */
export const SARIF_VERSION = '2.1.0';
/** The schema URI a SARIF 2.1.0 file names in `$schema`. */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

type Json = Record<string, unknown>;

/** A UTF-16 surrogate without its partner: not a Unicode scalar value, so not text SARIF can carry. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `text` as well-formed Unicode: each lone surrogate becomes U+FFFD (visible as �). Why: SARIF
 * strings are Unicode text, JSON.stringify would write `\udXXX` escapes that decode to invalid
 * text, and encodeURIComponent throws on them.
 */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}

function location(v: Violation): Json {
  const logical = { fullyQualifiedName: v.resource, kind: 'resource' };
  if (!v.where) return { logicalLocations: [logical] };
  const uri = wellFormed(v.where.file).split('/').map(encodeURIComponent).join('/');
  return {
    physicalLocation: { artifactLocation: { uri, uriBaseId: 'SRCROOT' }, region: { startLine: v.where.line, startColumn: v.where.column } },
    logicalLocations: [logical],
  };
}

function result(v: Violation, ruleIndex: Map<string, number>, waived?: { reason: string }): Json {
  const out: Json = {
    ruleId: v.ruleId,
    ruleIndex: ruleIndex.get(v.ruleId) ?? -1,
    level: v.severity === 'error' ? 'error' : 'warning',
    message: { text: `${v.message}. Fix: ${v.remediation}` },
    locations: [location(v)],
  };
  if (waived) out.suppressions = [{ kind: 'external', status: 'accepted', justification: waived.reason }];
  return out;
}

function driverRules(): Json[] {
  return allRules()
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((r) => ({ id: r.id, shortDescription: { text: r.id }, fullDescription: { text: r.description }, defaultConfiguration: { level: r.severity === 'error' ? 'error' : 'warning' } }));
}

function waivedResults(report: CheckReport, index: Map<string, number>): Json[] {
  return report.waived.map((w: WaivedViolation) => result(w.violation, index, { reason: report.exceptions[w.exception]?.reason ?? '' }));
}

/** The sarif formatter. */
export const sarifFormatter: Formatter = {
  name: 'sarif',
  description: 'SARIF 2.1.0 for code-scanning tools; waived findings are suppressed results',
  format(report, opts) {
    const rules = driverRules();
    const index = new Map(rules.map((r, i) => [String(r.id), i]));
    const configuration = [
      ...report.policy.map((p) => ({ level: 'note', message: { text: `policy: ${p.message}` } })),
      ...report.exceptions.map((e, i) => ({ level: e.status === 'expired' ? 'warning' : 'note', message: { text: `exception ${i + 1}: ${exceptionLine(e)}${e.status === 'expired' ? `. ${expiredWarning(e)}` : ''}` } })),
    ];
    const execution = report.rules.filter((r) => r.outcome === 'error').map((r) => ({ level: 'error', message: { text: `rule ${r.ruleId} could not run: ${r.detail ?? ''}` } }));
    const run = {
      tool: { driver: { name: 'meshplane', version: opts.version, rules } },
      invocations: [{ executionSuccessful: execution.length === 0, toolConfigurationNotifications: configuration, toolExecutionNotifications: execution }],
      results: [...report.violations.map((v) => result(v, index)), ...waivedResults(report, index)],
      columnKind: 'unicodeCodePoints',
    };
    const log = { $schema: SARIF_SCHEMA_URI, version: SARIF_VERSION, runs: [run] };
    return `${JSON.stringify(log, (_key, value: unknown) => (typeof value === 'string' ? wellFormed(value) : value), 2)}\n`;
  },
};
