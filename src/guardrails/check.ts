/**
 * The public check API: a render result → every rule's findings, exceptions applied, in a
 * deterministic report. A rule that throws fails closed: its outcome is `error` and it yields an
 * error-severity finding that no exception can waive (so the sync fails, exit code 1).
 */
import { loadCatalog } from '../catalog/catalog.js';
import { loadGuardrailData } from '../catalog/guardrails.js';
import { formatPosition } from '../core/errors.js';
import { applyExceptions, evaluateExceptions, type ExceptionReport, type WaivedViolation } from './exceptions.js';
import { resourceKey } from '../core/resource-key.js';
import type { LocatedObject, SourcePosition } from '../core/types.js';
import type { RenderResult } from '../pipeline/render.js';
import { positionOf, type FieldPath, type ParsedDocument } from '../pipeline/load.js';
import { forbiddenPolicy } from '../pipeline/policy.js';
import { allRules, ruleIds } from '../rules/index.js';
import { prepareObjectSchemas } from '../rules/support/object-schemas.js';
import type { Rule, RuleContext, RuleOutcome, Severity, Violation } from '../rules/types.js';

/** Exception and waiver shapes of a report (defined in exceptions.ts). */
export type { ExceptionReport, WaivedViolation } from './exceptions.js';

/**
 * Loads what the first {@link check} would load (the object schemas' validators and kind
 * table, the guardrail data), so a caller with idle time before its check (generate, while the
 * templates evaluate) can take that cost off its critical path. A failure here is left for
 * `check` itself to report.
 */
export function prepareGuardrails(): void {
  try {
    prepareObjectSchemas();
    loadGuardrailData();
  } catch {
    // check() loads the same data and fails closed with its own error
  }
}

/** Inputs of a check besides the render. */
export interface CheckOptions {
  /** The clock: exception expiry and end-of-life are decided against it. */
  now: Date;
  /** KUBE_API_VERSIONS, split at commas; api-unavailable is skipped without it. */
  kubeApiVersions?: string[];
  /** The rules to run (default: the whole registry). */
  rules?: readonly Rule[];
}

/** How one rule ended. */
export interface RuleResult {
  ruleId: string;
  severity: Severity;
  description: string;
  outcome: RuleOutcome;
  /** Findings left after exceptions. */
  violations: number;
  waived: number;
  /** Why the rule was skipped, or the error it threw. */
  detail?: string;
}

/** A visible line about the policy itself (e.g. a forbidden kind removed from the default list). */
export interface PolicyLine {
  message: string;
  where?: SourcePosition;
}

/** Everything a report prints. */
export interface CheckReport {
  mesh: string;
  kubernetesVersion: string;
  /** The clock, as YYYY-MM-DD. */
  now: string;
  /** Findings not waived, sorted (errors first, then by file, line, rule, resource). */
  violations: Violation[];
  waived: WaivedViolation[];
  exceptions: ExceptionReport[];
  policy: PolicyLine[];
  /** One entry per rule, sorted by id. */
  rules: RuleResult[];
  summary: { outcomes: Record<RuleOutcome, number>; errors: number; warnings: number; waived: number };
}

/** Marks findings of a rule that crashed; they are never waived. */
const CRASH_PREFIX = 'the rule could not run: ';

/** Runs every rule over the render and applies the mesh's exceptions. */
export function check(render: RenderResult, opts: CheckOptions): CheckReport {
  const ctx = context(render, opts);
  const rules = [...(opts.rules ?? allRules())].sort((a, b) => cmp(a.id, b.id));
  const states = evaluateExceptions(render.intent, opts.now, ruleIds(), ctx.locateIntent);
  const runs = rules.map((rule) => runRule(rule, ctx));
  const found = runs.flatMap((r) => r.violations);
  const applied = applyExceptions(found, states, (i) => ctx.locateIntent(['spec', 'policy', 'exceptions', i]), (v) => v.message.startsWith(CRASH_PREFIX));
  const remaining = applied.remaining.sort(compareViolations);
  const results = runs.map((r) => result(r, remaining, applied.waived));
  return {
    mesh: render.intent.metadata.name,
    kubernetesVersion: render.input.kubernetes.version,
    now: opts.now.toISOString().slice(0, 10),
    violations: remaining,
    waived: applied.waived.sort((a, b) => compareViolations(a.violation, b.violation)),
    exceptions: applied.exceptions,
    policy: policyLines(render, ctx),
    rules: results,
    summary: summarize(results, remaining, applied.waived.length),
  };
}

interface RuleRun {
  rule: Rule;
  violations: Violation[];
  skipped?: string;
  crashed?: string;
}

