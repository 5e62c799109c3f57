import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { MeshplaneError } from './errors.js';
import { checkWellFormed, decodeUtf8, describeFsError, invalidUtf8At, readRegularFile, readStreamBounded } from './read-input.js';
import fc from 'fast-check';

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

describe('invalidUtf8At agrees with the WHATWG decoder', () => {
  const whatwg = new TextDecoder('utf-8', { fatal: true });
  const decodes = (bytes: Uint8Array): boolean => {
    try {
      whatwg.decode(bytes);
      return true;
    } catch {
      return false;
    }
  };
  // Bytes biased towards the interesting ranges: ASCII, continuation bytes, lead bytes, the invalid 0xC0/0xC1/0xF5–0xFF.
  const byte = fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0x80, max: 0xbf }), fc.integer({ min: 0xc0, max: 0xff }));
  it('finds an offset exactly when the decoder refuses, and the prefix before it decodes', () => {
    fc.assert(fc.property(fc.array(byte, { maxLength: 24 }), (list) => {
      const bytes = Uint8Array.from(list);
      const at = invalidUtf8At(bytes);
      assert.equal(at === -1, decodes(bytes));
      if (at >= 0) assert.ok(decodes(bytes.subarray(0, at)), `prefix before ${at} must decode`);
    }), { numRuns: 5000 });
  });
  const cases: { name: string; bytes: number[]; at: number }[] = [
    { name: 'Latin-1 é', bytes: [0x61, 0xe9, 0x62], at: 1 },
    { name: 'overlong slash', bytes: [0xc0, 0xaf], at: 0 },
    { name: 'encoded surrogate (CESU-8)', bytes: [0x41, 0xed, 0xa0, 0x80], at: 1 },
    { name: 'above U+10FFFF', bytes: [0xf4, 0x90, 0x80, 0x80], at: 0 },
    { name: 'truncated at the end', bytes: [0x41, 0x42, 0xe2, 0x82], at: 2 },
    { name: 'valid euro sign and emoji', bytes: [0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80], at: -1 },
  ];
  for (const t of cases) it(`${t.name} → ${t.at}`, () => assert.equal(invalidUtf8At(Uint8Array.from(t.bytes)), t.at));
});

describe('decodeUtf8 names the line and column of the first bad byte', () => {
  const cases: { name: string; text: Buffer; line: number; column: number }[] = [
    { name: 'first byte', text: Buffer.from([0xff, 0x0a]), line: 1, column: 1 },
    { name: 'third line after a multi-byte character', text: Buffer.concat([Buffer.from('a: 1\nb: 2\nc: €'), Buffer.from([0xe9])]), line: 3, column: 5 },
  ];
  for (const t of cases) {
    it(t.name, () => {
      assert.throws(() => decodeUtf8(t.text, 'x.yaml'), (err: unknown) => {
        assert.ok(err instanceof MeshplaneError);
        assert.equal(err.code, 'input-encoding');
        assert.deepEqual(err.details[0]?.where, { file: 'x.yaml', line: t.line, column: t.column });
        return true;
      });
    });
  }
});

describe('describeFsError', () => {
  // Real errors from the file system where this machine can produce them (the oracle is the
  // kernel's errno), synthetic ones for the rest (root cannot be refused permission).
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshplane-fserr-'));
  writeFileSync(path.join(dir, 'file'), 'x');
  symlinkSync(path.join(dir, 'loop-b'), path.join(dir, 'loop-a'));
  symlinkSync(path.join(dir, 'loop-a'), path.join(dir, 'loop-b'));
  const thrown = (f: () => unknown): unknown => {
    try {
      f();
    } catch (err) {
      return err;
    }
    throw new Error('expected the file system to refuse');
  };
  const cases: Array<[string, () => unknown, string]> = [
    ['a missing file (ENOENT)', () => thrown(() => readFileSync(path.join(dir, 'missing'))), 'no such file'],
    ['a directory (EISDIR)', () => thrown(() => readFileSync(dir)), 'it is a directory'],
    ['a path through a file (ENOTDIR)', () => thrown(() => readFileSync(path.join(dir, 'file', 'x'))), 'a part of the path is not a directory'],
    ['a symbolic link loop (ELOOP)', () => thrown(() => readFileSync(path.join(dir, 'loop-a'))), 'too many levels of symbolic links'],
    ['a name over the limit (ENAMETOOLONG)', () => thrown(() => readFileSync(path.join(dir, 'n'.repeat(300)))), 'the path is longer than the system allows'],
    ['EACCES', () => Object.assign(new Error('x'), { code: 'EACCES' }), 'permission denied'],
    ['EPERM', () => Object.assign(new Error('x'), { code: 'EPERM' }), 'permission denied'],
    ['another code names it', () => Object.assign(new Error('x'), { code: 'EIO' }), 'the system refused (EIO)'],
    ['no code at all', () => new Error('x'), 'the system refused'],
  ];
  for (const [name, make, text] of cases) it(`${name} → "${text}"`, () => assert.equal(describeFsError(make()), text));
});
