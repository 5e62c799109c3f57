import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OutputError, outputFailure, writeAllSync } from './io.js';

describe('writeAllSync', () => {
  it('writes every byte of a large buffer', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mp-io-')), 'out');
    const data = Buffer.alloc(3 * 1024 * 1024 + 7, 'y');
    const fd = openSync(file, 'w');
    writeAllSync(fd, data);
    closeSync(fd);
    assert.ok(readFileSync(file).equals(data));
  });

  it('turns ENOSPC (/dev/full) into an OutputError naming the errno', () => {
    const fd = openSync('/dev/full', 'w');
    try {
      assert.throws(() => writeAllSync(fd, Buffer.from('x')), (err: unknown) => err instanceof OutputError && err.errno === 'ENOSPC');
    } finally {
      closeSync(fd);
    }
  });
});

describe('outputFailure', () => {
  const table: Array<[string, string, RegExp]> = [
    ['ENOSPC', 'output-failed', /no space left/],
    ['EPIPE', 'output-closed', /stdout was closed/],
    ['EIO', 'output-failed', /writing stdout failed \(EIO\)/],
  ];
  for (const [errno, code, message] of table) {
    it(`${errno}: one error line and a fix`, () => {
      const text = outputFailure(new OutputError(errno, 'x'));
      assert.ok(text.startsWith(`error[${code}]: `), text);
      assert.match(text, message);
      assert.match(text, /\n {2}fix: \S/);
      assert.equal(text.split('\n').length, 3);
    });
  }
});
