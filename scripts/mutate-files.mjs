// `node scripts/mutate-files.mjs <folder…>` (after `npm run build`): whole-folder mutation runs
// that fit on a shared 2-core machine. Instead of one Stryker run per folder (every mutant judged
// by every test of the folder), it runs Stryker once per source file of src/<folder>/, each with
// only the tests that exercise that file (see testsFor below), and writes one JSON report per
// file under reports/mutation/files/<folder>/. scripts/mutate-score.mjs adds them up per folder.
// Runs one Stryker process at a time (concurrency from MUTATE_CONCURRENCY, default 1), each
// incremental, and appends one line per run (file, seconds, mutants) to reports/mutation/files/runs.jsonl.
// Options: --skip-done (skip files that already have a report), --only=<substring>.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every file under `dir` (recursively), relative to the repository root, sorted. */
function walk(dir) {
  return readdirSync(path.join(root, dir), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

const isTest = (f) => f.endsWith('.test.ts');
/** The source files of a folder worth mutating: TypeScript that is not a test and not type-only. */
export function sourcesOf(folder) {
  return walk(path.join('src', folder)).filter((f) => f.endsWith('.ts') && !isTest(f) && !f.endsWith('.d.ts') && !typeOnly(f));
}
/** True when the compiled file holds no code (only types): Stryker would find nothing in it. */
function typeOnly(src) {
  const js = path.join(root, 'dist', src.replace(/\.ts$/, '.js'));
  return existsSync(js) && readFileSync(js, 'utf8').replace(/\/\/.*$/gm, '').trim() === 'export {};';
}
const toDist = (f) => path.join('dist', f).replace(/\.ts$/, '.js');

/**
 * The tests beside a source file: `foo.test.ts` and `foo.*.test.ts` in the same folder, and any
 * other test of that folder that imports `./foo.js` (one table test may cover two sibling rules).
 */
function besideTests(src) {
  const dir = path.dirname(src);
  const base = path.basename(src, '.ts');
  const named = (f) => f === `${base}.test.ts` || (f.startsWith(`${base}.`) && f.endsWith('.test.ts'));
  const imports = (f) => f.endsWith('.test.ts') && readFileSync(path.join(root, dir, f), 'utf8').includes(`from './${base}.js'`);
  return readdirSync(path.join(root, dir)).filter((f) => named(f) || imports(f)).map((f) => path.join(dir, f));
}

/** Names of the top-level `describe`/`it`/`test` blocks of a test file (for --test-name-pattern). */
function topLevelNames(testFile) {
  const text = readFileSync(path.join(root, testFile), 'utf8');
  return [...text.matchAll(/^(?:describe|it|test)\((['"`])(.*?)\1/gm)].map((m) => m[2]);
}
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The tests that judge one source file, and the name patterns that narrow them.
 * Why these choices:
 * - every file is judged by its beside-the-code tests;
 * - a rule (a top-level file of src/rules/ named after its id) also by the registry test's
 *   fixtures for that rule only: the registry asserts nothing about rule X on other rules'
 *   fixtures (it filters findings by rule id), so narrowing it to `describe(<id>)` loses no
 *   assertion on X and cuts each mutant's run from all ~120 fixture renders to the rule's few;
 * - the registry itself (index.ts) and the shared helpers (support/) by every rules test, unnarrowed;
 * - a file of core/ or diff/ without tests of its own by every test of its folder: Stryker's
 *   per-test-file coverage then runs only the test files that reach each mutant.
 */
export function testsFor(folder, src) {
  const beside = besideTests(src);
  const folderTests = walk(path.join('src', folder)).filter(isTest);
  if (folder === 'rules') {
    const id = path.basename(src, '.ts');
    const isRule = path.dirname(src) === 'src/rules' && existsSync(path.join(root, 'src', 'rules', `${id}.md`));
    if (isRule) {
      const patterns = ['^rule registry$', `^${escapeRe(id)}$`, ...beside.flatMap(topLevelNames).map((n) => `^${escapeRe(n)}$`)];
      // The beside-the-code tests first: Stryker stops at the first test file that fails, and
      // they kill most mutants in milliseconds where the registry's fixtures render for seconds.
      return { tests: [...beside, 'src/rules/index.test.ts'], patterns };
    }
    return { tests: folderTests, patterns: [] };
  }
  return { tests: beside.length ? beside : folderTests, patterns: [] };
}

const reportDir = (folder) => path.join('reports', 'mutation', 'files', folder);
/** Report name of a source file: its path below src/<folder>/, with `/` as `--`. */
export const reportName = (folder, src) => path.relative(path.join('src', folder), src).replace(/\.ts$/, '').split(path.sep).join('--');

/** Runs Stryker for each source file of the folders named on the command line. */
function main(args) {
  const skipDone = args.includes('--skip-done');
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const folders = args.filter((a) => !a.startsWith('--'));
  if (folders.length === 0) throw new Error('usage: node scripts/mutate-files.mjs <folder…> (e.g. rules core diff) [--skip-done] [--only=<substring>]');
  mkdirSync(path.join(root, 'reports', 'mutation', 'files'), { recursive: true });
  for (const folder of folders) runFolder(folder, { skipDone, only });
}

/** One Stryker run per source file of src/<folder>/. */
function runFolder(folder, { skipDone, only }) {
  mkdirSync(path.join(root, reportDir(folder)), { recursive: true });
  for (const src of sourcesOf(folder)) {
    if (only && !src.includes(only)) continue;
    const name = reportName(folder, src);
    const json = path.join(reportDir(folder), `${name}.json`);
    if (skipDone && existsSync(path.join(root, json))) continue;
    const { tests, patterns } = testsFor(folder, src);
    const plan = {
      name: `files/${folder}/${name}`,
      mutate: [toDist(src)],
      tests: tests.map(toDist),
      nodeArgs: patterns.map((p) => `--test-name-pattern=${p}`),
    };
    process.stdout.write(`\n== ${src}: ${plan.tests.length} test file(s)${patterns.length ? `, narrowed to ${patterns.join(' | ')}` : ''}\n`);
    const started = Date.now();
    const r = spawnSync(process.execPath, [path.join('node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'), 'run', 'stryker.config.mjs'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, MUTATE_PLAN: JSON.stringify(plan) },
    });
    const seconds = Math.round((Date.now() - started) / 1000);
    const mutants = existsSync(path.join(root, json)) ? Object.values(JSON.parse(readFileSync(path.join(root, json), 'utf8')).files).reduce((n, f) => n + f.mutants.length, 0) : null;
    appendFileSync(path.join(root, 'reports', 'mutation', 'files', 'runs.jsonl'), `${JSON.stringify({ folder, file: src, seconds, mutants, exit: r.status ?? r.signal, finished: new Date().toISOString() })}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
