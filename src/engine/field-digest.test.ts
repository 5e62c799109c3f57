import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { fieldsDigest } from './field-digest.js';

describe('fieldsDigest', () => {
  it('is the SHA-256 of each field prefixed with its length in bytes', () => {
    assert.equal(fieldsDigest(['ab', 'ü']), createHash('sha256').update('2:ab2:ü').digest('hex'));
    assert.equal(fieldsDigest([]), createHash('sha256').digest('hex'));
  });
  const apart: Array<[string[], string[]]> = [
    [['ab', 'c'], ['a', 'bc']],
    [['abc'], ['abc', '']],
    [['1:a'], ['a']],
    [['', ''], ['']],
  ];
  for (const [a, b] of apart) it(`${JSON.stringify(a)} and ${JSON.stringify(b)} differ`, () => assert.notEqual(fieldsDigest(a), fieldsDigest(b)));
});
