// StrykerJS configuration for `npm run mutate` (never part of CI or `npm test`).
// Stryker mutates the compiled JavaScript in dist/ (our build is plain `tsc`, so mutating dist
// keeps the test run identical to `npm test`) and drives Node's built-in test runner through
// @stryker-mutator/tap-runner: each compiled test file is run with `node`, and Node 20's runner
// prints TAP when stdout is not a terminal. The folder to mutate and the unit tests that guard it
// come from MUTATE_TARGET (see scripts/mutate-targets.mjs), so each folder is scored against
// its own tests only, which keeps a run affordable on a shared 2-core machine.
import { targetByName } from './scripts/mutate-targets.mjs';

// MUTATE_PLAN (set by scripts/mutate-files.mjs for its per-file runs) is a whole target as JSON:
// { name, mutate, tests, nodeArgs } — nodeArgs narrow the test files (e.g. --test-name-pattern).
const target = process.env.MUTATE_PLAN ? JSON.parse(process.env.MUTATE_PLAN) : targetByName(process.env.MUTATE_TARGET ?? 'rules');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner'],
  // --import: template evaluations come from an on-disk cache shared by the run's mutants
  // (scripts/mutate-hook.mjs says why that cannot hide a mutant).
  tap: { testFiles: target.tests, forceBail: true, nodeArgs: ['--import=./scripts/mutate-hook.mjs', ...(target.nodeArgs ?? [])] },
  mutate: target.mutate,
  coverageAnalysis: 'perTest',
  // Why 1: the machine is shared by several sessions; MUTATE_CONCURRENCY may raise it to 2.
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 1),
  // Why: mutants in logging/debug text and TypeScript's emitted helper code are not behaviour.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `reports/mutation/${target.name}.incremental.json`,
  reporters: ['clear-text', 'json', 'progress'],
  jsonReporter: { fileName: `reports/mutation/${target.name}.json` },
  timeoutMS: 20000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // Why: Stryker copies the project into a sandbox; these are large and never read by the tests.
  ignorePatterns: ['.bench', 'reports', 'bench', '*.tgz'],
};
