import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse, parseAllDocuments } from 'yaml';
import { exampleNames, renderExample } from '../../test/helpers/examples.js';
import { ByteBoundedMemo, canonicalize, emitJson, emitYaml, enableYamlMemo, fastObjectToYaml, joinYamlDocuments, libraryObjectToYaml, memoKey, objectToYaml, yamlDocuments } from './emit.js';

describe('emit', () => {
  it('puts apiVersion, kind, metadata first and sorts the rest', () => {
    const out = objectToYaml({ spec: { b: 1, a: 2 }, metadata: { name: 'x' }, kind: 'K', apiVersion: 'v1', data: {} });
    assert.equal(out, 'apiVersion: v1\nkind: K\nmetadata:\n  name: x\ndata: {}\nspec:\n  a: 2\n  b: 1\n');
  });
  it('quotes YAML 1.1 booleans so Go parsers keep them as strings', () => {
    const out = objectToYaml({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'on', b: 'yes', c: 'true', d: '0755' } });
    const back = parse(out, { version: '1.1' }) as { data: Record<string, unknown> };
    assert.deepEqual(back.data, { a: 'on', b: 'yes', c: 'true', d: '0755' });
  });
  it('never folds long lines', () => {
    const long = 'x '.repeat(200);
    assert.equal(objectToYaml({ apiVersion: 'v1', kind: 'K', data: { long } }).split('\n').length, 5);
  });
  it('emits a stream that parses back to the same objects', () => {
    const objs = [{ apiVersion: 'v1', kind: 'A', metadata: { name: 'a' } }, { apiVersion: 'v1', kind: 'B', metadata: { name: 'b' } }];
    const docs = parseAllDocuments(emitYaml(objs)).map((d) => d.toJS());
    assert.deepEqual(docs, objs);
  });
  it('emits nothing for no objects', () => assert.equal(emitYaml([]), ''));
  it('emits JSON as a v1 List', () => {
    assert.deepEqual(JSON.parse(emitJson([{ apiVersion: 'v1', kind: 'A' }])), { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'A' }] });
  });
  it('drops undefined values', () => assert.deepEqual(canonicalize({ apiVersion: 'v1', kind: 'A', spec: { x: undefined, y: 1 } }), { apiVersion: 'v1', kind: 'A', spec: { y: 1 } }));
});

/** Strings chosen to hit every quoting rule of YAML 1.1: reserved words, numbers, indicators, colons, spaces, escapes. */
const TRICKY = ['on', 'Off', 'y', 'N', 'null', '~', '', ' ', '0755', '1e3', '.inf', '-6', '+1', '0x1F', '1:20', '2026-12-02', '<<', '-', '?', '- a', 'a: b', 'a:', 'a:b', 'a #b', '#a', '*', '&x', '!t', '|', '>', "'", '"', '%', '@', '`', 'a\tb', 'a\u0001', 'é', '---', '...', '--- a', '%x', 'a\n---\nb', 'a b', 'a ', ' a', 'multi\nline', 'tail\n', '\n', 'x-1.2/y_z', 'docker.io/istio/proxyv2:1.30.3', '10', '__proto__'];

describe('emit: the direct emitter writes the library\'s bytes', () => {
  for (const name of exampleNames()) {
    it(`examples/${name}: every object, byte for byte`, async () => {
      const objects = await renderExample(name);
      let direct = 0;
      for (const obj of objects) {
        const fast = fastObjectToYaml(obj);
        if (fast !== undefined) direct++;
        assert.equal(objectToYaml(obj), libraryObjectToYaml(obj));
      }
      // The direct path must carry most objects, or the speed-up is gone.
      assert.ok(direct >= objects.length / 2, `only ${direct} of ${objects.length} objects took the direct path`);
    });
  }
  it('handles the tricky scalars in keys, values and sequences', () => {
    for (const s of TRICKY) {
      const obj = { apiVersion: 'v1', kind: 'K', data: { [s]: s, list: [s, [s], { [s]: [s] }], n: 1.5, z: -0, big: 1e21, t: true, f: false, nil: null, empty: {}, none: [] } };
      assert.equal(objectToYaml(obj), libraryObjectToYaml(obj), JSON.stringify(s));
    }
  });
  it('orders index-like keys as the library sees them', () => {
    const obj = { kind: 'K', apiVersion: 'v1', '10': 1, '9': 2, b: { '2': 'x', a: 'y', '01': 'z', '1': 'w' } };
    assert.equal(fastObjectToYaml(obj), libraryObjectToYaml(obj));
  });
  it('orders a map of many numbered keys without a scan of the key list per key', () => {
    const n = 5000;
    const data: Record<string, string> = { z: 'last', a: 'first' };
    for (let i = n - 1; i >= 0; i--) data[String(i)] = `v${i}`;
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'numbered' }, data };
    // Counts the elements every Array.prototype.includes call may scan while the object is written.
    const includes = Array.prototype.includes;
    let scanned = 0;
    Array.prototype.includes = function (this: unknown[], ...args: Parameters<typeof includes>) {
      scanned += this.length;
      return includes.apply(this, args);
    };
    let text: string | undefined;
    try {
      text = fastObjectToYaml(obj);
    } finally {
      Array.prototype.includes = includes;
    }
    assert.equal(text, libraryObjectToYaml(obj));
    // A lookup of each of the n + 2 keys in the list of n index-like keys scans about n * n = 25,000,000.
    assert.ok(scanned <= 10 * n, `${scanned} elements scanned to write a map of ${n + 2} keys`);
  });
  it('agrees with the library on generated JSON objects', () => {
    const key = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 6 }), fc.stringMatching(/^[a-z][a-z0-9.-]{0,8}$/));
    const leaf = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 8 }), fc.integer(), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 3 })),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 4 }), (spec) => {
        const obj = { apiVersion: 'v1', kind: 'K', metadata: { name: 'x' }, spec };
        assert.equal(objectToYaml(obj), libraryObjectToYaml(obj));
      }),
      { numRuns: 400 },
    );
  });
});

