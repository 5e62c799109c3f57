import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { MeshplaneError } from './errors.js';
import { checkWellFormed, decodeUtf8, describeFsError, invalidUtf8At, readRegularFile, readStreamBounded, timedOut, tooLarge } from './read-input.js';
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
    ['ENXIO (a Unix socket)', () => Object.assign(new Error('x'), { code: 'ENXIO' }), 'it is a socket or a device with nothing behind it, not a regular file'],
    ['no code at all', () => new Error('x'), 'the system refused'],
  ];
  for (const [name, make, text] of cases) it(`${name} → "${text}"`, () => assert.equal(describeFsError(make()), text));
});

describe('readRegularFile: exact limits and messages', () => {
  const at = (name: string, bytes: number): string => {
    const p = path.join(dir, name);
    writeFileSync(p, Buffer.alloc(bytes, 0x61));
    return p;
  };
  const refusal = async (p: string, max: number) => {
    try {
      await readRegularFile(p, target, max);
    } catch (err) {
      assert.ok(err instanceof MeshplaneError, String(err));
      return { code: err.code, message: err.message, hint: err.hint, details: err.details };
    }
    throw new Error(`${p} was read`);
  };

  it('a file of exactly the limit is read; one byte more is refused', async () => {
    assert.equal((await readRegularFile(at('exact.yaml', 1000), target, 1000)).length, 1000);
    assert.deepEqual(await refusal(at('over.yaml', 1001), 1000), { code: 'input-too-large', message: '--intent x is over the 1000-byte limit', hint: 'pass a file; a real mesh source is far smaller', details: [] });
  });

  it('reads a file of several chunks whole, byte for byte', async () => {
    const p = path.join(dir, 'chunks.yaml');
    const bytes = Buffer.from(Array.from({ length: 200_003 }, (_, i) => 0x61 + (i % 26)));
    writeFileSync(p, bytes);
    assert.ok((await readRegularFile(p, target, 200_003)).equals(bytes));
  });

  it('counts the bytes while reading, not only from stat: /proc files claim size 0', async () => {
    const real = readFileSync('/proc/version');
    assert.ok(real.length > 10);
    assert.ok((await readRegularFile('/proc/version', target, real.length)).equals(real));
    assert.equal((await refusal('/proc/version', real.length - 1)).code, 'input-too-large');
  });

  it('a read that fails after opening is an input error naming the path as given', async () => {
    // /proc/self/mem opens as a regular file of size 0; reading its offset 0 fails with EIO.
    assert.deepEqual(await refusal('/proc/self/mem', 1000), { code: 'source-unreadable', message: 'cannot read --intent x: the system refused (EIO)', hint: 'pass a file', details: [] });
  });

  const kinds: Array<[string, () => Promise<string>, string]> = [
    ['a missing file', async () => path.join(dir, 'missing.yaml'), 'cannot read --intent x: no such file'],
    ['a directory', async () => dir, 'cannot read --intent x: it is a directory, not a regular file'],
    ['a FIFO', async () => {
      const p = path.join(dir, 'fifo2.yaml');
      assert.equal(spawnSync('mkfifo', [p]).status, 0);
      return p;
    }, 'cannot read --intent x: it is a named pipe (FIFO), not a regular file'],
    ['a character device', async () => '/dev/null', 'cannot read --intent x: it is a device, not a regular file'],
    ['a socket', async () => {
      const p = path.join(dir, 'sock.yaml');
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(p, resolve));
      sockets.push(server);
      return p;
    }, 'cannot read --intent x: it is a socket or a device with nothing behind it, not a regular file'],
  ];
  const sockets: net.Server[] = [];
  after(() => sockets.forEach((s) => s.close()));
  for (const [name, make, message] of kinds) {
    it(`${name}: "${message}"`, async () => {
      const r = await refusal(await make(), 1000);
      assert.equal(r.message, message);
      assert.deepEqual(r.details, []);
      assert.equal(r.hint, r.code === 'input-not-a-file' ? 'pass a file; Meshplane reads only regular files there (a pipe or device could block or never end)' : 'pass a file');
    });
  }

  it('closes the file every time, read or refused (no descriptor leaks)', async () => {
    const open = () => readdirSync('/proc/self/fd').length;
    const p = at('fd.yaml', 10);
    const before = open();
    for (let i = 0; i < 20; i++) {
      await readRegularFile(p, target, 10);
      await readRegularFile(p, target, 5).catch(() => undefined);
      await readRegularFile(dir, target, 5).catch(() => undefined);
    }
    assert.equal(open(), before);
  });
});

