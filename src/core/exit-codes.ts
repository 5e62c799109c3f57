/**
 * The exit-code contract (docs/design.md, "Contracts"), owned by this one module.
 * 0 clean (warnings allowed) · 1 policy violations · 2 invalid input, usage or internal error.
 * A finding of a rule in {@link UNRENDERABLE_RULES} is invalid input (2), not a policy finding.
 * `diff`: 0 no changes · 1 changes · 2 error; `--exit-zero` turns 1 into 0.
 */

/** What a command ended with. */
export type Outcome =
  | { kind: 'clean' }
  | { kind: 'violations' }
  | { kind: 'error' }
  | { kind: 'diff'; changed: boolean; exitZero: boolean };

/** Exit code numbers, named. */
export const EXIT = { clean: 0, violations: 1, changes: 1, error: 2 } as const;

/** Maps an outcome to the process exit code. */
export function exitCodeFor(outcome: Outcome): number {
  switch (outcome.kind) {
    case 'clean':
      return EXIT.clean;
    case 'violations':
      return EXIT.violations;
    case 'error':
      return EXIT.error;
    case 'diff':
      return outcome.changed && !outcome.exitZero ? EXIT.changes : EXIT.clean;
  }
}

/**
 * Rules whose error finding means nothing could be rendered for part of the intent, so the run
 * is invalid input (exit 2) rather than a policy violation (exit 1). Why only this one: an unknown
 * revision leaves its control plane out of the render entirely; every other finding is about
 * objects that were rendered (or refused by policy) and is fixed by changing the policy inputs.
 */
export const UNRENDERABLE_RULES: readonly string[] = ['revision-unknown'];

/** The outcome of a checked render from its findings: error (unrenderable), violations or clean. */
export function findingsOutcome(findings: ReadonlyArray<{ ruleId: string; severity: string }>): Outcome {
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.some((f) => UNRENDERABLE_RULES.includes(f.ruleId))) return { kind: 'error' };
  return { kind: errors.length > 0 ? 'violations' : 'clean' };
}
