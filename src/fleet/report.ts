/**
 * The fleet report as plain data: one entry per cluster (revisions with their support windows,
 * tags, Kubernetes version, upgrade, guardrail verdict), a summary, and the exit code it implies.
 * Every formatter (text, JSON, markdown, HTML) prints this and nothing else.
 */
import type { PlanCatalog, PlanState, Step } from '../upgrade/plan.js';

/**
 * Where a revision stands on the report's date. `ending-soon`: supported, but its end of life
 * is near or its estimated date has passed and only the support policy's "two newest" rule keeps
 * it supported; `end-of-life`: no longer supported; `not-released`: AKS has not released it yet;
 * `unknown`: the catalog does not know the name.
 */
export type WindowStatus = 'supported' | 'ending-soon' | 'end-of-life' | 'not-released' | 'unknown';

/** One installed revision and its support window. */
export interface RevisionWindow {
  revision: string;
  /** The Istio version the add-on revision ships (catalog), or null when unknown. */
  istio: string | null;
  released: string | null;
  endOfLife: string | null;
  endOfLifeEstimated: boolean;
  status: WindowStatus;
  /** The support state in words (from the upgrade planner; it says "unverified" and why when {@link vouched} is false). */
  support: string;
  /**
   * False when the support answer rests on knowledge the revision catalog cannot vouch for on the
   * report's date: the end of life is only expected, or the revision is kept only as one of the
   * two newest, and the date is past {@link vouchedUntil} (catalog/horizon.ts supportUnvouched;
   * `upgrade plan` marks the same answers "unverified"). True otherwise, and for a revision the
   * catalog does not know (no support is claimed for it).
   */
  vouched: boolean;
  /**
   * The last day the catalog vouches for this revision's support answer (catalog/horizon.ts
   * vouchedUntilFor); null when the answer does not depend on the catalog knowing newer revisions
   * (an announced end of life), or the revision is not in the catalog.
   */
  vouchedUntil: string | null;
  /** Tags (spec.tags) that point at this revision. */
  tags: string[];
}

/** The upgrade part of a cluster's line. */
export interface FleetUpgrade {
  state: PlanState;
  /** The newest released catalog revision above the installed one, or null when none is. */
  available: string | null;
  /** Revisions `meshplane upgrade start` would accept today, with their step. */
  allowed: Array<{ revision: string; step: Step }>;
  /** Why `available` is not allowed (empty when it is, or when nothing is available). */
  blockedBecause: string[];
  /** The planner's first next step. */
  next: string;
}

/** The guardrail verdict: the check's outcome on the cluster's source. */
export interface FleetGuardrails {
  verdict: 'pass' | 'warn' | 'fail';
  errors: number;
  warnings: number;
  waived: number;
  /** Rules with findings left after exceptions, with their count, sorted by rule id. */
  findings: Array<{ ruleId: string; severity: 'error' | 'warning'; count: number }>;
}

/** How a cluster line reads at a glance. `error`: it could not be checked at all. */
export type ClusterStatus = 'ok' | 'attention' | 'end-of-life' | 'failing' | 'error';

/** One cluster of the fleet. */
export interface FleetCluster {
  cluster: string;
  /** The mesh folder, relative to the fleet root ('.' for the root). */
  folder: string;
  status: ClusterStatus;
  mesh: string | null;
  kubernetes: { version: string; from: string } | null;
  revisions: RevisionWindow[];
  /** Tags that point at a revision the mesh does not install (the render drops them). */
  danglingTags: Array<{ tag: string; revision: string }>;
  upgrade: FleetUpgrade | null;
  guardrails: FleetGuardrails | null;
  /** Why the cluster could not be checked (status `error`). */
  error: { code: string; message: string; hint: string } | null;
}

/** The whole report. */
export interface FleetReport {
  /** The clock, YYYY-MM-DD. */
  now: string;
  /**
   * How far the revision catalog behind the support answers reaches, and whether {@link now} is
   * past the day it vouches for (`stale`); null when it records no dated revision.
   */
  catalog: PlanCatalog | null;
  /** True when the guardrails ran on rendered objects too (`--render`). */
  rendered: boolean;
  clusters: FleetCluster[];
  /** Symlinks under the root that were skipped (never followed). */
  skippedSymlinks: string[];
  summary: Record<ClusterStatus, number> & { clusters: number; revisions: number };
}

/** Statuses that make `meshplane fleet` exit 1: the fleet needs action before the next sync. */
const FAILING: readonly ClusterStatus[] = ['failing', 'end-of-life', 'error'];

/** The status of a cluster that could be checked. */
export function clusterStatus(revisions: RevisionWindow[], guardrails: FleetGuardrails, upgrade: FleetUpgrade): ClusterStatus {
  if (guardrails.verdict === 'fail') return 'failing';
  if (revisions.some((r) => r.status === 'end-of-life' || r.status === 'unknown')) return 'end-of-life';
  const attention = guardrails.verdict === 'warn' || revisions.some((r) => r.status !== 'supported') || upgrade.state === 'canary' || upgrade.state === 'blocked';
  return attention ? 'attention' : 'ok';
}

/** Puts the clusters together with their summary. */
export function fleetReport(now: string, rendered: boolean, clusters: FleetCluster[], skippedSymlinks: string[], catalog: PlanCatalog | null): FleetReport {
  const summary: FleetReport['summary'] = { clusters: clusters.length, revisions: 0, ok: 0, attention: 0, 'end-of-life': 0, failing: 0, error: 0 };
  for (const c of clusters) {
    summary[c.status]++;
    summary.revisions += c.revisions.length;
  }
  return { now, catalog, rendered, clusters, skippedSymlinks, summary };
}

/** 0 when every cluster is ok or only needs attention; 1 when one fails its guardrails, runs a revision past end of life, or could not be checked. */
export function fleetExitCode(report: FleetReport): 0 | 1 {
  return report.clusters.some((c) => FAILING.includes(c.status)) ? 1 : 0;
}
