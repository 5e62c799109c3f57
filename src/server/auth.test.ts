import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MeshplaneError } from '../core/errors.js';
import { checkBind, isLoopback, loadToken, tokenMatches } from './auth.js';

describe('isLoopback', () => {
  const cases: Array<[string, boolean]> = [
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['[::1]', true],
    ['localhost', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['example.com', false],
    ['128.0.0.1', false],
  ];
  for (const [host, loopback] of cases) it(`${host} → ${loopback}`, () => assert.equal(isLoopback(host), loopback));
});

describe('checkBind', () => {
  it('refuses a non-loopback address without a token', () => {
    assert.throws(() => checkBind('0.0.0.0', undefined, false), (e: unknown) => e instanceof MeshplaneError && e.code === 'usage' && /without a token/.test(e.message));
  });
  it('allows it with a token, or with the explicit override', () => {
    assert.doesNotThrow(() => checkBind('0.0.0.0', 'x'.repeat(32), false));
    assert.doesNotThrow(() => checkBind('0.0.0.0', undefined, true));
  });
  it('allows loopback without a token', () => assert.doesNotThrow(() => checkBind('127.0.0.1', undefined, false)));
});

describe('tokenMatches', () => {
  const cases: Array<[string, string, boolean]> = [
    ['equal', 'abcdefghijklmnop', true],
    ['one character off', 'abcdefghijklmnoq', false],
    ['a prefix', 'abcdefgh', false],
    ['longer', 'abcdefghijklmnopq', false],
    ['empty', '', false],
  ];
  for (const [name, presented, ok] of cases) it(name, () => assert.equal(tokenMatches(presented, 'abcdefghijklmnop'), ok));
});

describe('loadToken', () => {
  it('reads the file (trimmed) before MESHPLANE_TOKEN; refuses a short token and an unreadable file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-token-'));
    try {
      const file = path.join(dir, 'token');
      await writeFile(file, 'from-file-0123456789\n');
      assert.equal(await loadToken(file, { MESHPLANE_TOKEN: 'from-env-0123456789' }), 'from-file-0123456789');
      assert.equal(await loadToken(undefined, { MESHPLANE_TOKEN: 'from-env-0123456789' }), 'from-env-0123456789');
      assert.equal(await loadToken(undefined, {}), undefined);
      await assert.rejects(loadToken(undefined, { MESHPLANE_TOKEN: 'short' }), /shorter than/);
      await assert.rejects(loadToken(path.join(dir, 'missing'), {}), (e: unknown) => e instanceof MeshplaneError && /ENOENT/.test(e.message));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