function runRule(rule: Rule, ctx: RuleContext): RuleRun {
  try {
    const skipped = rule.skip?.(ctx);
    if (skipped !== undefined) return { rule, violations: [], skipped };
    return { rule, violations: rule.check(ctx) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const crash: Violation = { ruleId: rule.id, severity: 'error', resource: resourceKey(render(ctx)), where: ctx.locateIntent([]), message: `${CRASH_PREFIX}${message}`, remediation: 'this is a Meshplane bug: report it with the source that triggers it; the check fails closed until then' };
    return { rule, violations: [crash], crashed: message };
  }
}

function render(ctx: RuleContext): LocatedObject['object'] {
  return ctx.render.intent as unknown as LocatedObject['object'];
}

function result(run: RuleRun, remaining: Violation[], waived: WaivedViolation[]): RuleResult {
  const mine = remaining.filter((v) => v.ruleId === run.rule.id);
  const waivedCount = waived.filter((w) => w.violation.ruleId === run.rule.id).length;
  const outcome: RuleOutcome = run.crashed !== undefined ? 'error' : run.skipped !== undefined ? 'skip' : mine.some((v) => v.severity === 'error') ? 'fail' : mine.length > 0 ? 'warn' : 'pass';
  const base = { ruleId: run.rule.id, severity: run.rule.severity, description: run.rule.description, outcome, violations: mine.length, waived: waivedCount };
  const detail = run.crashed ?? run.skipped;
  return detail === undefined ? base : { ...base, detail };
}

function summarize(results: RuleResult[], remaining: Violation[], waived: number): CheckReport['summary'] {
  const outcomes: Record<RuleOutcome, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) outcomes[r.outcome]++;
  const errors = remaining.filter((v) => v.severity === 'error').length;
  return { outcomes, errors, warnings: remaining.length - errors, waived };
}

function policyLines(render: RenderResult, ctx: RuleContext): PolicyLine[] {
  const where = ctx.locateIntent(['spec', 'policy', 'forbiddenKinds']);
  return forbiddenPolicy(render.intent, ctx.data.forbiddenKinds).changes.map((c) => ({
    message: c.change === 'removed' ? `forbidden kind ${c.kind} is NOT enforced: spec.policy.forbiddenKinds drops it from the default list` : `forbidden kind ${c.kind} is added to the default list by spec.policy.forbiddenKinds`,
    where,
  }));
}

/** True when a report fails the sync: an error-severity finding is left after exceptions. */
export function hasErrors(report: CheckReport): boolean {
  return report.summary.errors > 0;
}

function context(render: RenderResult, opts: CheckOptions): RuleContext {
  const data = loadGuardrailData();
  const findDocument = documentFinder(render.documents);
  const locateIntent = (path: FieldPath): SourcePosition => positionOf(render.intentDocument, path);
  const locate = (o: LocatedObject, path: FieldPath = []): SourcePosition => {
    if (o.origin.kind !== 'source') return locateIntent([]);
    const doc = findDocument(o.origin.file, o.origin.line);
    const item = /^items\[(\d+)\]$/.exec(o.origin.path ?? '');
    const prefix: FieldPath = item ? ['items', Number(item[1])] : [];
    return doc ? positionOf(doc, [...prefix, ...path]) : { file: o.origin.file, line: o.origin.line, column: o.origin.column };
  };
  const base = { render, objects: render.objects, catalog: loadCatalog(), now: opts.now, data, forbiddenKinds: forbiddenPolicy(render.intent, data.forbiddenKinds).kinds, locate, locateIntent };
  return opts.kubeApiVersions ? { ...base, kubeApiVersions: opts.kubeApiVersions } : base;
}

/**
 * A lookup of the document of a file that holds a line: the last one starting at or before it.
 * Every finding of a check is located through it, so it must not cost a pass over the file's
 * documents: the documents are grouped by file once (in stream order, so by line) and each
 * lookup is a binary search. Copying a file's list for each document and scanning it for each
 * finding made `check` of one file of 80,000 objects take 64 s instead of 13.
 */
export function documentFinder(documents: readonly ParsedDocument[]): (file: string, line: number) => ParsedDocument | undefined {
  const byFile = new Map<string, ParsedDocument[]>();
  for (const d of documents) {
    const docs = byFile.get(d.file);
    if (docs) docs.push(d);
    else byFile.set(d.file, [d]);
  }
  return (file, line) => {
    const docs = byFile.get(file) ?? [];
    let lo = 0;
    let hi = docs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((docs[mid] as ParsedDocument).line <= line) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : docs[lo - 1];
  };
}

function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The report order: errors first, then file, line, column, rule id, resource, message. */
export function compareViolations(a: Violation, b: Violation): number {
  return (
    cmp(a.severity === 'error' ? 0 : 1, b.severity === 'error' ? 0 : 1) ||
    cmp(a.where?.file ?? '', b.where?.file ?? '') ||
    cmp(a.where?.line ?? 0, b.where?.line ?? 0) ||
    cmp(a.where?.column ?? 0, b.where?.column ?? 0) ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.resource, b.resource) ||
    cmp(a.message, b.message)
  );
}

/** `file:line:column` of a finding, or `-` when it has no position. */
export function whereText(v: Pick<Violation, 'where'>): string {
  return v.where ? formatPosition(v.where) : '-';
}
