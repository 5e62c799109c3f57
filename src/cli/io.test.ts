import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isatty } from 'node:tty';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_STDIN_TIMEOUT_SECONDS, isTerminal, linuxMajor, LINUX_MEMORY_DEVICES, OutputError, outputFailure, stdinTimeoutMs, writeAllSync } from './io.js';
import { MeshplaneError } from '../core/errors.js';

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

describe('stdinTimeoutMs (MESHPLANE_STDIN_TIMEOUT_SECONDS)', () => {
  const cases: Array<[string, string | undefined, number | 'usage']> = [
    ['unset gives the default', undefined, DEFAULT_STDIN_TIMEOUT_SECONDS * 1000],
    ['empty gives the default', '', DEFAULT_STDIN_TIMEOUT_SECONDS * 1000],
    ['whole seconds', '120', 120_000],
    ['fractions of a second', '0.5', 500],
    ['zero is refused', '0', 'usage'],
    ['negative is refused', '-5', 'usage'],
    ['text is refused', 'soon', 'usage'],
    ['infinity is refused', 'Infinity', 'usage'],
  ];
  for (const [name, raw, want] of cases) {
    it(name, () => {
      if (want === 'usage') assert.throws(() => stdinTimeoutMs(raw), (err: unknown) => err instanceof MeshplaneError && err.code === 'usage' && /MESHPLANE_STDIN_TIMEOUT_SECONDS/.test(err.message));
      else assert.equal(stdinTimeoutMs(raw), want);
    });
  }
});

describe('isTerminal', () => {
  // The oracle is Node's own tty.isatty; isTerminal only skips asking it for non-character devices.
  // (A real terminal is covered end to end by the colour tests under `script`'s pty.)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshplane-isterminal-'));
  const cases: { name: string; open: () => number; expected: boolean }[] = [
    { name: 'a regular file', open: () => openSync(path.join(dir, 'out.txt'), 'w'), expected: false },
    { name: '/dev/null (a character device that is not a terminal)', open: () => openSync('/dev/null', 'w'), expected: false },
    { name: 'a folder', open: () => openSync(dir, 'r'), expected: false },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.expected}, as tty.isatty says`, () => {
      const fd = c.open();
      try {
        assert.equal(isTerminal(fd), c.expected);
        assert.equal(isTerminal(fd), isatty(fd));
      } finally {
        closeSync(fd);
      }
    });
  }
  it('a closed descriptor is not a terminal (and does not throw)', () => {
    const fd = openSync('/dev/null', 'r');
    closeSync(fd);
    assert.equal(isTerminal(fd), false);
  });
});

describe('linuxMajor', () => {
  // The oracle is coreutils' stat(1), which prints the major number of a device in hex (%t).
  const devices = ['/dev/null', '/dev/zero', '/dev/full', '/dev/urandom', '/dev/random', '/dev/tty', '/dev/ptmx'];
  for (const dev of devices) {
    it(`${dev}: the major number stat(1) gives`, { skip: process.platform !== 'linux' }, () => {
      const r = spawnSync('stat', ['-c', '%t', dev], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(linuxMajor(statSync(dev).rdev), Number.parseInt(r.stdout.trim(), 16));
    });
  }
  it('a major number above 12 bits (glibc keeps its high bits from bit 32)', () => {
    // glibc's makedev(0x1234, 5): ((0x1234 & 0xfff) << 8) | ((0x1234 & ~0xfff) << 32) | 5.
    assert.equal(linuxMajor((0x234 << 8) + 0x1000 * 2 ** 32 + 5), 0x1234);
  });
  it('the memory devices are major 1; terminals are not', { skip: process.platform !== 'linux' }, () => {
    for (const dev of ['/dev/null', '/dev/zero', '/dev/full', '/dev/urandom']) assert.equal(linuxMajor(statSync(dev).rdev), LINUX_MEMORY_DEVICES, dev);
    for (const dev of ['/dev/tty', '/dev/ptmx']) assert.notEqual(linuxMajor(statSync(dev).rdev), LINUX_MEMORY_DEVICES, dev);
  });
});

describe('isTerminal on a memory device', () => {
  it('/dev/null, /dev/zero, /dev/full: not terminals, as tty.isatty says, and node:tty is not loaded to say so', { skip: process.platform !== 'linux' }, () => {
    const module = fileURLToPath(new URL('./io.js', import.meta.url));
    const script = `import(${JSON.stringify(module)}).then(({ isTerminal }) => { const fs = require('node:fs'); const before = process.moduleLoadList.includes('NativeModule tty'); const out = ['/dev/null', '/dev/zero', '/dev/full'].map((d) => isTerminal(fs.openSync(d, 'r'))); process.stdout.write(JSON.stringify({ before, out, tty: process.moduleLoadList.includes('NativeModule tty') })); })`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { before: false, out: [false, false, false], tty: false });
    for (const dev of ['/dev/null', '/dev/zero', '/dev/full']) {
      const fd = openSync(dev, 'r');
      try {
        assert.equal(isatty(fd), false, dev);
      } finally {
        closeSync(fd);
      }
    }
  });
});
