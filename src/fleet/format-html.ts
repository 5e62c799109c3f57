/**
 * The fleet report as one self-contained HTML page: inline CSS and SVG only, no script, no
 * external asset (a Content-Security-Policy meta tag forbids loading or running anything, so even
 * a string that slipped past escaping could not act). A summary, the timeline of every cluster's
 * revision support windows (./timeline.ts), then the table. Deterministic for a given report.
 */
import { escapeHtml as e, timelineSvg } from './timeline.js';
import type { FleetCluster, FleetReport } from './report.js';
import { endOfLifeText, guardrailText, scopeLine, staleCatalogText, summaryText, unverifiedText, upgradeText } from './format-text.js';

/**
 * Colours per status. Why these: the Material palette's green 800, amber 700, red 800, blue-grey
 * 400 and grey 500, which keep white text readable and differ for the common colour-blindness
 * types by lightness as well as hue.
 */
const STYLE = `
:root { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #fff; }
body { margin: 24px; }
h1 { font-size: 20px; margin: 0 0 4px; }
p.meta { margin: 0 0 12px; color: #57606a; font-size: 13px; }
ul.summary { display: flex; gap: 8px; list-style: none; padding: 0; margin: 0 0 16px; flex-wrap: wrap; }
ul.summary li { padding: 4px 10px; border-radius: 12px; font-size: 13px; color: #fff; }
.legend { font-size: 12px; margin: 0 0 8px; display: flex; gap: 14px; flex-wrap: wrap; }
.legend span::before { content: ""; display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 4px; vertical-align: -2px; background: var(--c); }
#timeline { display: block; margin-bottom: 20px; font-size: 11px; }
#timeline .stripe { fill: #f6f8fa; }
#timeline .tick { stroke: #d0d7de; stroke-width: 1; }
#timeline .tick-label { fill: #57606a; }
#timeline .cluster-label { fill: #1f2328; font-weight: 600; }
#timeline .bar-label { fill: #fff; font-weight: 600; pointer-events: none; }
#timeline .no-bar { fill: #57606a; font-style: italic; }
#timeline .bar.estimated { stroke: #1f2328; stroke-width: 1; stroke-dasharray: 3 2; }
#timeline .today { stroke: #0969da; stroke-width: 2; }
#timeline .today-label { fill: #0969da; font-weight: 600; }
.status-supported, .status-ok { --c: #2e7d32; fill: #2e7d32; background: #2e7d32; }
.status-ending-soon, .status-attention { --c: #f57f17; fill: #f57f17; background: #f57f17; }
.status-end-of-life, .status-failing, .status-error { --c: #c62828; fill: #c62828; background: #c62828; }
.status-not-released { --c: #78909c; fill: #78909c; background: #78909c; }
.status-unknown { --c: #9e9e9e; fill: #9e9e9e; background: #9e9e9e; }
#timeline .cluster-label { fill: #1f2328; }
.legend span { background: transparent; }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.status span { color: #fff; padding: 1px 8px; border-radius: 10px; white-space: nowrap; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
`;

const LEGEND: ReadonlyArray<[string, string]> = [
  ['supported', 'supported'],
  ['ending-soon', 'end of life within 60 days, or past its estimated date'],
  ['end-of-life', 'past end of life'],
  ['not-released', 'not released yet'],
  ['unknown', 'not in the catalog'],
];

/** The fleet report as a self-contained HTML page. */
export function formatFleetHtml(report: FleetReport): string {
  const s = report.summary;
  const pills: Array<[string, string]> = [['ok', `${s.ok} ok`], ['attention', `${s.attention} attention`], ['end-of-life', `${s['end-of-life']} past end of life`], ['failing', `${s.failing} failing`], ['error', `${s.error} not checked`]];
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Meshplane fleet, ${e(report.now)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>Meshplane fleet, ${e(report.now)}</h1>`,
    `<p class="meta">${e(summaryText(report))}. ${e(capitalised(scopeLine(report)))}.</p>`,
    staleCatalogText(report) ? `<p class="meta" id="catalog-stale">${e(capitalised(staleCatalogText(report) ?? ''))}.</p>` : '',
    `<ul class="summary">${pills.map(([cls, text]) => `<li class="status-${cls}">${e(text)}</li>`).join('')}</ul>`,
    `<div class="legend">${LEGEND.map(([cls, text]) => `<span class="status-${cls}">${e(text)}</span>`).join('')}<span class="estimated-note">dashed outline: estimated end of life</span></div>`,
    timelineSvg(report),
    table(report),
    report.skippedSymlinks.length ? `<p class="meta">Skipped symbolic links (never followed): ${report.skippedSymlinks.map((l) => `<code>${e(l)}</code>`).join(', ')}</p>` : '',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function table(report: FleetReport): string {
  const head = '<thead><tr><th>cluster</th><th>status</th><th>mesh</th><th>Kubernetes</th><th>revisions</th><th>end of life</th><th>tags</th><th>upgrade</th><th>guardrails</th></tr></thead>';
  return `<table id="clusters">\n${head}\n<tbody>\n${report.clusters.map(row).join('\n')}\n</tbody>\n</table>`;
}

function row(c: FleetCluster): string {
  const open = `<tr class="cluster" data-cluster="${e(c.cluster)}" data-status="${c.status}"><td><code>${e(c.cluster)}</code></td><td class="status"><span class="status-${c.status}">${c.status}</span></td>`;
  if (c.error) return `${open}<td colspan="7">error[${e(c.error.code)}]: ${e(c.error.message)}<br>fix: ${e(c.error.hint)}</td></tr>`;
  const list = (items: string[]) => items.join('<br>');
  const revisions = list(c.revisions.map((r) => `<code>${e(r.revision)}</code> (Istio ${e(r.istio ?? '?')})`)) || 'none';
  const eol = list(c.revisions.map((r) => `<span class="status-${r.status}" style="padding:0 6px;border-radius:8px;color:#fff">${e(r.status)}</span> ${e(endOfLifeText(r))}${e(unverifiedText(r))}`));
  const tags = list([...c.revisions.flatMap((r) => r.tags.map((tag) => `<code>${e(tag)}</code> → ${e(r.revision)}`)), ...c.danglingTags.map((d) => `<code>${e(d.tag)}</code> → ${e(d.revision)} (not installed)`)]);
  const k8s = c.kubernetes ? `${e(c.kubernetes.version)}<br><small>${e(c.kubernetes.from)}</small>` : '-';
  return `${open}<td>${e(c.mesh ?? '-')}</td><td>${k8s}</td><td>${revisions}</td><td>${eol}</td><td>${tags}</td><td>${c.upgrade ? e(upgradeText(c.upgrade)) : ''}</td><td>${e(guardrailText(c))}</td></tr>`;
}
