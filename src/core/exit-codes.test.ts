import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EXIT, exitCodeFor, findingsOutcome, UNRENDERABLE_RULES, type Outcome } from './exit-codes.js';

describe('exitCodeFor', () => {
  const cases: Array<[Outcome, number]> = [
    [{ kind: 'clean' }, 0],
    [{ kind: 'violations' }, 1],
    [{ kind: 'error' }, 2],
    [{ kind: 'diff', changed: false, exitZero: false }, 0],
    [{ kind: 'diff', changed: true, exitZero: false }, 1],
    [{ kind: 'diff', changed: true, exitZero: true }, 0],
  ];
  for (const [outcome, code] of cases) it(`${JSON.stringify(outcome)} → ${code}`, () => assert.equal(exitCodeFor(outcome), code));
});

describe('findingsOutcome', () => {
  // The contract (docs/design.md "Contracts"): error findings are violations (exit 1), except a
  // rule that left part of the intent unrendered, which is invalid input (exit 2); warnings never fail.
  const cases: Array<[string, Array<{ ruleId: string; severity: string }>, Outcome['kind']]> = [
    ['no findings', [], 'clean'],
    ['warnings only', [{ ruleId: 'revision-end-of-life', severity: 'warning' }], 'clean'],
    ['one policy error', [{ ruleId: 'forbidden-kind', severity: 'error' }], 'violations'],
    ['a policy error next to a warning', [{ ruleId: 'revision-end-of-life', severity: 'warning' }, { ruleId: 'forbidden-kind', severity: 'error' }], 'violations'],
    ['an unknown revision (nothing rendered for it)', [{ ruleId: 'revision-unknown', severity: 'error' }], 'error'],
    ['an unknown revision after a policy error', [{ ruleId: 'forbidden-kind', severity: 'error' }, { ruleId: 'revision-unknown', severity: 'error' }], 'error'],
    ['revision-unknown only as a warning is not unrenderable', [{ ruleId: 'revision-unknown', severity: 'warning' }], 'clean'],
    ['an error whose id merely contains revision-unknown', [{ ruleId: 'revision-unknown-ish', severity: 'error' }], 'violations'],
  ];
  for (const [name, findings, kind] of cases) {
    it(`${name} → ${kind} (exit ${({ clean: 0, violations: 1, error: 2 } as Record<string, number>)[kind]})`, () => {
      const outcome = findingsOutcome(findings);
      assert.deepEqual(outcome, { kind });
      assert.equal(exitCodeFor(outcome), ({ clean: 0, violations: 1, error: 2 } as Record<string, number>)[kind]);
    });
  }
  it('names exactly one unrenderable rule: revision-unknown', () => assert.deepEqual([...UNRENDERABLE_RULES], ['revision-unknown']));
  it('EXIT names the codes of the contract', () => assert.deepEqual({ ...EXIT }, { clean: 0, violations: 1, changes: 1, error: 2 }));
});
