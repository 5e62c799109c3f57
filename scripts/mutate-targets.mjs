// The folders `npm run mutate` scores, each with the unit tests that guard it (compiled paths).
// Why these lists: a mutant is only run against test files that execute its code, but every file
// listed here is run once in Stryker's initial (dry) run, so slow end-to-end suites are left out;
// each folder is judged by the tests written for it.

/** @typedef {{ name: string, mutate: string[], tests: string[] }} MutateTarget */

/** @type {MutateTarget[]} */
export const TARGETS = [
  {
    name: 'rules',
    mutate: ['dist/src/rules/**/*.js', '!dist/src/rules/**/*.test.js'],
    tests: ['dist/src/rules/**/*.test.js'],
  },
  {
    name: 'core',
    mutate: ['dist/src/core/**/*.js', '!dist/src/core/**/*.test.js'],
    tests: ['dist/src/core/**/*.test.js'],
  },
  {
    name: 'diff',
    mutate: ['dist/src/diff/**/*.js', '!dist/src/diff/**/*.test.js'],
    tests: ['dist/src/diff/**/*.test.js'],
  },
  {
    // Exceptions alone, judged by the check tests that apply them and their own unit tests.
    name: 'exceptions',
    mutate: ['dist/src/guardrails/exceptions.js'],
    tests: ['dist/src/guardrails/check.test.js', 'dist/src/guardrails/exceptions*.test.js'],
  },
  {
    // Secret masking alone, judged by its own unit tests.
    name: 'secrets',
    mutate: ['dist/src/diff/secrets.js'],
    tests: ['dist/src/diff/secrets*.test.js'],
  },
  {
    // The one resource identity, judged by its own unit tests.
    name: 'resource-key',
    mutate: ['dist/src/core/resource-key.js'],
    tests: ['dist/src/core/resource-key*.test.js'],
  },
  {
    // The rule with the most branches, judged by the rule registry's fixtures and its own tests.
    name: 'autoscaling',
    mutate: ['dist/src/rules/autoscaling-min-below-two.js'],
    tests: ['dist/src/rules/index.test.js', 'dist/src/rules/autoscaling-min-below-two*.test.js'],
  },
  {
    // The same rule judged by its in-memory unit tests alone: a lower bound on the score above
    // that runs in minutes (the fixtures can only add kills).
    name: 'autoscaling-unit',
    mutate: ['dist/src/rules/autoscaling-min-below-two.js'],
    tests: ['dist/src/rules/autoscaling-min-below-two*.test.js'],
  },
  {
    // The secret and exception code and the rules issue 13 found unguarded: a run that fits
    // in a working session on the shared machine (the full folders above take hours there).
    name: 'focus',
    mutate: [
      'dist/src/rules/forbidden-kind.js',
      'dist/src/rules/ca-key-in-source.js',
      'dist/src/rules/revision-kubernetes-incompatible.js',
      'dist/src/guardrails/exceptions.js',
      'dist/src/diff/secrets.js',
    ],
    tests: ['dist/src/rules/**/*.test.js', 'dist/src/guardrails/check.test.js', 'dist/src/guardrails/exceptions*.test.js', 'dist/src/diff/diff-objects.test.js', 'dist/src/diff/secrets*.test.js'],
  },
];

/** The target called `name`; throws naming the known ones. */
export function targetByName(name) {
  const t = TARGETS.find((x) => x.name === name);
  if (!t) throw new Error(`unknown mutation target "${name}"; known: ${TARGETS.map((x) => x.name).join(', ')}`);
  return t;
}
