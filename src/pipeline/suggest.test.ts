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

  const near: Array<[string, string[], string | undefined]> = [
    ['ab', ['abcd', 'abcde'], 'abcd'],
    ['abcdef', ['abcdefgh', 'ab'], 'abcdefgh'],
    ['abcdef', ['abcdefghi'], undefined],
    ['KIND', ['kinds', 'k'], 'kinds'],
  ];
  for (const [name, candidates, expected] of near) it(`at the length bound: ${name} → ${String(expected)}`, () => assert.equal(suggest(name, candidates), expected));

  it('computes no distance to a candidate whose length alone rules it out (a megabyte-long unknown key)', () => {
    const name = 'k'.repeat(1_000_000);
    const candidates = ['mode', 'istio', 'tags', 'upgrade', 'meshConfig', 'monitoring', 'security', 'platform', 'policy', 'images'];
    // Every distance lowercases both strings first; count the lowercasings of the long name.
    const lower = String.prototype.toLowerCase;
    let longLowered = 0;
    String.prototype.toLowerCase = function (this: string) {
      if (this.length === name.length) longLowered++;
      return lower.call(this);
    };
    try {
      assert.equal(suggest(name, candidates), undefined);
    } finally {
      String.prototype.toLowerCase = lower;
    }
    // Once to measure it; a distance to each candidate would lowercase it once per candidate (10).
    assert.ok(longLowered <= 1, `the long name was lowercased ${longLowered} times for ${candidates.length} candidates`);
  });
});