describe('readStreamBounded: exact limits and messages', () => {
  it('counts bytes, not characters, for text chunks', async () => {
    assert.equal((await readStreamBounded(Readable.from(['a', '€']), target, 4)).toString('utf8'), 'a€');
    await assert.rejects(readStreamBounded(Readable.from(['a', '€']), target, 3), (err: unknown) => code(err) === 'input-too-large');
  });

  it('over the limit: the message names the input and the limit, and the stream is destroyed', async () => {
    const stream = Readable.from([Buffer.from('abcd')]);
    await assert.rejects(readStreamBounded(stream, { shown: 'stdin', fix: 'pipe the rendered manifests' }, 3), (err: unknown) => {
      assert.ok(err instanceof MeshplaneError);
      assert.deepEqual([err.code, err.message, err.hint, err.details], ['input-too-large', 'stdin is over the 3-byte limit', 'pipe the rendered manifests; a real mesh source is far smaller', []]);
      return true;
    });
    assert.equal(stream.destroyed, true);
  });

  it('a source without destroy() (an async generator) still fails with the input error, over the limit or past the time limit', async () => {
    async function* big() {
      yield Buffer.alloc(10);
    }
    async function* silent() {
      yield Buffer.from('a');
      await new Promise(() => undefined);
    }
    await assert.rejects(readStreamBounded(big(), target, 5), (err: unknown) => code(err) === 'input-too-large');
    await assert.rejects(readStreamBounded(silent(), target, 5, 30), (err: unknown) => code(err) === 'input-timeout');
  });
});

describe('timedOut and tooLarge', () => {
  const cases: Array<[string, MeshplaneError, [string, string, string]]> = [
    ['a time limit in whole seconds', timedOut({ shown: 'stdin', fix: 'pipe the manifests' }, 30_000), ['input-timeout', 'stdin did not end within 30 s', 'pipe the manifests, and close the pipe when done (MESHPLANE_STDIN_TIMEOUT_SECONDS raises the limit)']],
    ['a time limit rounded to seconds', timedOut({ shown: 'stdin', fix: 'f' }, 1_500), ['input-timeout', 'stdin did not end within 2 s', 'f, and close the pipe when done (MESHPLANE_STDIN_TIMEOUT_SECONDS raises the limit)']],
    ['a byte limit', tooLarge({ shown: 'request body', fix: 'send less' }, 4_194_304), ['input-too-large', 'request body is over the 4194304-byte limit', 'send less; a real mesh source is far smaller']],
  ];
  for (const [name, err, [c, message, hint]] of cases) {
    it(name, () => assert.deepEqual([err.code, err.message, err.hint, err.details], [c, message, hint, []]));
  }
});

describe('decodeUtf8: messages', () => {
  it('names the bad byte in upper-case hex and says what the file may be', () => {
    assert.throws(() => decodeUtf8(Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]), 'apps/x.yaml'), (err: unknown) => {
      assert.ok(err instanceof MeshplaneError);
      assert.equal(err.message, 'apps/x.yaml is not valid UTF-8 text');
      assert.deepEqual(err.details, [{ where: { file: 'apps/x.yaml', line: 1, column: 4 }, message: 'the byte 0xE9 here does not start or continue a UTF-8 character (the file may be Latin-1, Windows-1252 or UTF-16)' }]);
      assert.equal(err.hint, 'save the file as UTF-8, or remove it from the source if it is not a manifest');
      return true;
    });
  });

  it('a bad byte right before a line break is on its own line, not the next one', () => {
    assert.throws(() => decodeUtf8(Buffer.concat([Buffer.from('x: 1\nab'), Buffer.from([0xff]), Buffer.from('\n\nc')]), 'f.yaml'), (err: unknown) => {
      assert.deepEqual((err as MeshplaneError).details[0]?.where, { file: 'f.yaml', line: 2, column: 3 });
      return true;
    });
  });

  // A NUL is named where it is (it was always reported at 1:1), and the fix fits the input: a file
  // of the source tree, or stdin (post-render, import --aks -), which has no source to remove it from.
  const nuls: Array<{ name: string; bytes: Buffer; fix?: { encoding: string; binary: string }; line: number; column: number; hint: RegExp }> = [
    { name: 'a source file, NUL on line 2', bytes: Buffer.from('a: 1\n\u0000\n'), line: 2, column: 1, hint: /^remove binary files from the app source or rename them away from \.yaml\/\.yml\/\.json$/ },
    { name: 'a source file, NUL after a multi-byte character', bytes: Buffer.from('a: 1\nb: €x\u0000\n'), line: 2, column: 6, hint: /^remove binary files/ },
    { name: 'a NUL at the very start', bytes: Buffer.from('\u0000'), line: 1, column: 1, hint: /^remove binary files/ },
    { name: 'stdin with its own fix', bytes: Buffer.from('---\n# Source: x\n\u0000'), fix: { encoding: 'e', binary: 'pipe text, not a binary file' }, line: 3, column: 1, hint: /^pipe text, not a binary file$/ },
  ];
  for (const c of nuls) {
    it(`refuses NUL bytes as a binary file: ${c.name}`, () => {
      assert.throws(() => decodeUtf8(c.bytes, 'logo.yaml', c.fix), (err: unknown) => {
        assert.ok(err instanceof MeshplaneError);
        assert.deepEqual([err.code, err.message], ['yaml-invalid', 'logo.yaml looks like a binary file']);
        assert.match(err.hint ?? '', c.hint);
        assert.deepEqual(err.details, [{ where: { file: 'logo.yaml', line: c.line, column: c.column }, message: 'the first NUL byte is here' }]);
        return true;
      });
    });
  }

  it('drops a leading byte order mark, and decodes the rest', () => {
    assert.equal(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0xe2, 0x82, 0xac]), 'f.yaml'), 'a€');
  });
});

