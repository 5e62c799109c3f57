// `npm run bench`: Meshplane's figures next to baselines measured in the same run (docs/design.md, "Quality bars").
// Prints a table on stdout (progress on stderr) and writes every sample to .bench/results.json.
// How to read the figures: docs/performance.md.
//
// Options: --runs N (timed runs per figure; default 7 for generate, 5 for the stream figures),
//          --only generate,check,post-render,diff, --out <file>.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { figures } from '../bench/figures.mjs';
import { engineOutput, ensureJsonnetCli, largestExample, registeredCommands, writeWorkloads } from '../bench/inputs.mjs';
import { RSS_METHOD } from '../bench/measure.mjs';
import { machine, table } from '../bench/report.mjs';
import { timeFigures, verifyFigures } from '../bench/run.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (text) => process.stderr.write(`${text}\n`);

/**
 * Default timed runs per group of figures. Why these: 7 cold generates with their baselines cost
 * ~20 s; one run of the three stream figures with their baselines costs ~25 s on this project's
 * reference machine (2 idle cores), so 5 of them (plus the verification run) keep the whole bench
 * under 3 minutes. `--runs 9` gives steadier medians at ~5 minutes.
 */
const GROUPS = [
  { ids: ['generate'], runs: 7 },
  { ids: ['check', 'post-render', 'diff'], runs: 5 },
];

async function main() {
  const { values } = parseArgs({ options: { runs: { type: 'string' }, only: { type: 'string' }, out: { type: 'string' } } });
  const runsFlag = values.runs === undefined ? undefined : Number(values.runs);
  if (runsFlag !== undefined && !(Number.isInteger(runsFlag) && runsFlag > 0)) throw new Error(`--runs must be a positive whole number (got ${values.runs})`);
  const only = values.only ? new Set(values.only.split(',')) : undefined;
  const outFile = path.resolve(root, values.out ?? path.join('.bench', 'results.json'));
  const startMachine = machine();
  const work = mkdtempSync(path.join(os.tmpdir(), 'meshplane-bench-'));
  try {
    const jsonnetVersion = ensureJsonnetCli(log);
    log(`preparing inputs in ${work} (${jsonnetVersion})`);
    const example = await largestExample(root);
    const jsonnetInput = path.join(work, 'template-input.json');
    writeFileSync(jsonnetInput, JSON.stringify(example.input));
    // The baseline evaluates exactly what the engine evaluates: the templates bundled into one
    // unit (src/engine/bundle.ts), so both pay libjsonnet's stdlib set-up once.
    const { bundleTemplates } = await import(pathToFileURL(path.join(root, 'dist', 'src', 'engine', 'bundle.js')).href);
    const jsonnetBundle = path.join(work, 'templates-bundle.jsonnet');
    writeFileSync(jsonnetBundle, bundleTemplates(path.join(root, 'templates')));
    const ctx = { root, bin: path.join(root, 'bin', 'meshplane'), commands: await registeredCommands(root), example, work: writeWorkloads(work), jsonnetInput, jsonnetBundle, engineJson: await engineOutput(root, example.input) };
    const { list, skipped } = figures(ctx);
    for (const s of skipped) log(`${s.id}: ${s.reason}`);
    const results = [];
    for (const group of GROUPS) {
      const figs = list.filter((f) => group.ids.includes(f.id) && (!only || only.has(f.id)));
      if (figs.length === 0) continue;
      log(`verifying ${figs.map((f) => f.id).join(', ')}`);
      await verifyFigures(figs, log);
      const runs = runsFlag ?? group.runs;
      log(`timing ${figs.map((f) => f.id).join(', ')} (${runs} runs)`);
      results.push(...(await timeFigures(figs, runs, log)));
    }
    const record = { date: new Date().toISOString(), machine: startMachine, loadAverageAtEnd: machine().loadAverage, jsonnetCli: jsonnetVersion, rssMethod: RSS_METHOD, runs: results.map((r) => r.runs), figures: results, skipped };
    mkdirSync(path.dirname(outFile), { recursive: true });
    writeFileSync(outFile, `${JSON.stringify(record, null, 2)}\n`);
    process.stdout.write(table(record));
    log(`results written to ${path.relative(root, outFile)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  log(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