describe('emit: the YAML memo (server only) never changes a byte', () => {
  it('is off by default: no key is computed and nothing is kept', () => {
    const memo = enableYamlMemo(0);
    assert.equal(memo, undefined);
  });

  it('answers a repeated object with the bytes a fresh emission writes, for every example object', async () => {
    const memo = enableYamlMemo();
    try {
      for (const name of exampleNames()) {
        const objects = await renderExample(name);
        const fresh = objects.map((o) => libraryObjectToYaml(o));
        assert.deepEqual(objects.map(objectToYaml), fresh, `${name}: first pass`);
        assert.ok((memo?.size ?? 0) > 0, 'the memo holds the objects');
        assert.deepEqual(structuredClone(objects).map(objectToYaml), fresh, `${name}: answered from the memo`);
      }
    } finally {
      enableYamlMemo(0);
    }
  });

  // Values JSON cannot tell apart from another: each must bypass the memo, or the second object
  // of a pair would get the first one's text.
  const unfaithful: { name: string; a: Record<string, unknown>; b: Record<string, unknown> }[] = [
    { name: '0 and -0', a: { kind: 'X', n: 0 }, b: { kind: 'X', n: -0 } },
    { name: 'null and an undefined array item', a: { kind: 'X', l: [null] }, b: { kind: 'X', l: [undefined] } },
    { name: 'an empty map and a Map', a: { kind: 'X', m: {} }, b: { kind: 'X', m: new Map([['k', 'v']]) } },
  ];
  for (const t of unfaithful) {
    it(`keeps ${t.name} apart`, () => {
      enableYamlMemo();
      try {
        const first = objectToYaml(t.a as never);
        const second = (() => {
          try {
            return objectToYaml(t.b as never);
          } catch (err) {
            return `threw ${(err as Error).message}`;
          }
        })();
        enableYamlMemo(0);
        const plain = (() => {
          try {
            return objectToYaml(t.b as never);
          } catch (err) {
            return `threw ${(err as Error).message}`;
          }
        })();
        assert.equal(second, plain, 'with the memo on, the second object is written as without it');
        assert.equal(first, objectToYaml(t.a as never));
        assert.equal(memoKey(t.b as never), undefined, 'no memo key for a value JSON would merge');
      } finally {
        enableYamlMemo(0);
      }
    });
  }

  it('property: with the memo on, any object is written as without it', () => {
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(-0)),
      node: fc.oneof({ maxDepth: 3 }, tie('leaf'), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.string(), tie('node'), { maxKeys: 3 })),
    })).node;
    fc.assert(fc.property(fc.array(fc.dictionary(fc.string(), value, { maxKeys: 4 }), { minLength: 1, maxLength: 6 }), (objects) => {
      enableYamlMemo(0);
      const plain = objects.map((o) => objectToYaml(o as never));
      enableYamlMemo();
      try {
        const twice = [...objects, ...objects].map((o) => objectToYaml(o as never));
        assert.deepEqual(twice, [...plain, ...plain]);
      } finally {
        enableYamlMemo(0);
      }
    }), { numRuns: 300 });
  });

  it('forgets everything past its byte bound and never keeps a pair larger than the bound', () => {
    const memo = new ByteBoundedMemo(100);
    memo.set('a', 'x'.repeat(20));
    assert.equal(memo.size, 42);
    memo.set('b', 'y'.repeat(20));
    assert.equal(memo.size, 84);
    memo.set('c', 'z'.repeat(20));
    assert.equal(memo.get('a'), undefined, 'cleared when full');
    assert.equal(memo.get('c'), 'z'.repeat(20));
    memo.set('huge', 'h'.repeat(100));
    assert.equal(memo.get('huge'), undefined);
  });
});

describe('yamlDocuments / joinYamlDocuments', () => {
  const objects = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'a' }, data: { text: 'two\nlines\n' } },
  ];
  it('joined, they are emitYaml, byte for byte (and nothing for no objects)', () => {
    assert.equal(joinYamlDocuments(yamlDocuments(objects)), emitYaml(objects));
    assert.deepEqual(yamlDocuments(objects), objects.map((o) => objectToYaml(o)));
    assert.equal(joinYamlDocuments(yamlDocuments([])), '');
  });
  it('takes a known document for the very object only, never for an equal one', () => {
    const first = objects[0]!;
    const known = new Map([[first, 'stored: yes\n']]);
    assert.deepEqual(yamlDocuments([first, { ...first }], known), ['stored: yes\n', objectToYaml(first)]);
  });
});
