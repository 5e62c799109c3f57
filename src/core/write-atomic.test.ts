import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inTempDir } from '../../test/helpers/temp-dir.js';
import { MeshplaneError } from './errors.js';
import { replaceFileAtomically } from './write-atomic.js';

const target = { shown: '--report-file r.txt', fix: 'pass a writable path' };

/** Runs a test body in a fresh temporary folder. */
const inTmp = (run: (dir: string) => Promise<void>) => inTempDir('meshplane-write-', run);

describe('replaceFileAtomically', () => {
  it('creates a file, then replaces it whole, leaving no temporary file', inTmp(async (dir) => {
    const file = path.join(dir, 'r.txt');
    await replaceFileAtomically(file, 'first, longer text\n', target);
    await replaceFileAtomically(file, 'second ✓\n', target);
    assert.equal(readFileSync(file, 'utf8'), 'second ✓\n');
    assert.deepEqual(readdirSync(dir), ['r.txt']);
  }));

  it('lets runs writing the same file at the same moment all succeed; the file is one of their texts, whole', inTmp(async (dir) => {
    const file = path.join(dir, 'shared.txt');
    // Texts of different lengths: a size check after the rename would see another run's file.
    const texts = Array.from({ length: 16 }, (_, i) => `${'x'.repeat(1 + i * 37)}\n`);
    await Promise.all(texts.map((t) => replaceFileAtomically(file, t, target)));
    assert.ok(texts.includes(readFileSync(file, 'utf8')));
    assert.deepEqual(readdirSync(dir), ['shared.txt']);
  }));

  it('writes a file whose name is as long as the system allows (the temporary name does not grow with it)', inTmp(async (dir) => {
    const file = path.join(dir, `${'r'.repeat(251)}.txt`);
    await replaceFileAtomically(file, 'ok\n', target);
    assert.equal(readFileSync(file, 'utf8'), 'ok\n');
  }));

  const refused: Array<[string, (dir: string) => string, RegExp]> = [
    ['a directory', (dir) => { mkdirSync(path.join(dir, 'd')); return path.join(dir, 'd'); }, /it is a directory/],
    ['a symbolic link', (dir) => { writeFileSync(path.join(dir, 'real'), 'keep'); symlinkSync(path.join(dir, 'real'), path.join(dir, 'link')); return path.join(dir, 'link'); }, /it is a symbolic link/],
    ['a path in a missing folder', (dir) => path.join(dir, 'missing', 'r.txt'), /no such file/],
  ];
  for (const [name, make, match] of refused) {
    it(`refuses ${name} with output-unwritable, naming the path as given, and leaves the folder as it was`, inTmp(async (dir) => {
      const file = make(dir);
      const before = readdirSync(dir).sort();
      await assert.rejects(replaceFileAtomically(file, 'x', target), (e: unknown) => e instanceof MeshplaneError && e.code === 'output-unwritable' && e.message.startsWith('cannot write --report-file r.txt: ') && match.test(e.message) && e.hint?.startsWith('pass a writable path') === true);
      assert.deepEqual(readdirSync(dir).sort(), before);
    }));
  }
});
