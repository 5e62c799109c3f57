/**
 * The fleet report as text (stdout of `meshplane fleet`), and the short phrases every format
 * shares. Strings from the repository (folder names, mesh names, tags) pass through
 * terminalSafe, so a hostile folder name prints as one visible line.
 */
import { REFRESH_CATALOG } from '../catalog/horizon.js';
import { terminalSafe as t } from '../core/terminal-text.js';
import type { FleetCluster, FleetReport, FleetUpgrade, RevisionWindow } from './report.js';

/** The scope of the guardrail verdict, in words. */
export function scopeLine(report: FleetReport): string {
  return report.rendered ? 'guardrails on the intent, the source and the rendered add-on (--render)' : 'guardrails on the intent and the source (templates not evaluated; --render adds them)';
}

/** The summary counts in one line. */
export function summaryText(report: FleetReport): string {
  const s = report.summary;
  return `${plural(s.clusters, 'cluster')}, ${plural(s.revisions, 'revision')}: ${s.ok} ok, ${s.attention} need attention, ${s['end-of-life']} past end of life, ${s.failing} failing guardrails, ${s.error} could not be checked`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A revision's end of life in words: the date, `(estimated)` when it is. */
export function endOfLifeText(r: RevisionWindow): string {
  if (r.endOfLife === null) return 'unknown';
  return `${r.endOfLife}${r.endOfLifeEstimated ? ' (estimated)' : ''}`;
}

/** " (support unverified after <date>)" for a revision whose support the catalog cannot vouch for, else "". */
export function unverifiedText(r: RevisionWindow): string {
  return r.vouched ? '' : ` (support unverified after ${r.vouchedUntil ?? 'the catalog\'s horizon'})`;
}

/** The catalog's horizon in one line when the report's date is past it, else undefined. */
export function staleCatalogText(report: FleetReport): string | undefined {
  const c = report.catalog;
  if (!c?.stale) return undefined;
  return `the revision catalog knows AKS up to ${c.asOf} (${c.basis}) and vouches for support answers that need newer knowledge only until ${c.vouchedUntil}: support marked unverified may have changed; ${REFRESH_CATALOG}`;
}

/** The upgrade in words: what is available and whether it is allowed. */
export function upgradeText(u: FleetUpgrade): string {
  if (u.state === 'canary') return `canary in progress: ${u.next}`;
  if (u.available === null) return u.state === 'latest' ? 'none: on the newest revision' : `none (${u.state})`;
  const allowed = u.allowed.find((a) => a.revision === u.available);
  if (allowed) return `${u.available} available, allowed (${allowed.step})`;
  const others = u.allowed.length > 0 ? `; allowed now: ${u.allowed.map((a) => `${a.revision} (${a.step})`).join(', ')}` : '';
  return `${u.available} available, not allowed: ${u.blockedBecause.join('; ') || u.next}${others}`;
}

/** The guardrail verdict in words. */
export function guardrailText(c: FleetCluster): string {
  const g = c.guardrails;
  if (!g) return 'not run';
  const counts = `${g.errors} error${g.errors === 1 ? '' : 's'}, ${g.warnings} warning${g.warnings === 1 ? '' : 's'}${g.waived ? `, ${g.waived} waived` : ''}`;
  const rules = g.findings.length ? `: ${g.findings.map((f) => `${f.ruleId} ×${f.count}`).join(', ')}` : '';
  return `${g.verdict} (${counts})${rules}`;
}

/** The fleet report as plain text. */
export function formatFleetText(report: FleetReport): string {
  const lines = [`meshplane fleet, ${report.now}: ${summaryText(report)}`, `(${scopeLine(report)})`];
  const stale = staleCatalogText(report);
  if (stale) lines.push(`note: ${stale}`);
  for (const c of report.clusters) lines.push('', ...clusterLines(c));
  if (report.skippedSymlinks.length) lines.push('', `skipped symbolic links (never followed): ${report.skippedSymlinks.map(t).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

function clusterLines(c: FleetCluster): string[] {
  const head = `${t(c.cluster)}: ${c.status}`;
  if (c.error) return [head, `  error[${c.error.code}]: ${t(c.error.message)}`, `  fix: ${t(c.error.hint)}`];
  const lines = [head, `  mesh ${t(c.mesh ?? '-')} in ${t(c.folder)}, Kubernetes ${c.kubernetes?.version ?? '-'} (from ${t(c.kubernetes?.from ?? '-')})`];
  if (c.revisions.length === 0) lines.push('  no revision installed (spec.mode is not Istio)');
  for (const r of c.revisions) {
    const tags = r.tags.length ? `, tags ${r.tags.map(t).join(', ')}` : '';
    lines.push(`  ${t(r.revision)} (Istio ${r.istio ?? '?'}): ${r.status}, released ${r.released ?? '?'}, end of life ${endOfLifeText(r)}${unverifiedText(r)}${tags}`);
  }
  for (const d of c.danglingTags) lines.push(`  tag ${t(d.tag)} points at ${t(d.revision)}, which is not installed`);
  if (c.upgrade) lines.push(`  upgrade: ${t(upgradeText(c.upgrade))}`);
  lines.push(`  guardrails: ${guardrailText(c)}`);
  return lines;
}
