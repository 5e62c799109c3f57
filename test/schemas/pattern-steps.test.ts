/**
 * Every `pattern` of our JSON schemas runs on user text (object fields, the intent, the lock) in
 * a backtracking RegExp inside the precompiled validators, where one value can hold up to 16 MiB.
 * A pattern whose quantified parts can split the same text in more than one way costs
 * quadratic time or worse on the right input: `^[A-Za-z0-9+/\s]*={0,2}\s*$` (Secret data)
 * took 15 s on a value of 100,000 blanks and a `!`. This test counts the steps of a
 * backtracking search (test/helpers/regex-steps.ts) on inputs built to split many ways, and
 * requires them to grow linearly. No timing: the counts are exact.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { packagePath } from '../../src/core/paths.js';
import { stepGrowth } from '../helpers/regex-steps.js';

function patterns(value: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) patterns(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'pattern' && typeof v === 'string') out.add(v);
      else patterns(v, out);
    }
  }
  return out;
}

const schemaDir = packagePath('schemas');
const all = new Set<string>();
for (const f of readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json'))) patterns(JSON.parse(readFileSync(`${schemaDir}/${f}`, 'utf8')), all);

/**
 * Why these units and ends: the characters the patterns' classes hold (letters, digits, the
 * separators `- . _ / :`, blanks, base64 `+ =`), alone and in the pairs that separate DNS labels
 * and path segments, repeated and then ended by a character that makes the match fail late.
 */
const UNITS = ['a', 'A', '0', '-', '.', '_', '/', ' ', '\t', '\n', '=', ':', '+', 'a-', 'a.', '-a', '/a', 'a ', 'a/', 'a_', 'a:', 'a-.', '= ', ' ='];
const ENDS = ['!', '', '-', '/', '.', ' !', '=!', 'a'];
const PREFIXES = ['', 'a', 'A'];

describe('schema patterns', () => {
  it('finds the patterns (the test reads every schema)', () => {
    assert.ok(all.size >= 10, `found only ${all.size} patterns`);
    assert.ok([...all].some((p) => p.includes('A-Za-z0-9+/')), 'the Secret data pattern is among them');
  });
  for (const pattern of all) {
    it(`searches in steps linear in the input: ${pattern.length > 80 ? `${pattern.slice(0, 77)}...` : pattern}`, () => {
      for (const prefix of PREFIXES) {
        for (const unit of UNITS) {
          for (const end of ENDS) {
            const make = (n: number): string => prefix + unit.repeat(Math.ceil(n / unit.length)) + end;
            const growth = stepGrowth(pattern, make, 150);
            assert.ok(growth < 2.6, `${JSON.stringify(prefix)} + ${JSON.stringify(unit)} repeated + ${JSON.stringify(end)}: doubling the input multiplied the steps by ${growth.toFixed(2)} (a linear search: about 2)`);
          }
        }
      }
    });
  }
});
