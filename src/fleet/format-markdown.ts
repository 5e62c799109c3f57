/**
 * The fleet report as Markdown (a PR comment, a wiki page, a job summary): one table row per
 * cluster. Every repository string goes through the Markdown escapers of the check report.
 */
import { cell, code } from '../output/markdown.js';
import type { FleetCluster, FleetReport } from './report.js';
import { endOfLifeText, guardrailText, scopeLine, staleCatalogText, summaryText, unverifiedText, upgradeText } from './format-text.js';

/** The fleet report as a Markdown table. */
export function formatFleetMarkdown(report: FleetReport): string {
  const lines = [`## Meshplane fleet, ${report.now}`, '', cell(summaryText(report)), '', `_${cell(scopeLine(report))}_`, ''];
  const stale = staleCatalogText(report);
  if (stale) lines.push(`> ${cell(stale)}`, '');
  lines.push('| cluster | status | Kubernetes | revisions (end of life) | tags | upgrade | guardrails |', '| --- | --- | --- | --- | --- | --- | --- |');
  for (const c of report.clusters) lines.push(row(c));
  if (report.skippedSymlinks.length) lines.push('', `Skipped symbolic links (never followed): ${report.skippedSymlinks.map(code).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

function row(c: FleetCluster): string {
  if (c.error) return `| ${code(c.cluster)} | **error** | | | | | ${cell(`error[${c.error.code}]: ${c.error.message}`)} |`;
  const revisions = c.revisions.map((r) => `${code(r.revision)} ${cell(r.status)} (${cell(endOfLifeText(r))})${cell(unverifiedText(r))}`).join('<br>') || 'none';
  const tags = c.revisions.flatMap((r) => r.tags.map((tag) => `${code(tag)} → ${code(r.revision)}`)).join('<br>');
  const status = c.status === 'ok' ? 'ok' : `**${c.status}**`;
  return `| ${code(c.cluster)} | ${status} | ${cell(c.kubernetes?.version ?? '-')} | ${revisions} | ${tags} | ${c.upgrade ? cell(upgradeText(c.upgrade)) : ''} | ${cell(guardrailText(c))} |`;
}
