import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MeshplaneError } from '../core/errors.js';
import { readSourceTree } from '../pipeline/load.js';
import { HttpError } from './errors.js';
import { pathProblem, sourceFilesFromRequest } from './source-files.js';

describe('pathProblem', () => {
  const cases: Array<[string, string, boolean]> = [
    ['a plain file', 'mesh.yaml', true],
    ['a nested file', 'apps/shop/ns.yaml', true],
    ['a dot file', '.hidden.yaml', true],
    ['empty', '', false],
    ['absolute', '/mesh.yaml', false],
    ['parent segment', 'apps/../mesh.yaml', false],
    ['current segment', './mesh.yaml', false],
    ['trailing slash', 'apps/', false],
    ['doubled slash', 'apps//a.yaml', false],
    ['backslash', 'apps\\a.yaml', false],
    ['NUL', 'a\u0000.yaml', false],
    ['segment over 255 bytes', `${'é'.repeat(128)}.yaml`, false],
    ['path over 4096 bytes', `${'a/'.repeat(2100)}x.yaml`, false],
  ];
  for (const [name, p, ok] of cases) {
    it(`${ok ? 'accepts' : 'refuses'} ${name}`, () => assert.equal(pathProblem(p) === undefined, ok, pathProblem(p)));
  }
});

describe('sourceFilesFromRequest', () => {
  it('reads the same files, in the same order, as readSourceTree over a folder holding them', async () => {
    const files: Record<string, string> = {
      'mesh.yaml': '\uFEFFkind: ServiceMesh\n',
      'b/z.yml': 'a: 1\n',
      'b/a.JSON': '{}',
      'README.md': '# skipped',
      'chart/templates/x.tpl': 'skipped',
      'node_modules/dep/x.yaml': 'skipped: true',
      '.git/config.yaml': 'skipped: true',
      'A.yaml': 'upper: 1\n',
    };
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-source-files-'));
    try {
      for (const [p, text] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(dir, p)), { recursive: true });
        await writeFile(path.join(dir, p), text);
      }
      const fromDisk = await readSourceTree(dir);
      const fromRequest = sourceFilesFromRequest(files, 'files');
      assert.deepEqual(fromRequest, fromDisk);
      assert.deepEqual(fromRequest.map((f) => f.path), ['A.yaml', 'b/a.JSON', 'b/z.yml', 'mesh.yaml']);
      assert.equal(fromRequest.find((f) => f.path === 'mesh.yaml')?.text, 'kind: ServiceMesh\n', 'the BOM is dropped as on disk');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  const refused: Array<[string, unknown, string]> = [
    ['not an object', 'mesh.yaml', 'request-invalid'],
    ['null', null, 'request-invalid'],
    ['a content that is not a string', { 'a.yaml': { x: 1 } }, 'request-invalid'],
    ['a path with ..', { '../a.yaml': '' }, 'request-invalid'],
    ['a file and a folder of one name', { 'x.yaml': '', 'x.yaml/y.yaml': '' }, 'request-invalid'],
    ['binary content', { 'a.yaml': 'a\u0000' }, 'yaml-invalid'],
  ];
  for (const [name, files, code] of refused) {
    it(`refuses ${name} (${code})`, () => {
      assert.throws(() => sourceFilesFromRequest(files, 'files'), (e: unknown) => (e instanceof HttpError || e instanceof MeshplaneError) && e.code === code);
    });
  }

  it('applies the load limits: one file over maxFileBytes is input-too-large', () => {
    const limits = { maxFileBytes: 10, maxTotalBytes: 100, maxFiles: 10 };
    assert.throws(() => sourceFilesFromRequest({ 'a.yaml': 'x'.repeat(11) }, 'files', limits), (e: unknown) => e instanceof MeshplaneError && e.code === 'input-too-large');
    assert.throws(() => sourceFilesFromRequest(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`f${i}.yaml`, ''])), 'files', limits), /more than 10 manifest files/);
    assert.equal(sourceFilesFromRequest(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}.md`, ''])), 'files', limits).length, 0, 'skipped files do not count');
    assert.throws(() => sourceFilesFromRequest(Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`f${i}.md`, ''])), 'files', limits), (e: unknown) => e instanceof HttpError && e.status === 413);
  });
});