describe('invalidUtf8At: the edges of each range (RFC 3629)', () => {
  const cases: Array<[string, number[], number]> = [
    ['U+0080, the smallest two-byte character', [0xc2, 0x80], -1],
    ['U+07FF, the largest two-byte character', [0xdf, 0xbf], -1],
    ['U+0800, the smallest three-byte character', [0xe0, 0xa0, 0x80], -1],
    ['an overlong three-byte U+07FF', [0xe0, 0x9f, 0xbf], 0],
    ['U+D7FF, just below the surrogates', [0xed, 0x9f, 0xbf], -1],
    ['U+DFFF, the last surrogate', [0xed, 0xbf, 0xbf], 0],
    ['U+E000, just above the surrogates', [0xee, 0x80, 0x80], -1],
    ['U+10000, the smallest four-byte character', [0xf0, 0x90, 0x80, 0x80], -1],
    ['an overlong four-byte U+FFFF', [0xf0, 0x8f, 0xbf, 0xbf], 0],
    ['U+100000 (lead byte 0xF4)', [0xf4, 0x80, 0x80, 0x80], -1],
    ['U+10FFFF, the largest code point', [0xf4, 0x8f, 0xbf, 0xbf], -1],
    ['lead byte 0xF5', [0xf5, 0x80, 0x80, 0x80], 0],
    ['a continuation byte replaced by ASCII', [0x61, 0xe2, 0x41, 0xac], 1],
  ];
  for (const [name, bytes, want] of cases) it(`${name} → ${want}`, () => assert.equal(invalidUtf8At(Uint8Array.from(bytes)), want));
});

describe('checkWellFormed: where and what', () => {
  const cases: Array<[string, string, string | undefined, { line: number; column: number }, string]> = [
    ['line 2, after four characters', 'a: 1\nb: x\ud800\n', undefined, { line: 2, column: 5 }, 'f.yaml holds text that is not valid Unicode (a lone UTF-16 surrogate)'],
    ['the very first character', '\udc00', undefined, { line: 1, column: 1 }, 'f.yaml holds text that is not valid Unicode (a lone UTF-16 surrogate)'],
    ['named by the caller', '{"a":"\ud800"}', 'a request body', { line: 1, column: 7 }, 'f.yaml holds a request body that is not valid Unicode (a lone UTF-16 surrogate)'],
  ];
  for (const [name, text, what, where, message] of cases) {
    it(name, () => {
      assert.throws(() => (what ? checkWellFormed(text, 'f.yaml', what) : checkWellFormed(text, 'f.yaml')), (err: unknown) => {
        assert.ok(err instanceof MeshplaneError);
        assert.equal(err.message, message);
        assert.deepEqual(err.details, [{ where: { file: 'f.yaml', ...where }, message: 'a lone surrogate cannot be encoded as UTF-8' }]);
        assert.equal(err.hint, 'remove the character or write the full surrogate pair (one code point above U+FFFF)');
        return true;
      });
    });
  }
});
