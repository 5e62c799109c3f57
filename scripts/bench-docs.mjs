// The performance figures quoted by docs/performance.md and README.md, generated from the
// committed results of `npm run bench` (bench/results/latest.json), so the docs can only say
// what a committed run measured. `npm run bench` calls syncDocs() after each run; this script
// does the same by hand:
//   node scripts/bench-docs.mjs          rewrite the generated parts from the results file
//   node scripts/bench-docs.mjs --check  exit 1 when a doc differs from what the results say
// The generated parts sit between `<!-- bench:NAME:begin ... -->` and `<!-- bench:NAME:end -->`
// markers; everything else in the files is prose and is left alone. test/docs/performance.test.ts
// runs the check inside `npm test` (no timing involved: it only compares text).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run bench` writes its results (relative to the package root). */
export const DEFAULT_RESULTS = path.join('bench', 'results', 'latest.json');

function ms(v) {
  if (v === undefined || v === null) return '-';
  return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
}

function ratio(v, kind) {
  if (v === undefined || v === null) return '-';
  return `${v.toFixed(2)}×${kind === 'throughput' ? ' throughput' : ''}`;
}

function mb(kb) {
  return kb === undefined || kb === null ? '-' : `${Math.round(kb / 1024)} MB`;
}

function word(met) {
  return met === null || met === undefined ? 'unknown' : met ? 'met' : '**not met**';
}

/** How each time method of bench/measure.mjs measures, in the words of the docs. */
const TIME_METHODS = {
  'bash-times': 'CPU times from bash\'s `times` (1 ms steps), wall times from bash\'s $EPOCHREALTIME around the command',
  'gnu-time': 'CPU times from GNU time (10 ms steps), wall times from the bench around the process',
  'wall-only': 'wall times only (no GNU time on the machine)',
};

/** The ratio a figure's target text names (`≤ 1.3× (issue 17)` → 1.3), or undefined without a target. */
function targetValue(r) {
  return r.target ? Number(/([\d.]+)×/.exec(r.target)?.[1]) : undefined;
}

/** How far a ratio is from its target, e.g. "missed by 0.21× (16 %)". */
function distance(r, value) {
  const target = targetValue(r);
  if (!target || value === undefined || value === null) return '';
  const met = r.ratioKind === 'throughput' ? value >= target : value <= target;
  const gap = Math.abs(value - target);
  return met ? `met with ${gap.toFixed(2)}× to spare` : `missed by ${gap.toFixed(2)}× (${Math.round((gap / target) * 100)} %)`;
}

function machineLine(record) {
  const m = record.machine;
  const end = record.loadAverageAtEnd ?? [];
  const busy = (m.loadAverage[0] ?? 0) > m.cpus ? ' — the machine was shared and busy, so wall-clock figures are inflated and noisy; the CPU ratio is the steadier one' : '';
  return `Measured ${record.date.slice(0, 16).replace('T', ' ')} UTC${record.commit ? ` at commit \`${record.commit}\`` : ''} on ${m.cpus} × ${m.cpuModel}, ${Math.round(m.memoryMb / 1024)} GB, Node ${m.node}, jsonnet CLI ${record.jsonnetCli ?? 'unknown'}; 1-minute load average ${m.loadAverage[0]} at the start and ${end[0] ?? '?'} at the end${busy}.`;
}

/**
 * One line per floor figure (`floorOf` names the figure it is the floor of): how much of that
 * figure's target the floor already takes, and how much is left for Meshplane's own work against
 * what that work takes. Why: a target at or under its floor cannot be met by any implementation.
 */
function floorLines(record) {
  const out = [];
  for (const floor of record.figures.filter((r) => r.floorOf)) {
    const of = record.figures.find((r) => r.id === floor.floorOf);
    const limit = of ? targetValue(of) : undefined;
    if (!of || !limit) continue;
    out.push(`- ${of.id}: its floor (${floor.id}) takes ${ms(floor.meshplane.medianWallMs)} wall / ${ms(floor.meshplane.medianCpuMs)} CPU, ${ratio(floor.ratio, floor.ratioKind)} / ${ratio(floor.cpuRatio, floor.ratioKind)} against ${floor.baselineText}. ${floorRoom('Wall', limit, of, floor, 'medianWallMs')} ${floorRoom('CPU', limit, of, floor, 'medianCpuMs')}`);
  }
  return out;
}

/** One measure (wall or CPU) of a floor line: what the target allows, what is left over the floor, what Meshplane's own work takes. */
function floorRoom(label, limit, of, floor, field) {
  const allowed = limit * of.baseline[field];
  const left = allowed - floor.meshplane[field];
  const own = of.meshplane[field] - floor.meshplane[field];
  const room = left > 0 ? `${ms(left)} over the floor` : `${ms(-left)} under the floor itself (no implementation meets it)`;
  return `${label}: the target allows ${ms(allowed)}, ${room}; Meshplane's own work takes ${ms(own)} over the floor.`;
}

