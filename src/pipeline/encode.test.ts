import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LocatedObject } from '../core/types.js';
import { encode, encodeValue } from './encode.js';

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
