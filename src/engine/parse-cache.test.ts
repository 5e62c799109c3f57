import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDiskCache, type DiskCache } from './disk-cache.js';
import { DiskParseCache, faithfulJson, pathKey, type CachedDocument } from './parse-cache.js';

function scratchDisk(maxEntries = 256): DiskCache {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mp-parse-cache-'));
  chmodSync(dir, 0o700);
  const disk = openDiskCache(path.join(dir, 'parses'), { maxEntries, maxBytes: 1024 * 1024 });
  assert.ok(disk, 'a private scratch folder is usable');
  return disk;
}

const doc: CachedDocument = { index: 0, line: 1, column: 1, used: 12, value: { kind: 'ConfigMap', data: { a: '1' } }, positions: { '[]': [1, 1], '["kind"]': [1, 1], '["data"]': [2, 1] } };

describe('faithfulJson', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['plain objects, arrays, strings, numbers, booleans, null', { a: [1, 'x', true, null, { b: 2.5 }], c: {} }, true],
    ['integer-like keys (JSON keeps the order V8 gives them)', { 10: 'a', 2: 'b', x: 'c' }, true],
    ['negative zero', { a: -0 }, false],
    ['one object reached twice', ((shared) => ({ a: shared, b: shared }))({ k: 'v' }), false],
    ['one array reached twice', ((shared) => [shared, shared])([1]), false],
    ['a Date', { at: new Date(0) }, false],
    ['bytes', { data: new Uint8Array([1, 2]) }, false],
    ['undefined in an object', { a: undefined }, false],
  ];
  for (const [name, value, expected] of cases) it(`${name} → ${expected}`, () => assert.equal(faithfulJson(value), expected));
});

describe('pathKey', () => {
  it('keeps a number apart from the same digits as a string, and paths apart from their joins', () => {
    assert.notEqual(pathKey([1]), pathKey(['1']));
    assert.notEqual(pathKey(['a.b']), pathKey(['a', 'b']));
    assert.equal(pathKey([]), '[]');
  });
});

describe('DiskParseCache', () => {
  it('reads back what it stored, for the same text and build only', () => {
    const disk = scratchDisk();
    const cache = new DiskParseCache(disk, 'a'.repeat(64));
    cache.set('kind: ConfigMap\n', [doc]);
    cache.done();
    assert.deepEqual(cache.get('kind: ConfigMap\n'), [doc]);
    assert.equal(cache.get('kind: ConfigMap \n'), undefined, 'another text');
    assert.equal(new DiskParseCache(disk, 'b'.repeat(64)).get('kind: ConfigMap\n'), undefined, 'another build');
  });

  const misshapen: Array<[string, unknown]> = [
    ['not a list', { docs: [doc] }],
    ['a negative line', [{ ...doc, line: -1 }]],
    ['a fractional budget', [{ ...doc, used: 1.5 }]],
    ['no value', [{ index: 0, line: 1, column: 1, used: 1, positions: {} }]],
    ['positions as a list', [{ ...doc, positions: [] }]],
    ['a position of three numbers', [{ ...doc, positions: { '[]': [1, 1, 1] } }]],
  ];
  for (const [name, payload] of misshapen) {
    it(`an entry of another shape is a miss: ${name}`, () => {
      const disk = scratchDisk();
      const cache = new DiskParseCache(disk, 'a'.repeat(64));
      cache.set('x: 1\n', [doc]);
      const key = readdirSync(disk.dir).find((n) => /^[0-9a-f]{64}$/.test(n)) as string;
      assert.ok(disk.set(key, JSON.stringify(payload)));
      assert.equal(cache.get('x: 1\n'), undefined);
    });
  }

  it('writes at once but trims the folder only when done (one scan for a whole source)', () => {
    const disk = scratchDisk(2);
    const cache = new DiskParseCache(disk, 'a'.repeat(64));
    for (const text of ['a: 1\n', 'b: 2\n', 'c: 3\n', 'd: 4\n']) cache.set(text, [doc]);
    const entries = (): number => readdirSync(disk.dir).filter((n) => /^[0-9a-f]{64}$/.test(n)).length;
    assert.equal(entries(), 4);
    cache.done();
    assert.equal(entries(), 2);
  });
});
