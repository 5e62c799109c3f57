import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, mkdir, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MeshplaneError } from '../core/errors.js';
import { packagePath } from '../core/paths.js';
import { objectToYaml } from './emit.js';
import { decodeUtf8, formatFieldPath, parseSourceFile, parseSourceFiles, positionOf, readSourceTree } from './load.js';

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

for (const io of ['async', 'sync'] as const) {
describe(`readSourceTree (${io} I/O)`, () => {
  it('reads manifests sorted by path and skips .git and other files', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-load-'));
    await mkdir(path.join(dir, 'b/nested'), { recursive: true });
    await mkdir(path.join(dir, '.git'));
    await writeFile(path.join(dir, 'b/nested/z.yml'), 'a: 1\n');
    await writeFile(path.join(dir, 'a.json'), '{}');
    await writeFile(path.join(dir, 'README.md'), '# not read');
    await writeFile(path.join(dir, '.git/config.yaml'), 'x: 1\n');
    const files = await readSourceTree(dir, undefined, { io });
    assert.deepEqual(files.map((f) => f.path), ['a.json', 'b/nested/z.yml']);
  });

  it('refuses a symlink that leaves the tree', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-load-'));
    await symlink('/etc/hostname', path.join(dir, 'escape.yaml'));
    await assert.rejects(readSourceTree(dir, undefined, { io }), /outside the source tree/);
  });

  it('refuses a named pipe called *.yaml by name instead of skipping it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-load-'));
    await writeFile(path.join(dir, 'mesh.yaml'), 'a: 1\n');
    const made = spawnSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    assert.equal(made.status, 0, 'mkfifo is needed for this test');
    await assert.rejects(readSourceTree(dir, undefined, { io }), (e: unknown) => e instanceof MeshplaneError && e.code === 'input-not-a-file' && e.message.includes('pipe.yaml') && !e.message.includes(dir));
  });

  it('refuses a file over the size limit', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-load-'));
    await writeFile(path.join(dir, 'big.yaml'), 'a: 1\n'.repeat(100));
    await assert.rejects(readSourceTree(dir, { maxFileBytes: 100, maxTotalBytes: 1000, maxFiles: 10 }, { io }), (e: unknown) => e instanceof MeshplaneError && e.code === 'input-too-large');
  });

  it('says how to fix a missing directory', async () => {
    await assert.rejects(readSourceTree('/nonexistent/meshplane', undefined, { io }), (e: unknown) => e instanceof MeshplaneError && e.code === 'source-unreadable' && /mesh\.yaml/.test(e.hint ?? ''));
  });
});
}

describe('parseSourceFile reads YAML as Kubernetes tooling (go-yaml) does', () => {
  const value = (text: string): unknown => parseSourceFile({ path: 'k.yaml', text })[0]?.value;

  const merges: Array<[string, string, unknown]> = [
    ['a merge key supplies the fields', 'b: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n', { b: { x: 1 }, m: { x: 1, y: 2 } }],
    ['an explicit key after the merge wins', 'b: &b {x: 1}\nm:\n  <<: *b\n  x: 2\n', { b: { x: 1 }, m: { x: 2 } }],
    ['in a list of maps, the earlier map wins', 'a: &a {x: 1}\nb: &b {x: 2, y: 2}\nm:\n  <<: [*a, *b]\n', { a: { x: 1 }, b: { x: 2, y: 2 }, m: { x: 1, y: 2 } }],
    ['an inline map can be merged', 'm:\n  <<: {x: 1}\n', { m: { x: 1 } }],
    ['a quoted "<<" is an ordinary key', 'm:\n  "<<": {x: 1}\n', { m: { '<<': { x: 1 } } }],
  ];
  for (const [name, text, want] of merges) it(name, () => assert.deepEqual(value(text), want));

  const refused: Array<[string, string, string, number]> = [
    ['an explicit key before a merge that also supplies it (go-yaml v2 and v3 disagree)', 'b: &b {x: 1}\nm:\n  x: 2\n  <<: *b\n', 'yaml-invalid', 3],
    ['a merge of a scalar', 'm:\n  <<: 3\n', 'yaml-invalid', 2],
    ['1e400 (overflows a double)', 'spec:\n  size: 1e400\n', 'input-number-invalid', 2],
    ['.inf', 'a: .inf\n', 'input-number-invalid', 1],
    ['-.Inf', 'a: [1, -.Inf]\n', 'input-number-invalid', 1],
    ['.nan', 'a:\n  b: .nan\n', 'input-number-invalid', 2],
    ['1e400 in JSON', '{"a": {"b": -1e400}}', 'input-number-invalid', 1],
    ['a lone surrogate escape in a value', 'a: "x\\ud800"\n', 'input-encoding', 1],
    ['a lone surrogate escape in a key', 'a:\n  "\\udfff": 1\n', 'input-encoding', 2],
  ];
  for (const [name, text, want, line] of refused) {
    it(`refuses ${name} at file:line`, () => {
      assert.throws(() => parseSourceFile({ path: 'k.yaml', text }), (err: unknown) => {
        assert.ok(err instanceof MeshplaneError, String(err));
        assert.equal(err.code, want);
        assert.equal(err.details[0]?.where?.file, 'k.yaml');
        assert.equal(err.details[0]?.where?.line, line);
        return true;
      });
    });
  }

  it('keeps large finite numbers and quoted "inf" strings', () => {
    assert.deepEqual(value('a: 1e300\nb: ".inf"\nc: "1e400"\n'), { a: 1e300, b: '.inf', c: '1e400' });
  });

  it('keeps __proto__, constructor and prototype keys as data, through emit', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: p}\ndata:\n  __proto__: a\n  constructor: b\n  prototype: c\n';
    const v = value(text) as { data: Record<string, unknown> };
    assert.deepEqual(Object.keys(v.data), ['__proto__', 'constructor', 'prototype']);
    assert.equal(Object.getPrototypeOf(v.data), Object.prototype, 'the prototype was not replaced');
    const yaml = objectToYaml(v as never);
    assert.match(yaml, /^ {2}__proto__: a$/m);
    assert.match(yaml, /^ {2}constructor: b$/m);
    assert.match(yaml, /^ {2}prototype: c$/m);
  });

  it('allows real reuse of anchors (labels merged into many objects)', () => {
    const lines = ['x-labels: &labels {app: shop, team: payments, tier: web}', 'items:'];
    for (let i = 0; i < 500; i++) lines.push(`  - metadata:\n      labels:\n        <<: *labels\n        i: "${i}"`);
    assert.equal((value(`${lines.join('\n')}\n`) as { items: unknown[] }).items.length, 500);
  });

  it('refuses aliases whose expansion passes the budget, though under the alias count', () => {
    const big = `x-big: &big [${Array.from({ length: 3000 }, () => `"${'a'.repeat(1000)}"`).join(', ')}]`;
    const text = `${big}\ncopies: [${Array.from({ length: 50 }, () => '*big').join(', ')}]\n`;
    assert.throws(() => parseSourceFile({ path: 'amp.yaml', text }), (err: unknown) => err instanceof MeshplaneError && err.code === 'input-too-large' && err.details[0]?.where?.file === 'amp.yaml' && /this file's limit of 6\d{6} units/.test(err.details[0]?.message ?? ''));
  });
});

