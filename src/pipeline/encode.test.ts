import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LocatedObject } from '../core/types.js';
import fc from 'fast-check';
import { parse } from 'yaml';
import { exampleNames, renderExample } from '../../test/helpers/examples.js';
import { fastYaml, yamlDialect } from './emit.js';
import { enableEncodeMemo, ENCODE_YAML_OPTIONS, encode, encodeValue, libraryEncodeYaml } from './encode.js';

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
  it('copies only along the paths to markers, and never changes its input', () => {
    const untouched = { containers: [{ name: 'a', args: ['x'] }] };
    const object = { apiVersion: 'v1', kind: 'ConfigMap', spec: untouched, data: { list: [1, { 'meshplane.io/encode': 'json', value: [2] }], keep: { a: 1 } } };
    const before = structuredClone(object);
    const [out] = encode([rendered(object)]);
    assert.deepEqual(object, before, 'the input is not modified');
    assert.deepEqual(out?.object.data, { list: [1, '[\n  2\n]\n'], keep: { a: 1 } });
    assert.equal(out?.object.spec, untouched, 'a subtree without markers is the same object');
    assert.equal((out?.object.data as { keep: unknown }).keep, object.data.keep);
    assert.notEqual(out?.object.data, object.data, 'a container holding a marker is a copy');
    const plain = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } };
    assert.equal(encode([rendered(plain)])[0]?.object, plain, 'an object without markers is returned as it is');
  });
  it('keeps a key named __proto__ an own key next to an encoded member', () => {
    const object = JSON.parse('{"apiVersion":"v1","kind":"ConfigMap","data":{"__proto__":{"polluted":true},"m":{"meshplane.io/encode":"yaml","value":{"a":1}}}}') as LocatedObject['object'];
    const data = encode([rendered(object)])[0]?.object.data as Record<string, unknown>;
    assert.deepEqual(Object.keys(data), ['__proto__', 'm']);
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
    assert.equal(data.m, 'a: 1\n');
  });
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

describe('encode: the direct YAML writer writes the library\'s bytes', () => {
  it('every embedded YAML document of every example, re-encoded', async () => {
    let documents = 0;
    for (const name of exampleNames()) {
      for (const obj of await renderExample(name)) {
        for (const text of Object.values((obj as { data?: Record<string, unknown> }).data ?? {})) {
          if (typeof text !== 'string' || text.startsWith('{')) continue;
          let value: unknown;
          try {
            value = parse(text);
          } catch {
            continue;
          }
          if (!value || typeof value !== 'object') continue;
          documents++;
          assert.notEqual(fastYaml(value, yamlDialect(ENCODE_YAML_OPTIONS)), undefined, `${name}: ${obj.kind}/${obj.metadata?.name} took the direct path`);
          assert.equal(encodeValue('yaml', value), libraryEncodeYaml(value), `${name}: ${obj.kind}/${obj.metadata?.name}`);
        }
      }
    }
    assert.ok(documents >= 10, `only ${documents} embedded documents found`);
  });
  const cases: { name: string; value: unknown }[] = [
    { name: 'a top-level sequence', value: ['a', { b: 'c', d: [1, 'on'] }, ['x'], [], {}] },
    { name: 'an empty sequence', value: [] },
    { name: 'a scalar (the library alone)', value: 'text' },
    { name: 'YAML 1.2 leaves 1.1-only words plain', value: { on: 'yes', y: 'n', octal: '0755', sexagesimal: '1:20', merge: '<<', '<<': 1 } },
    { name: 'YAML 1.2 still quotes its own words', value: { t: 'true', n: 'null', i: '12', f: '1.5', e: '1e3', hex: '0x1F' } },
    { name: 'block scalars', value: { script: 'line\n  indented\n\ntrailing  \n', keep: 'a\n\n', strip: 'a\nb' } },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(encodeValue('yaml', c.value), libraryEncodeYaml(c.value)));
  }
  it('property: generated documents', () => {
    const text = fc.oneof(fc.constantFrom('on', 'yes', 'true', '0755', '1:20', '<<', '', ' a', 'a\nb\n', '- x', '#', "it's", '"q"', '\u0001', '\ud800'), fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }));
    const leaf = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(text, tie('node'), { maxKeys: 3 })),
    })).node;
    fc.assert(fc.property(fc.oneof(fc.dictionary(text, value, { maxKeys: 4 }), fc.array(value, { maxLength: 4 })), (v) => assert.equal(encodeValue('yaml', v), libraryEncodeYaml(v))), { numRuns: 500 });
  });
});
