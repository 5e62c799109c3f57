import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AnswerCache, CacheKey, dataFingerprint, type CachedAnswer } from './cache.js';

function answer(bytes: number): CachedAnswer {
  return { status: 200, contentType: 'application/yaml', exitCode: 0, body: Buffer.alloc(bytes, 97) };
}

describe('AnswerCache', () => {
  it('evicts the least recently used answers to stay within its byte budget', () => {
    const cache = new AnswerCache(8 * 1300);
    cache.set('a', answer(1000));
    cache.set('b', answer(1000));
    assert.ok(cache.get('a'), 'a is now the most recently used');
    for (const k of ['c', 'd', 'e', 'f', 'g', 'h', 'i']) cache.set(k, answer(1000));
    assert.ok(cache.bytes <= cache.maxBytes);
    assert.equal(cache.get('b'), undefined, 'b was the least recently used');
    assert.ok(cache.get('a'));
    assert.ok(cache.stats.evictions >= 1);
  });

  it('counts hits and misses', () => {
    const cache = new AnswerCache(1 << 20);
    cache.get('x');
    cache.set('x', answer(10));
    cache.get('x');
    assert.deepEqual({ hits: cache.stats.hits, misses: cache.stats.misses }, { hits: 1, misses: 1 });
  });

  it('does not keep an answer larger than an eighth of the budget', () => {
    const cache = new AnswerCache(8000);
    cache.set('big', answer(2000));
    assert.equal(cache.size, 0);
  });

  it('replacing a key does not count its bytes twice', () => {
    const cache = new AnswerCache(1 << 20);
    cache.set('k', answer(100));
    cache.set('k', answer(100));
    assert.equal(cache.size, 1);
    assert.equal(cache.bytes, 100 + 256);
  });
});

describe('CacheKey', () => {
  const cases: Array<[string, string[], string[]]> = [
    ['moving text across a boundary', ['ab', 'c'], ['a', 'bc']],
    ['an empty part', ['a', ''], ['a']],
    ['order', ['x', 'y'], ['y', 'x']],
  ];
  for (const [name, a, b] of cases) {
    it(`different inputs hash differently: ${name}`, () => {
      const key = (parts: string[]) => parts.reduce((k, p) => k.add(p), new CacheKey()).digest();
      assert.notEqual(key(a), key(b));
      assert.equal(key(a), key([...a]), 'and the same input hashes the same');
    });
  }
});

describe('dataFingerprint', () => {
  it('changes with the version and with any data file, and only then', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'mp-fingerprint-'));
    try {
      for (const f of ['templates/main.jsonnet', 'templates/lib/k.libsonnet', 'catalog/revisions.yaml', 'schemas/s.json']) {
        await mkdir(path.dirname(path.join(root, f)), { recursive: true });
        await writeFile(path.join(root, f), f);
      }
      const at = (...p: string[]) => path.join(root, ...p);
      const first = dataFingerprint('1.0.0', at);
      assert.equal(dataFingerprint('1.0.0', at), first);
      assert.notEqual(dataFingerprint('1.0.1', at), first);
      await writeFile(at('templates', 'lib', 'k.libsonnet'), 'changed');
      assert.notEqual(dataFingerprint('1.0.0', at), first);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
