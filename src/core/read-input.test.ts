import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { MeshplaneError } from './errors.js';
import { checkWellFormed, readRegularFile, readStreamBounded } from './read-input.js';

const target = { shown: '--intent x', fix: 'pass a file' };
const dir = mkdtempSync(path.join(os.tmpdir(), 'mp-read-input-'));

function code(err: unknown): string {
  assert.ok(err instanceof MeshplaneError, String(err));
  return err.code;
}

describe('readRegularFile', () => {
  it('reads a regular file whole', async () => {
    writeFileSync(path.join(dir, 'a.yaml'), 'a: 1\n');
    assert.equal((await readRegularFile(path.join(dir, 'a.yaml'), target, 100)).toString(), 'a: 1\n');
  });

  const refused: Array<[string, () => string, string, RegExp]> = [
    ['a FIFO without a writer (opening must not block)', () => {
      const p = path.join(dir, 'fifo.yaml');
      assert.equal(spawnSync('mkfifo', [p]).status, 0);
      return p;
    }, 'input-not-a-file', /named pipe/],
    ['/dev/zero (never ends)', () => '/dev/zero', 'input-not-a-file', /a device/],
    ['a directory', () => dir, 'input-not-a-file', /a directory/],
    ['a file over the byte limit', () => {
      const p = path.join(dir, 'big.yaml');
      writeFileSync(p, '');
      truncateSync(p, 1000);
      return p;
    }, 'input-too-large', /over the 999-byte limit/],
    ['a missing file', () => path.join(dir, 'nope.yaml'), 'source-unreadable', /no such file/],
  ];
  for (const [name, make, want, message] of refused) {
    it(`refuses ${name}`, async () => {
      const p = make();
      await assert.rejects(readRegularFile(p, target, 999), (err: unknown) => {
        assert.equal(code(err), want);
        assert.match((err as Error).message, message);
        assert.ok(!(err as Error).message.includes(dir), 'the message names the path as given, not the machine path');
        return true;
      });
    });
  }
});

describe('readStreamBounded', () => {
  it('reads a stream under the limit', async () => {
    assert.equal((await readStreamBounded(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), target, 4)).toString(), 'abcd');
  });
  it('stops as soon as the stream passes the limit (an endless stream ends in an error)', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 1024;
        this.push(Buffer.alloc(1024));
      },
    });
    await assert.rejects(readStreamBounded(endless, { shown: 'stdin', fix: 'x' }, 10_000), (err: unknown) => code(err) === 'input-too-large');
    assert.ok(produced < 100_000, `stopped after ${produced} bytes`);
  });
  it('fails with input-timeout when the stream stays open past the time limit, and destroys it', async () => {
    const silent = new Readable({ read() {} });
    silent.push('apiVersion: v1\n');
    await assert.rejects(readStreamBounded(silent, { shown: 'stdin', fix: 'x' }, 10_000, 50), (err: unknown) => code(err) === 'input-timeout' && /did not end within/.test((err as Error).message));
    assert.equal(silent.destroyed, true);
  });
  it('a stream that ends before the time limit is read whole', async () => {
    assert.equal((await readStreamBounded(Readable.from([Buffer.from('ab')]), target, 4, 60_000)).toString(), 'ab');
  });
});

describe('checkWellFormed', () => {
  const table: Array<[string, string, number | undefined]> = [
    ['plain text', 'a: 1\n', undefined],
    ['a full surrogate pair (an emoji)', 'a: \ud83d\ude00\n', undefined],
    ['a lone high surrogate', 'a: 1\nb: x\ud800\n', 2],
    ['a lone low surrogate', '\udc00', 1],
  ];
  for (const [name, text, line] of table) {
    it(name, () => {
      if (line === undefined) return checkWellFormed(text, 'f.yaml');
      assert.throws(() => checkWellFormed(text, 'f.yaml'), (err: unknown) => code(err) === 'input-encoding' && (err as MeshplaneError).details[0]?.where?.line === line);
    });
  }
});
