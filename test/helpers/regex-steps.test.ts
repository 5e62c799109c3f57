import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countRegexSteps, stepGrowth } from './regex-steps.js';

describe('countRegexSteps', () => {
  // Why these: every construct the counted patterns use (classes, escapes, groups, alternation,
  // bounded and lazy quantifiers, anchors, lookahead, one-character lookbehind).
  const patterns = ['^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', '^[A-Za-z0-9+/\\s]*={0,2}\\s*$', '[ \\t\\r]+$', '(?<![ \\t\\r])[ \\t\\r]+$', '^-+|-+$', '^(?!default$)(?!asm-)[a-z]+$', 'a{2,3}?b', '^(?:x|y\\.)+\\d{1}$', '[^/%]+', '(?<minor>\\d+)\\.', '^[ \\t]*,?[ \\t]*(#.*)?\\r?$'];
  const inputs = ['', 'a', 'abc', 'a-b', 'a--', '-a-', 'default', 'asm-1', 'QUJD', 'QUJD==', 'QUJD= =', ' \t', 'x \t ', 'aab', 'aaab', 'x1', 'y.y.2', '/%', '12.', ' , # c', ' ,, ', 'a\r'];
  for (const p of patterns) {
    it(`finds what RegExp finds: ${p}`, () => {
      for (const s of inputs) assert.equal(countRegexSteps(p, s).matched, new RegExp(p, 'u').test(s), `${p} on ${JSON.stringify(s)}`);
    });
  }

  it('counts a linear search as about twice the work on twice the input, a quadratic one as about four times', () => {
    const blanksThenX = (n: number): string => `x${' '.repeat(n)}x`;
    assert.ok(stepGrowth('(?<![ \\t\\r])[ \\t\\r]+$', blanksThenX) < 2.5);
    assert.ok(stepGrowth('[ \\t\\r]+$', blanksThenX) > 3.5);
  });
});
