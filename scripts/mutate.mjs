// `npm run mutate [target…]`: mutation testing, never part of CI or `npm test` (it takes hours
// on a shared 2-core machine). Builds once, runs StrykerJS for each target of
// scripts/mutate-targets.mjs (default: rules, core, diff) and the CEL mutation script
// (scripts/mutate-cel.mjs, target `cel`), then prints the score per folder from the JSON reports
// in reports/mutation/. MUTATE_CONCURRENCY (default 1) sets Stryker's test-runner processes.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TARGETS } from './mutate-targets.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wanted = process.argv.slice(2);
const targets = wanted.length ? wanted : ['rules', 'core', 'diff', 'cel'];
for (const t of targets) {
  if (t !== 'cel' && !TARGETS.some((x) => x.name === t)) throw new Error(`unknown target "${t}"; known: ${[...TARGETS.map((x) => x.name), 'cel'].join(', ')}`);
}

const run = (cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) process.stderr.write(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}\n`);
};

run('npm', ['run', 'build']);
for (const t of targets) {
  if (t === 'cel') run(process.execPath, ['scripts/mutate-cel.mjs']);
  else run(process.execPath, [path.join('node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'), 'run', 'stryker.config.mjs'], { MUTATE_TARGET: t });
}

// Stryker's score: detected (killed + timeout) over valid mutants (detected + survived + no coverage).
const DETECTED = new Set(['Killed', 'Timeout']);
const VALID = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);
const rows = [];
for (const t of targets) {
  const file = path.join(root, 'reports', 'mutation', `${t}.json`);
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  if (t === 'cel') {
    const n = report.results.length;
    const k = report.results.filter((r) => r.status !== 'Survived').length;
    rows.push(['cel', 'templates/policy.libsonnet', k, n]);
    continue;
  }
  const byFolder = new Map();
  for (const [name, f] of Object.entries(report.files)) {
    const folder = path.dirname(name).replace(/^dist\//, '');
    const acc = byFolder.get(folder) ?? [0, 0];
    for (const m of f.mutants) {
      if (DETECTED.has(m.status)) acc[0]++;
      if (VALID.has(m.status)) acc[1]++;
    }
    byFolder.set(folder, acc);
  }
  for (const [folder, [k, n]] of [...byFolder].sort()) rows.push([t, folder, k, n]);
}
process.stdout.write('\ntarget  folder                        detected/valid  score\n');
for (const [t, folder, k, n] of rows) process.stdout.write(`${t.padEnd(8)}${folder.padEnd(30)}${`${k}/${n}`.padStart(14)}  ${n ? ((100 * k) / n).toFixed(1) : '-'}%\n`);
