import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { openDiskCache, type DiskCache } from './disk-cache.js';
import { childName, DiskParseCache, faithfulJson, type CachedDocument } from './parse-cache.js';
import { parseSourceFile, type ParsedDocument } from '../pipeline/load.js';

function scratchDisk(maxEntries = 256): DiskCache {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mp-parse-cache-'));
  chmodSync(dir, 0o700);
  const disk = openDiskCache(path.join(dir, 'parses'), { maxEntries, maxBytes: 1024 * 1024 });
  assert.ok(disk, 'a private scratch folder is usable');
  return disk;
}

const doc: CachedDocument = { index: 0, line: 1, column: 1, used: 12, value: { kind: 'ConfigMap', data: { a: '1' }, list: [1] }, positions: [1, 1, { 's:kind': [1, 1], 's:data': [2, 1, { 's:a': [2, 8] }], 's:list': [3, 1, [[3, 8]]] }] };

describe('faithfulJson', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['plain objects, arrays, strings, numbers, booleans, null', { a: [1, 'x', true, null, { b: 2.5 }], c: {} }, true],
    ['integer-like keys', { 10: 'a', 2: 'b', x: 'c' }, true],
    ['negative zero', { a: -0 }, false],
    ['one object reached twice', ((shared) => ({ a: shared, b: shared }))({ k: 'v' }), false],
    ['one array reached twice', ((shared) => [shared, shared])([1]), false],
    ['a Date', { at: new Date(0) }, false],
    ['bytes', { data: new Uint8Array([1, 2]) }, false],
    ['undefined in an object', { a: undefined }, false],
  ];
  for (const [name, value, expected] of cases) it(`${name} → ${expected}`, () => assert.equal(faithfulJson(value), expected));

  /** What faithfulJson stands for: the JSON round trip gives an equal value, and no object is reached twice. */
  const roundTrips = (value: unknown): boolean => {
    const seen = new Set<object>();
    const unshared = (v: unknown): boolean => v === null || typeof v !== 'object' || (!seen.has(v) && (seen.add(v), Object.values(v).every(unshared)));
    try {
      return unshared(value) && isDeepStrictEqual(JSON.parse(JSON.stringify(value) ?? 'null') as unknown, value);
    } catch {
      return false; // a bigint: JSON.stringify throws
    }
  };
  const values: Array<[string, unknown]> = [
    ...cases.map(([name, value]): [string, unknown] => [name, value]),
    ['a key __proto__ made as JSON makes it', JSON.parse('{"__proto__": {"a": 1}, "b": 2}')],
    ['an object without a prototype', Object.assign(Object.create(null) as object, { a: 1 })],
    ['an array with a hole', [1, , 3]],
    ['an array with a named property', Object.assign([1, 2], { extra: true })],
    ['a non-enumerable property', Object.defineProperty({ a: 1 }, 'hidden', { value: 2, enumerable: false })],
    ['a symbol key', { a: 1, [Symbol('s')]: 2 }],
    ['infinity and NaN', [Infinity, Number.NaN]],
    ['a bigint', { n: 1n }],
    ['the largest safe integer and beyond', [Number.MAX_SAFE_INTEGER, 2 ** 60, 1e300, 5e-324]],
    ['a lone surrogate in a string', { s: '\ud800' }],
    ...readdirSync(path.join(process.cwd(), 'examples'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
      .flatMap((e) => parseSourceFile({ path: e.name, text: readFileSync(path.join(e.parentPath, e.name), 'utf8') }).map((d: ParsedDocument): [string, unknown] => [`examples: ${e.name} #${d.index}`, d.value])),
  ];
  // Sound: what it accepts comes back unchanged. It may refuse more than the round trip would (a
  // non-enumerable property, which JSON drops and a deep comparison does not see); never a parsed value.
  const stricter = ['a non-enumerable property'];
  for (const [name, value] of values) {
    it(`agrees with the JSON round trip: ${name}`, () => {
      if (stricter.includes(name)) assert.ok(!faithfulJson(value) && roundTrips(value));
      else assert.equal(faithfulJson(value), roundTrips(value));
    });
  }
});

describe('childName', () => {
  it('keeps a number key apart from the same digits as a string key', () => {
    assert.notEqual(childName(1), childName('1'));
    assert.equal(childName('__proto__'), 's:__proto__');
  });
});

describe('DiskParseCache', () => {
  it('reads back what it stored, for the same text and build only', () => {
    const disk = scratchDisk();
    const cache = new DiskParseCache(disk, 'a'.repeat(64), 256);
    cache.set('kind: ConfigMap\n', [doc]);
    cache.done();
    assert.deepEqual(cache.get('kind: ConfigMap\n'), [doc]);
    assert.equal(cache.get('kind: ConfigMap \n'), undefined, 'another text');
    assert.equal(new DiskParseCache(disk, 'b'.repeat(64), 256).get('kind: ConfigMap\n'), undefined, 'another build');
  });

  const misshapen: Array<[string, unknown]> = [
    ['not a list', { docs: [doc] }],
    ['a negative line', [{ ...doc, line: -1 }]],
    ['line 0 (lines count from 1)', [{ ...doc, positions: [0, 1] }]],
    ['a fractional budget', [{ ...doc, used: 1.5 }]],
    ['no value', [{ index: 0, line: 1, column: 1, used: 1, positions: {} }]],
    ['positions as an object', [{ ...doc, positions: { '[]': [1, 1] } }]],
    ['a position of one number', [{ ...doc, positions: [1] }]],
    ['a child named without its kind', [{ ...doc, positions: [1, 1, { kind: [1, 1] }] }]],
    ['a child that is not a position', [{ ...doc, positions: [1, 1, [[1, 'x']]] }]],
  ];
  for (const [name, payload] of misshapen) {
    it(`an entry of another shape is a miss: ${name}`, () => {
      const disk = scratchDisk();
      const cache = new DiskParseCache(disk, 'a'.repeat(64), 256);
      cache.set('x: 1\n', [doc]);
      const key = readdirSync(disk.dir).find((n) => /^[0-9a-f]{64}$/.test(n)) as string;
      assert.ok(disk.set(key, JSON.stringify(payload)));
      assert.equal(cache.get('x: 1\n'), undefined);
    });
  }

  it('does not store an entry of more than 4 M characters', () => {
    const disk = scratchDisk();
    const cache = new DiskParseCache(disk, 'a'.repeat(64), 256);
    cache.set('big: 1\n', [{ ...doc, value: 'x'.repeat(4 * 1024 * 1024) }]);
    assert.equal(cache.get('big: 1\n'), undefined);
    cache.set('small: 1\n', [{ ...doc, value: 'x'.repeat(1024) }]);
    assert.ok(cache.get('small: 1\n'));
  });

  it('writes at once but trims the folder only when done (one scan for a whole source)', () => {
    const disk = scratchDisk(2);
    const cache = new DiskParseCache(disk, 'a'.repeat(64), 256);
    for (const text of ['a: 1\n', 'b: 2\n', 'c: 3\n', 'd: 4\n']) cache.set(text, [doc]);
    const entries = (): number => readdirSync(disk.dir).filter((n) => /^[0-9a-f]{64}$/.test(n)).length;
    assert.equal(entries(), 4);
    cache.done();
    assert.equal(entries(), 2);
  });
});
