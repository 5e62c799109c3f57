// The outputs of `npm run bench`: a table on stdout and the whole record as JSON.
import { cpus, loadavg, release, totalmem } from 'node:os';

function ms(v) {
  return v === undefined ? '-' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
}

function mb(kb) {
  return kb === undefined ? '-' : `${Math.round(kb / 1024)} MB`;
}

function ratio(v) {
  return v === undefined ? '-' : `${v.toFixed(2)}×`;
}

function verdict(r) {
  if (r.target === null) return '(no target)';
  const word = (met) => (met === null ? 'unknown' : met ? 'met' : 'NOT met');
  return `${r.target}: ${word(r.met)} on wall time, ${word(r.cpuMet ?? null)} on CPU time`;
}

/** The machine the figures were measured on (recorded with them: figures mean little without it). */
export function machine() {
  const c = cpus();
  return { cpus: c.length, cpuModel: c[0]?.model ?? 'unknown', memoryMb: Math.round(totalmem() / 2 ** 20), node: process.version, kernel: release(), loadAverage: loadavg().map((l) => Math.round(l * 100) / 100) };
}

function pad(cells, widths) {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
}

/** The results table (one row per figure, then skipped figures and how to read the ratios). */
export function table(record) {
  const head = ['figure', 'meshplane', 'baseline', 'ratio', 'cpu ratio', 'peak RSS', 'baseline RSS'];
  const rows = record.figures.map((r) => [r.id, ms(r.meshplane.medianWallMs), ms(r.baseline.medianWallMs), ratio(r.ratio), ratio(r.cpuRatio), mb(r.meshplane.peakRssKb), mb(r.baseline.peakRssKb)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const lines = [pad(head, widths), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((row) => pad(row, widths))];
  lines.push('');
  for (const r of record.figures) {
    const kind = r.ratioKind === 'throughput' ? 'throughput ratio = baseline time / meshplane time (higher is better)' : 'ratio = meshplane time / baseline time (lower is better)';
    lines.push(`${r.id}: ${r.title}; baseline: ${r.baselineText}; ${kind}; ${verdict(r)}`);
  }
  for (const s of record.skipped) lines.push(`${s.id}: skipped (${s.reason})`);
  const m = record.machine;
  // The bench itself keeps one core busy, so the load average read at the end counts it too.
  const start = m.loadAverage[0] ?? 0;
  const end = record.loadAverageAtEnd?.[0] ?? 0;
  if (start > m.cpus || end > m.cpus + 1) lines.push('', `warning: the machine was busy (1-minute load average ${start} at start, ${end} at the end, on ${m.cpus} cores): wall-clock times are inflated and noisy; the cpu ratio is the steadier figure`);
  lines.push('', `medians of ${record.figures.map((r) => `${r.id} ${r.runs}`).join(', ')} runs; times are wall clock; times measured by ${record.timeMethod ?? 'gnu-time'}; peak RSS by ${record.rssMethod}; ${m.cpus} × ${m.cpuModel}, node ${m.node}, load average at start ${m.loadAverage.join(' ')}`);
  return `${lines.join('\n')}\n`;
}