/** The generated "latest figures" part of docs/performance.md. */
export function performanceSection(record) {
  const lines = [machineLine(record), `Medians of ${record.figures.map((r) => `${r.runs} runs (${r.id})`).join(', ')}; the Meshplane side and its baseline alternate run by run; ${TIME_METHODS[record.timeMethod ?? 'gnu-time'] ?? record.timeMethod}.`, ''];
  lines.push('| figure | Meshplane | baseline | ratio (wall) | ratio (CPU) | target | peak RSS Meshplane / baseline |', '| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of record.figures) {
    const target = r.target === null ? 'none' : `${r.target}: wall ${word(r.met)}, CPU ${word(r.cpuMet)}`;
    lines.push(`| ${r.id}: ${r.title} | ${ms(r.meshplane.medianWallMs)} | ${ms(r.baseline.medianWallMs)} (${r.baselineText}) | ${ratio(r.ratio, r.ratioKind)} | ${ratio(r.cpuRatio, r.ratioKind)} | ${target} | ${mb(r.meshplane.peakRssKb)} / ${mb(r.baseline.peakRssKb)} |`);
  }
  for (const s of record.skipped ?? []) lines.push('', `${s.id}: skipped (${s.reason}).`);
  const targeted = record.figures.filter((r) => r.target !== null);
  if (targeted.length) {
    lines.push('', 'Against the targets:', '');
    for (const r of targeted) lines.push(`- ${r.id}: ${ratio(r.ratio, r.ratioKind)} wall (${distance(r, r.ratio)}), ${ratio(r.cpuRatio, r.ratioKind)} CPU (${distance(r, r.cpuRatio)}).`);
  }
  const floors = floorLines(record);
  if (floors.length) lines.push('', 'Against their floors (what a bare Node program doing only the unavoidable part of the same job costs, measured in the same runs):', '', ...floors);
  const gen = record.figures.find((r) => r.id === 'generate');
  const parts = gen?.baseline.steps;
  if (parts) {
    lines.push('', `The generate baseline in parts (medians): ${parts.map((p) => `${p.label} ${ms(p.medianWallMs)} wall / ${ms(p.medianCpuMs)} CPU`).join('; ')}. The jsonnet CLI part is the cost of the templates themselves.`);
  }
  if (record.profile) {
    const { bundled, unbundled, example } = record.profile;
    const names = [...new Set([...bundled.categories, ...unbundled.categories].map((c) => c.name))];
    const of = (p, n) => p.categories.find((c) => c.name === n)?.ms;
    lines.push('', `Where one cold \`generate examples/${example}\` spends its main thread (\`node --cpu-prof\`, one run each, summed by bench/profile.mjs; the jsonnet evaluation runs on the addon's own thread and shows here as waiting):`, '');
    lines.push('| main-thread time | bundled (as shipped) | unbundled dist/ |', '| --- | --- | --- |');
    for (const n of names) lines.push(`| ${n} | ${ms(of(bundled, n))} | ${ms(of(unbundled, n))} |`);
    lines.push(`| total | ${ms(bundled.totalMs)} | ${ms(unbundled.totalMs)} |`);
    const t = record.profile.templates;
    if (t) {
      lines.push('', `What each part of templates/main.jsonnet costs the C++ jsonnet CLI alone (CPU, medians of ${t.runs}, 10 ms resolution; bench/templates-profile.mjs): returning \`[]\` costs ${ms(t.emptyCpuMs)} (stdlib set-up, parsing the bundle and the input), the whole mesh ${ms(t.fullCpuMs)}.`, '');
      lines.push('| part | CPU alone | over the empty evaluation |', '| --- | --- | --- |');
      for (const p of [...t.parts].sort((a, b) => b.overEmptyMs - a.overEmptyMs)) lines.push(`| ${p.name} | ${ms(p.cpuMs)} | ${ms(p.overEmptyMs)} |`);
    }
  }
  return lines.join('\n');
}

