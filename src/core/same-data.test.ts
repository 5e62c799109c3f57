import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sameData } from './same-data.js';

describe('sameData', () => {
  // [case, a, b, same]
  const cases: Array<[string, unknown, unknown, boolean]> = [
    ['key order does not matter', { a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 }, true],
    ['list order matters', [1, 2], [2, 1], false],
    ['a key with an undefined value is absent', { a: 1, b: undefined }, { a: 1 }, true],
    ['both absent', undefined, undefined, true],
    ['absent is not empty', undefined, {}, false],
    ['a value differs deep down', { m: { k: 'x' } }, { m: { k: 'y' } }, false],
    ['a number is not its string', { a: 1 }, { a: '1' }, false],
    ['null is not absent', { a: null }, {}, false],
  ];
  for (const [name, a, b, want] of cases) it(name, () => assert.equal(sameData(a, b), want));
});
