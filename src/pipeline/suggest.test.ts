import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance, suggest } from './suggest.js';

describe('suggest', () => {
  const cases: Array<[string, string[], string | undefined]> = [
    ['isito', ['istio', 'mode', 'tags'], 'istio'],
    ['revision', ['revisions', 'components'], 'revisions'],
    ['meshconfig', ['meshConfig', 'monitoring'], 'meshConfig'],
    ['zzzzzz', ['istio', 'mode'], undefined],
  ];
  for (const [name, candidates, expected] of cases) it(`${name} → ${String(expected)}`, () => assert.equal(suggest(name, candidates), expected));
  it('measures edits', () => assert.equal(editDistance('kitten', 'sitting'), 3));
});
