import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MeshplaneError } from '../core/errors.js';
import { decodeUtf8, formatFieldPath, parseSourceFile, positionOf, readSourceTree } from './load.js';

describe('parseSourceFile', () => {
  const cases: Array<{ name: string; text: string; docs: number; firstLine?: number }> = [
    { name: 'single document', text: 'a: 1\n', docs: 1, firstLine: 1 },
    { name: 'stream with separators', text: '---\na: 1\n---\nb: 2\n', docs: 2, firstLine: 2 },
    { name: 'comment-only document is dropped', text: '# only a comment\n---\nkind: X\n', docs: 1, firstLine: 3 },
    { name: 'empty file', text: '', docs: 0 },
    { name: 'JSON file', text: '{"apiVersion": "v1", "kind": "Namespace"}', docs: 1, firstLine: 1 },
    { name: 'BOM is ignored', text: '\ufeffa: 1\n', docs: 1, firstLine: 1 },
    { name: 'CRLF line endings', text: 'a: 1\r\n---\r\nb: 2\r\n', docs: 2, firstLine: 1 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const docs = parseSourceFile({ path: 'f.yaml', text: c.text });
      assert.equal(docs.length, c.docs);
      if (c.firstLine !== undefined) assert.equal(docs[0]?.line, c.firstLine);
    });
  }

  const bad: Array<{ name: string; text: string; line: number }> = [
    { name: 'duplicate keys', text: 'a: 1\nb: 2\na: 3\n', line: 3 },
    { name: 'unclosed quote (reported where the scalar ends)', text: 'a: 1\nb: "x\n', line: 3 },
    { name: 'tab indentation', text: 'a:\n\t- 1\n', line: 2 },
  ];
  for (const c of bad) {
    it(`rejects ${c.name} with file:line`, () => {
      assert.throws(() => parseSourceFile({ path: 'bad.yaml', text: c.text }), (err: unknown) => {
        assert.ok(err instanceof MeshplaneError);
        assert.equal(err.code, 'yaml-invalid');
        assert.equal(err.details[0]?.where?.file, 'bad.yaml');
        assert.equal(err.details[0]?.where?.line, c.line);
        return true;
      });
    });
  }

  it('refuses an alias bomb', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`);
    assert.throws(() => parseSourceFile({ path: 'bomb.yaml', text: `${bomb.join('\n')}\n` }), MeshplaneError);
  });
});

describe('positionOf', () => {
  const [doc] = parseSourceFile({ path: 'm.yaml', text: 'spec:\n  istio:\n    revisions:\n      - asm-1-27\n      - asm-1-99\n' });
  const cases: Array<{ name: string; path: Array<string | number>; line: number }> = [
    { name: 'a nested key', path: ['spec', 'istio'], line: 2 },
    { name: 'a list item', path: ['spec', 'istio', 'revisions', 1], line: 5 },
    { name: 'a missing field points at its parent', path: ['spec', 'istio', 'components'], line: 2 },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(positionOf(doc!, c.path).line, c.line));
  }
  it('formats field paths', () => assert.equal(formatFieldPath(['spec', 'istio', 'revisions', 2]), 'spec.istio.revisions[2]'));
});

describe('decodeUtf8', () => {
  it('rejects invalid UTF-8', () => assert.throws(() => decodeUtf8(new Uint8Array([0xff, 0xfe, 0x41]), 'x.yaml'), MeshplaneError));
  it('rejects binary content', () => assert.throws(() => decodeUtf8(new Uint8Array([0x61, 0x00, 0x62]), 'x.yaml'), /binary/));
});

describe('readSourceTree', () => {
  it('reads manifests sorted by path and skips .git and other files', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-load-'));
    await mkdir(path.join(dir, 'b/nested'), { recursive: true });
    await mkdir(path.join(dir, '.git'));
    await writeFile(path.join(dir, 'b/nested/z.yml'), 'a: 1\n');
    await writeFile(path.join(dir, 'a.json'), '{}');
    await writeFile(path.join(dir, 'README.md'), '# not read');
    await writeFile(path.join(dir, '.git/config.yaml'), 'x: 1\n');
    const files = await readSourceTree(dir);
    assert.deepEqual(files.map((f) => f.path), ['a.json', 'b/nested/z.yml']);
  });

  it('refuses a symlink that leaves the tree', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-load-'));
    await symlink('/etc/hostname', path.join(dir, 'escape.yaml'));
    await assert.rejects(readSourceTree(dir), /outside the source tree/);
  });

  it('refuses a file over the size limit', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-load-'));
    await writeFile(path.join(dir, 'big.yaml'), 'a: 1\n'.repeat(100));
    await assert.rejects(readSourceTree(dir, { maxFileBytes: 100, maxTotalBytes: 1000, maxFiles: 10 }), (e: unknown) => e instanceof MeshplaneError && e.code === 'input-too-large');
  });

  it('says how to fix a missing directory', async () => {
    await assert.rejects(readSourceTree('/nonexistent/meshplane'), (e: unknown) => e instanceof MeshplaneError && e.code === 'source-unreadable' && /mesh\.yaml/.test(e.hint ?? ''));
  });
});