/** The generated sentence of README.md's Performance section. */
export function readmeSection(record) {
  const m = record.machine;
  const out = [`Latest \`npm run bench\` (${record.date.slice(0, 10)}, ${m.cpus} × ${m.cpuModel}, load average ${m.loadAverage[0]}):`];
  for (const r of record.figures.filter((f) => f.target !== null)) {
    out.push(`- ${r.id}: ${ms(r.meshplane.medianWallMs)} vs ${ms(r.baseline.medianWallMs)} for ${r.baselineText} — ${ratio(r.ratio, r.ratioKind)} wall, ${ratio(r.cpuRatio, r.ratioKind)} CPU; target ${r.target}: wall ${word(r.met)}, CPU ${word(r.cpuMet)}.`);
  }
  const floors = record.figures.filter((f) => f.floorOf);
  if (floors.length) out.push(`- floors (a bare Node program doing only the unavoidable part of the job, no Meshplane code; docs/performance.md): ${floors.map((f) => `${f.id} ${ratio(f.ratio, f.ratioKind)} wall / ${ratio(f.cpuRatio, f.ratioKind)} CPU (of ${f.floorOf})`).join(', ')}.`);
  return out.join('\n');
}

/** Where `npm run bench:server -- --fleet` writes its results. */
export const FLEET_RESULTS = path.join('bench', 'results', 'fleet.json');

/** The generated fleet part of docs/performance.md (from bench/results/fleet.json). */
export function fleetSection(fleet) {
  if (!fleet) return 'No fleet run is committed yet: run `npm run bench:server -- --fleet`.';
  const m = fleet.machine;
  const lines = [`Measured ${fleet.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpus} × ${m.cpuModel}, Node ${m.node}; 1-minute load average ${m.loadAverageAtStart[0]} at the start and ${fleet.loadAverageAtEnd[0]} at the end${m.loadAverageAtStart[0] > m.cpus ? ' (a busy, shared machine: the times are inflated)' : ''}. Example: ${fleet.example}. Baseline, same run: the C++ jsonnet CLI takes ${ms(fleet.baseline.jsonnetCliMs)} per evaluation of the same templates and input, i.e. ${fleet.baseline.rendersPerSecondPerCore.toFixed(2)} renders/s on one core with no server at all.`, ''];
  lines.push('| render workers | load average (1 min) | one intent × clusters (target < 10 s) | distinct intents per second per worker (target ≥ 4) | vs the jsonnet CLI rate | server CPU (all threads, both parts) | server RSS before → after (response cache after) |', '| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of fleet.runs) {
    const ok = (s) => Object.keys(s).every((k) => k === '200');
    const for1000 = (r.oneIntent.seconds / r.oneIntent.requests) * 1000;
    const projected = r.oneIntent.requests === 1000 ? '' : `; 1,000 at that rate: ${for1000.toFixed(1)} s`;
    const load = r.loadAverage1 ? `${r.loadAverage1.start} → ${r.loadAverage1.end}` : 'not recorded';
    const cpu = r.serverCpuSeconds === undefined ? 'not recorded' : `${r.serverCpuSeconds.toFixed(1)} s`;
    const cache = r.cacheMiBAfter === undefined ? '' : ` (${r.cacheMiBAfter} MiB)`;
    lines.push(`| ${r.workers} | ${load} | ${r.oneIntent.requests} renders in ${r.oneIntent.seconds.toFixed(1)} s${projected} (${for1000 < 10 ? 'met' : '**not met**'})${ok(r.oneIntent.statuses) ? '' : `, statuses ${JSON.stringify(r.oneIntent.statuses)}`} | ${r.distinct.perSecondPerWorker.toFixed(2)} (${r.distinct.perSecondPerWorker >= 4 ? 'met' : '**not met**'})${ok(r.distinct.statuses) ? '' : `, statuses ${JSON.stringify(r.distinct.statuses)}`} | ${(r.distinct.perSecondPerWorker / fleet.baseline.rendersPerSecondPerCore).toFixed(2)}× | ${cpu} | ${r.rssMiB.before} → ${r.rssMiB.after} MiB${cache} |`);
  }
  const soak = soakText(fleet);
  if (soak) lines.push('', soak);
  return lines.join('\n');
}

