/**
 * The timeline of the HTML fleet page, as inline SVG: one band per cluster, one bar per installed
 * revision from its release to its end of life (coloured by status, dashed when the end of life
 * is an estimate), quarter ticks, and a line for the report's date. Pure: report in, markup out;
 * every repository string passes through {@link escapeHtml}.
 */
import { xmlEscape } from '../output/junit.js';
import type { FleetReport, RevisionWindow } from './report.js';

/**
 * Escapes text for HTML and SVG text or double-quoted attribute values: the JUnit report's XML
 * escaper, whose entities and character references (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`,
 * `&#10;`) HTML5 reads the same way.
 */
export const escapeHtml: (text: string) => string = xmlEscape;

/** Layout in px. Why these: a 1280-px-wide window shows the whole chart without scrolling. */
const WIDTH = 1200;
const LABEL_WIDTH = 260;
const RIGHT = 20;
const AXIS = 34;
const BAR = 14;
const GAP = 4;
const BAND_PAD = 6;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Days of padding around the dates shown, so the first and last bars do not touch the edges. */
const PAD_BEFORE_DAYS = 20;
const PAD_AFTER_DAYS = 45;

/** The longest cluster name drawn in full; longer ones are cut (the full name is the tooltip and in the table). */
const LABEL_CHARS = 34;

function day(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function iso(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** The span of days shown: every bar and the report's date, padded. */
function span(report: FleetReport): [number, number] {
  const days = [day(report.now)];
  for (const c of report.clusters) for (const r of c.revisions) if (r.released && r.endOfLife) days.push(day(r.released), day(r.endOfLife));
  return [Math.min(...days) - PAD_BEFORE_DAYS, Math.max(...days) + PAD_AFTER_DAYS];
}

/** First days of the quarters inside the span. */
function quarterTicks(from: number, to: number): number[] {
  const start = new Date(from * DAY_MS);
  let y = start.getUTCFullYear();
  let m = Math.floor(start.getUTCMonth() / 3) * 3 + 3;
  const out: number[] = [];
  for (;;) {
    if (m >= 12) {
      y += 1;
      m -= 12;
    }
    const d = Math.round(Date.UTC(y, m, 1) / DAY_MS);
    if (d > to) return out;
    out.push(d);
    m += 3;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function short(name: string): string {
  return name.length <= LABEL_CHARS ? name : `${name.slice(0, LABEL_CHARS - 1)}…`;
}

function round(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** The timeline SVG of every cluster's installed revisions. */
export function timelineSvg(report: FleetReport): string {
  const [from, to] = span(report);
  const chart = WIDTH - LABEL_WIDTH - RIGHT;
  const x = (d: number) => LABEL_WIDTH + ((d - from) / (to - from)) * chart;
  const parts: string[] = [];
  let y = AXIS;
  report.clusters.forEach((c, i) => {
    const rows = Math.max(1, c.revisions.length);
    const height = rows * (BAR + GAP) - GAP + 2 * BAND_PAD;
    parts.push(`<g class="band" data-cluster="${escapeHtml(c.cluster)}">`);
    if (i % 2 === 1) parts.push(`<rect class="stripe" x="0" y="${y}" width="${WIDTH}" height="${height}"/>`);
    parts.push(`<text class="cluster-label status-${c.status}" x="8" y="${round(y + BAND_PAD + BAR - 3)}"><title>${escapeHtml(c.cluster)}</title>${escapeHtml(short(c.cluster))}</text>`);
    if (c.revisions.length === 0) parts.push(`<text class="no-bar" x="${LABEL_WIDTH + 6}" y="${round(y + BAND_PAD + BAR - 3)}">${escapeHtml(c.error ? `could not be checked: ${c.error.code}` : 'no revision installed')}</text>`);
    c.revisions.forEach((r, j) => parts.push(bar(r, c.cluster, x, from, to, y + BAND_PAD + j * (BAR + GAP))));
    parts.push('</g>');
    y += height;
  });
  const height = y + 6;
  const axis = quarterTicks(from, to).map((d) => {
    const date = new Date(d * DAY_MS);
    const label = `${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
    return `<line class="tick" x1="${round(x(d))}" x2="${round(x(d))}" y1="${AXIS - 8}" y2="${height}"/><text class="tick-label" x="${round(x(d) + 3)}" y="${AXIS - 12}">${label}</text>`;
  });
  const now = x(day(report.now));
  const today = `<line id="today" class="today" x1="${round(now)}" x2="${round(now)}" y1="${AXIS - 20}" y2="${height}"/><text class="today-label" x="${round(now + 4)}" y="12">today ${escapeHtml(report.now)}</text>`;
  return [
    `<svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="revision support windows per cluster, ${escapeHtml(iso(from))} to ${escapeHtml(iso(to))}">`,
    ...axis,
    ...parts,
    today,
    '</svg>',
  ].join('\n');
}

function bar(r: RevisionWindow, cluster: string, x: (d: number) => number, from: number, to: number, top: number): string {
  const label = (lx: string) => `<text class="bar-label" x="${lx}" y="${round(top + BAR - 3)}">${escapeHtml(r.revision)}</text>`;
  const tip = `${cluster}: ${r.revision} (Istio ${r.istio ?? '?'}), ${r.status}: ${r.support}`;
  if (!r.released || !r.endOfLife) {
    return `<rect class="bar status-${r.status}" data-revision="${escapeHtml(r.revision)}" x="${LABEL_WIDTH}" y="${top}" width="${WIDTH - LABEL_WIDTH - RIGHT}" height="${BAR}" rx="3"><title>${escapeHtml(tip)}</title></rect>${label(String(LABEL_WIDTH + 4))}`;
  }
  const x1 = x(Math.max(from, day(r.released)));
  const x2 = x(Math.min(to, day(r.endOfLife)));
  const estimated = r.endOfLifeEstimated ? ' estimated' : '';
  return `<rect class="bar status-${r.status}${estimated}" data-revision="${escapeHtml(r.revision)}" x="${round(x1)}" y="${top}" width="${round(Math.max(2, x2 - x1))}" height="${BAR}" rx="3"><title>${escapeHtml(`${tip}; released ${r.released}, end of life ${r.endOfLife}${r.endOfLifeEstimated ? ' (estimated)' : ''}`)}</title></rect>${label(round(x1 + 4))}`;
}
