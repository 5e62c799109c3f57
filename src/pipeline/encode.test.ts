import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LocatedObject } from '../core/types.js';
import { enableEncodeMemo, encode, encodeValue } from './encode.js';

const rendered = (object: LocatedObject['object'], kind: 'rendered' | 'source' = 'rendered'): LocatedObject => ({ object, origin: { file: 't', line: 1, column: 1, kind } });

describe('encode', () => {
  it('serializes embedded YAML and JSON with sorted keys', () => {
    const [out] = encode([rendered({ apiVersion: 'v1', kind: 'ConfigMap', data: { mesh: { 'meshplane.io/encode': 'yaml', value: { b: 1, a: { d: 2, c: 3 } } }, values: { 'meshplane.io/encode': 'json', value: { z: 1, y: [1] } } } })]);
    assert.deepEqual(out?.object.data, { mesh: 'a:\n  c: 3\n  d: 2\nb: 1\n', values: '{\n  "y": [\n    1\n  ],\n  "z": 1\n}\n' });
  });
  it('leaves source objects alone', () => {
    const marker = { 'meshplane.io/encode': 'yaml', value: {} };
    const [out] = encode([rendered({ apiVersion: 'v1', kind: 'ConfigMap', data: { x: marker } }, 'source')]);
    assert.deepEqual(out?.object.data, { x: marker });
  });
  it('rejects an unknown encoding', () => {
    assert.throws(() => encode([rendered({ apiVersion: 'v1', kind: 'X', spec: { 'meshplane.io/encode': 'toml', value: 1 } })]), /unknown/);
  });
  it('encodes an empty mesh config as {}', () => assert.equal(encodeValue('yaml', {}), '{}\n'));
});

describe('encode memo (the server turns it on)', () => {
  // Each value is encoded twice with the memo on (the second answer may come from it) and once
  // with it off: all three must be the same bytes. -0 and Infinity are values JSON would write
  // like 0 and null, so they must bypass the memo instead of taking another value's text.
  const cases: Array<[string, unknown, unknown, boolean]> = [
    ['a nested mapping', { b: 1, a: { d: [1, 'x: y'], c: 'multi\nline\n' } }, undefined, true],
    ['-0 after 0', 0, -0, false],
    ['Infinity after null', { a: null }, { a: Infinity }, false],
    ['a string that needs quoting', 'yes', undefined, true],
  ];
  for (const [name, first, second, memoised] of cases) {
    it(name, () => {
      const off = [first, second ?? first].map((v) => (enableEncodeMemo(0), encodeValue('yaml', v)));
      const memo = enableEncodeMemo();
      try {
        const on = [encodeValue('yaml', first), encodeValue('yaml', second ?? first)];
        assert.deepEqual(on, off);
        assert.equal((memo?.size ?? 0) > 0, true, 'the first value is remembered');
        if (!memoised) assert.notEqual(on[0], on[1], 'values JSON merges keep their own text');
      } finally {
        enableEncodeMemo(0);
      }
    });
  }
});
