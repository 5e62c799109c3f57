// `node scripts/mutate-score.mjs [folder…]`: adds up the per-file reports of
// scripts/mutate-files.mjs (reports/mutation/files/<folder>/*.json) into one score per folder,
// Stryker's formula: detected (killed + timeout) over valid mutants (detected + survived + no
// coverage). Lists, per folder, every source file that has no report (not measured), so a
// partial run is never read as a whole-folder score. `--markdown` prints a table for the docs;
// `--survivors` lists each surviving or uncovered mutant. An argument `name=src/a/x.ts,src/b/y.ts`
// adds a row for those files together (e.g. the secret and exception code across folders);
// `--cel` adds the row of reports/mutation/cel.json (scripts/mutate-cel.mjs).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportName, sourcesOf } from './mutate-files.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const markdown = args.includes('--markdown');
const survivors = args.includes('--survivors');
const folders = args.filter((a) => !a.startsWith('--') && !a.includes('='));
/** Named file sets: `name=src/<folder>/<file>.ts,…`. */
const sets = args.filter((a) => !a.startsWith('--') && a.includes('=')).map((a) => {
  const [name = '', list = ''] = a.split('=');
  return { name, files: list.split(',').filter(Boolean) };
});
const STATUSES = ['Killed', 'Timeout', 'Survived', 'NoCoverage'];

/** Mutant counts by status for one report file. */
function countsOf(file) {
  const counts = Object.fromEntries([...STATUSES, 'other'].map((s) => [s, 0]));
  const left = [];
  for (const [name, f] of Object.entries(JSON.parse(readFileSync(file, 'utf8')).files)) {
    for (const m of f.mutants) {
      counts[STATUSES.includes(m.status) ? m.status : 'other']++;
      if (m.status === 'Survived' || m.status === 'NoCoverage') left.push(`${name}:${m.location.start.line} ${m.status} ${m.mutatorName}: ${m.replacement ?? ''}`);
    }
  }
  return { counts, left };
}

const score = (c) => {
  const valid = c.Killed + c.Timeout + c.Survived + c.NoCoverage;
  return { detected: c.Killed + c.Timeout, valid, pct: valid ? ((100 * (c.Killed + c.Timeout)) / valid).toFixed(1) : '-' };
};

/** One row: the reports of `srcs` (paths under src/<folder>/) added up, and which have none. */
function addUp(label, srcs) {
  const total = Object.fromEntries([...STATUSES, 'other'].map((s) => [s, 0]));
  const measured = [];
  const missing = [];
  for (const src of srcs) {
    const folder = src.split('/')[1] ?? '';
    const file = path.join(root, 'reports', 'mutation', 'files', folder, `${reportName(folder, src)}.json`);
    if (!existsSync(file)) {
      missing.push(src);
      continue;
    }
    const { counts, left } = countsOf(file);
    for (const s of Object.keys(total)) total[s] += counts[s];
    measured.push(src);
    if (survivors) for (const l of left) process.stdout.write(`${l}\n`);
  }
  return { label, total, measured, missing, ...score(total) };
}

const rows = [];
for (const folder of folders.length || sets.length || args.includes('--cel') ? folders : ['rules', 'core', 'diff']) rows.push(addUp(`src/${folder}`, sourcesOf(folder)));
for (const set of sets) rows.push(addUp(set.name, set.files));
if (args.includes('--cel')) {
  const file = path.join(root, 'reports', 'mutation', 'cel.json');
  const total = Object.fromEntries([...STATUSES, 'other'].map((s) => [s, 0]));
  const measured = [];
  const missing = [];
  if (existsSync(file)) {
    for (const r of JSON.parse(readFileSync(file, 'utf8')).results) {
      total[STATUSES.includes(r.status) ? r.status : 'other']++;
      if (survivors && r.status === 'Survived') process.stdout.write(`templates/policy.libsonnet:${r.line} Survived ${r.operator}: ${r.replacement}\n`);
    }
    measured.push('templates/policy.libsonnet');
  } else missing.push('templates/policy.libsonnet');
  rows.push({ label: 'policy CEL', total, measured, missing, ...score(total) });
}

if (markdown) {
  process.stdout.write('| Folder | Files measured | Killed | Timeout | Survived | No coverage | Score |\n| --- | --- | --- | --- | --- | --- | --- |\n');
  for (const r of rows) process.stdout.write(`| ${r.label} | ${r.measured.length} of ${r.measured.length + r.missing.length} | ${r.total.Killed} | ${r.total.Timeout} | ${r.total.Survived} | ${r.total.NoCoverage} | ${r.detected}/${r.valid} = ${r.pct} % |\n`);
} else {
  for (const r of rows) process.stdout.write(`${r.label}: ${r.detected}/${r.valid} = ${r.pct}% (killed ${r.total.Killed}, timeout ${r.total.Timeout}, survived ${r.total.Survived}, no coverage ${r.total.NoCoverage}, other ${r.total.other}); ${r.measured.length} of ${r.measured.length + r.missing.length} files measured\n`);
}
for (const r of rows) if (r.missing.length) process.stdout.write(`not measured in ${r.label}: ${r.missing.join(', ')}\n`);