/** The soak of a fleet run in one paragraph: RSS samples, with the response cache's share when recorded. */
export function soakText(fleet) {
  const soak = fleet?.runs.find((r) => r.soak)?.soak;
  if (!soak) return undefined;
  const rss = soak.samples.filter((x) => x.rssMiB !== undefined);
  const sample = (x) => `${x.t} s: ${Math.round(x.rssMiB)}${x.cacheMiB === undefined ? '' : ` (${x.cacheMiB})`}`;
  const loads = rss.map((x) => x.load1).filter((l) => l !== undefined);
  const load = loads.length ? `; 1-minute load average ${Math.min(...loads)}–${Math.max(...loads)} during it` : '';
  const failed = soak.samples.filter((x) => x.statuses);
  const statuses = failed.length ? ` Rounds with answers other than 200: ${failed.map((x) => `${x.t} s ${JSON.stringify(x.statuses)}`).join(', ')}.` : ' Every answer was a 200.';
  const head = `Soak at 2 workers (on the server that has just answered the 2-worker fleet run): ${soak.seconds} s${soak.seconds < 600 ? ' (shorter than the 10-minute soak the target asks for)' : ''}, ${soak.requests} requests mixing both kinds${load}.`;
  const cacheNote = rss.some((x) => x.cacheMiB !== undefined) ? ' server RSS in MiB, with the MiB of answers the response cache holds in brackets (its budget, `--cache-bytes`, is 256 MiB by default)' : ' server RSS in MiB';
  return `${head} Samples (time:${cacheNote}): ${rss.map(sample).join(', ')}.${statuses}`;
}

/** The generated memory figures of docs/server.md: the soak of the committed fleet run. */
export function serverSoakSection(fleet) {
  const soak = soakText(fleet);
  if (!soak) return 'No fleet soak is committed yet: run `npm run bench:server -- --fleet --soak-seconds 600`.';
  return `Measured ${fleet.date.slice(0, 16).replace('T', ' ')} UTC (\`npm run bench:server -- --fleet --soak-seconds ${fleet.runs.find((r) => r.soak).soak.seconds}\`, example ${fleet.example}). ${soak}`;
}

const DOCS = [
  { file: path.join('docs', 'performance.md'), name: 'latest', render: (record) => performanceSection(record) },
  { file: path.join('docs', 'performance.md'), name: 'fleet', render: (_record, fleet) => fleetSection(fleet) },
  { file: path.join('docs', 'server.md'), name: 'soak', render: (_record, fleet) => serverSoakSection(fleet) },
  { file: 'README.md', name: 'readme', render: (record) => readmeSection(record) },
];

function readFleet(root) {
  try {
    return JSON.parse(readFileSync(path.join(root, FLEET_RESULTS), 'utf8'));
  } catch {
    return undefined;
  }
}

function replaceBetween(text, name, body, file) {
  const begin = new RegExp(`<!-- bench:${name}:begin[^>]*-->\\n`);
  const end = `<!-- bench:${name}:end -->`;
  const b = begin.exec(text);
  const e = text.indexOf(end);
  if (!b || e < b.index) throw new Error(`${file}: the markers <!-- bench:${name}:begin --> / ${end} are missing`);
  return `${text.slice(0, b.index + b[0].length)}${body}\n${text.slice(e)}`;
}

/**
 * Brings the generated parts of the docs in line with `record`. With `check`, writes nothing and
 * returns the files that differ; otherwise writes them and returns the files it changed.
 */
export function syncDocs(root, record, options = {}) {
  const fleet = readFleet(root);
  const changed = new Set();
  for (const d of DOCS) {
    const file = path.join(root, d.file);
    const text = readFileSync(file, 'utf8');
    const next = replaceBetween(text, d.name, d.render(record, fleet), d.file);
    if (next === text) continue;
    changed.add(d.file);
    if (!options.check) writeFileSync(file, next);
  }
  return [...changed];
}

/** Reads the committed results file. */
export function readResults(root) {
  return JSON.parse(readFileSync(path.join(root, DEFAULT_RESULTS), 'utf8'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const check = process.argv.includes('--check');
  const files = syncDocs(root, readResults(root), { check });
  if (check && files.length) {
    process.stderr.write(`out of step with ${DEFAULT_RESULTS}: ${files.join(', ')}\n  fix: run \`node scripts/bench-docs.mjs\` (or \`npm run bench\`) and commit the result\n`);
    process.exitCode = 1;
  } else for (const f of files) process.stderr.write(`updated ${f}\n`);
}
