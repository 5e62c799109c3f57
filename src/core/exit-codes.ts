/**
 * The exit-code contract (docs/design.md, "Contracts"), owned by this one module.
 * 0 clean (warnings allowed) · 1 policy violations · 2 invalid input, usage or internal error.
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