describe('parseSourceFiles bounds alias expansion over the whole source', () => {
  // Each file expands to about 1.3 MB (a 330-character string behind 4^6 aliases), under the
  // 4 MiB budget of one file; 8 of them pass the budget of the source (4 MiB, tiny text).
  const bomb = (i: number): { path: string; text: string } => {
    const lines = [`kind: ConfigMap`, `x0: &a0 "${'x'.repeat(330)}"`];
    for (let d = 1; d <= 6; d++) lines.push(`x${d}: &a${d} [${Array.from({ length: 4 }, () => `*a${d - 1}`).join(', ')}]`);
    return { path: `bomb${i}.yaml`, text: `${lines.join('\n')}\n` };
  };
  it('one such file passes alone', () => {
    assert.equal(parseSourceFiles([bomb(0)]).length, 1);
  });
  it('many such files are refused together, naming the file that passed the budget', () => {
    const files = Array.from({ length: 8 }, (_, i) => bomb(i));
    assert.throws(() => parseSourceFiles(files), (err: unknown) => err instanceof MeshplaneError && err.code === 'input-too-large' && /^bomb\d\.yaml$/.test(err.details[0]?.where?.file ?? '') && /the whole source's limit of 4194304 units .*earlier files and documents used \d+/.test(err.details[0]?.message ?? ''));
  });
});

for (const io of ['async', 'sync'] as const) {
describe(`readSourceTree classifies path problems as input errors, relative to the source (${io} I/O)`, () => {
  it('a file name that is not UTF-8', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-load-name-'));
    await writeFile(Buffer.concat([Buffer.from(`${dir}/caf`), Buffer.from([0xe9]), Buffer.from('.yaml')]), 'a: 1\n');
    await assert.rejects(readSourceTree(dir, undefined, { io }), (err: unknown) => {
      assert.ok(err instanceof MeshplaneError);
      assert.equal(err.code, 'input-encoding');
      assert.equal(err.message, 'the file name caf\\xe9.yaml is not valid UTF-8');
      return true;
    });
  });

  it('a path longer than PATH_MAX', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-load-long-'));
    const script = "const fs = require('fs'); for (let i = 0; i < 22; i++) { fs.mkdirSync('d'.repeat(200)); process.chdir('d'.repeat(200)); } fs.writeFileSync('deep.yaml', 'a: 1');";
    assert.equal(spawnSync(process.execPath, ['-e', script], { cwd: dir }).status, 0);
    await assert.rejects(readSourceTree(dir, undefined, { io }), (err: unknown) => {
      assert.ok(err instanceof MeshplaneError);
      assert.equal(err.code, 'input-path-invalid');
      assert.ok(!err.message.includes(dir), err.message);
      return true;
    });
    spawnSync('rm', ['-rf', dir]);
  });
});
}

describe('readSourceTree: synchronous and promise I/O read the same', () => {
  it('every example, file for file', async () => {
    for (const name of readdirSync(packagePath('examples'))) {
      const dir = packagePath('examples', name);
      assert.deepEqual(await readSourceTree(dir, undefined, { io: 'sync' }), await readSourceTree(dir), name);
    }
  });
});
