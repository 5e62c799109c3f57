import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodeFor, type Outcome } from './exit-codes.js';

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
