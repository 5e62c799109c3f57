import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MeshplaneError } from '../core/errors.js';
import { packagePath } from '../core/paths.js';
import { objectToYaml } from './emit.js';
import { decodeUtf8, formatFieldPath, listItemPosition, pairWithKey, parseSourceFile, parseSourceFiles, positionOf, readSourceTree, sourceFilesFromTexts, withValue, type ParsedDocument } from './load.js';
import type { CachedDocument, ParseCache } from '../engine/parse-cache.js';
import type { SourceFile } from '../core/types.js';
import { Pair, Scalar, YAMLMap } from 'yaml';

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
    ['an alias inside the node its anchor names', 'data: &x {a: *x}\n', 'yaml-invalid', 1],
    ['an alias deeper inside its anchor\'s node', 'spec: &s\n  list:\n    - *s\n', 'yaml-invalid', 3],
    ['a merge of the map that holds it', 'm: &m\n  <<: *m\n', 'yaml-invalid', 2],
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

describe('parseSourceFiles with a parse cache', () => {
  /** A parse cache in memory that counts what it answers. */
  const memoryCache = (capacity = 100): ParseCache & { hits: number; dones: number; entries: Map<string, string> } => {
    const entries = new Map<string, string>();
    const cache = {
      capacity,
      hits: 0,
      dones: 0,
      entries,
      get(text: string): CachedDocument[] | undefined {
        const found = entries.get(text);
        if (found === undefined) return undefined;
        cache.hits++;
        return JSON.parse(found) as CachedDocument[];
      },
      set(text: string, docs: CachedDocument[]): void {
        entries.set(text, JSON.stringify(docs));
      },
      done(): void {
        cache.dones++;
      },
    };
    return cache;
  };

  /** Every field path of a value, and for each one a child that does not exist (a missing field points at its parent). */
  const pathsOf = (value: unknown, at: Array<string | number> = []): Array<Array<string | number>> => {
    const out = [at, [...at, 'no-such-field'], [...at, 99]];
    if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...at, i])));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...at, k]));
    return out;
  };

  const exampleFiles = readdirSync(packagePath('examples'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
  const texts: Array<[string, string]> = [
    ...exampleFiles.map((f): [string, string] => [path.relative(packagePath(), f), readFileSync(f, 'utf8')]),
    ['several documents, an empty one, comments', '# head\n---\na: 1\n---\n# only a comment\n---\n- x\n- {y: [1, 2, {z: 3}]}\n'],
    ['merge keys and anchors on scalars', 'base: &b {k: v, n: 1}\nname: &n shop\nmerged:\n  <<: *b\n  n: 2\nalias: *n\n'],
    ['a List of objects', 'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n  - apiVersion: v1\n    kind: Secret\n    metadata: {name: b}\n'],
    ['number keys, quoted number keys, block scalars, a BOM', '\ufeffdata:\n  1: one\n  "2": two\n  script: |\n    line one\n    line two\n  folded: >-\n    a\n    b\n'],
    ['flow and block mixed, CRLF line ends', 'a: [1, 2]\r\nb:\r\n  c: {d: e}\r\n  f:\r\n    - g\r\n'],
  ];

  for (const [name, text] of texts) {
    it(`reads back what the parser made, and answers every position as the parser's nodes do: ${name}`, () => {
      const files = sourceFilesFromTexts([['src/file.yaml', text]]);
      const cache = memoryCache();
      const parsed = parseSourceFiles(files, cache);
      assert.equal(cache.entries.size, 1, 'stored');
      const again = parseSourceFiles(files, cache);
      assert.equal(cache.hits, 1, 'read back');
      assert.deepEqual(again.map((d) => [d.file, d.index, d.line, d.column, d.value]), parsed.map((d) => [d.file, d.index, d.line, d.column, d.value]));
      assert.equal(JSON.stringify(again.map((d) => d.value)), JSON.stringify(parsed.map((d) => d.value)), 'keys in the same order');
      again.forEach((doc, i) => {
        const items = (doc.value as { items?: unknown } | null)?.items;
        if (Array.isArray(items)) items.forEach((_, n) => assert.deepEqual(listItemPosition(doc, n), listItemPosition(parsed[i] as ParsedDocument, n), `List item ${n}`));
      });
      const [first] = again;
      if (first) {
        // A copy with another value (Argo CD parameters applied) keeps the stored positions and parses nothing.
        const copy = withValue(first, { replaced: true });
        assert.deepEqual(copy.value, { replaced: true });
        assert.equal(copy.positions, first.positions);
        assert.deepEqual(positionOf(copy, []), positionOf(first, []));
      }
      again.forEach((doc, i) => {
        const fresh = parsed[i] as ParsedDocument;
        assert.ok(doc.positions, 'positions come from the cache');
        for (const p of pathsOf(doc.value)) assert.deepEqual(positionOf(doc, p), positionOf(fresh, p), formatFieldPath(p));
        // Anything else that needs the parser's nodes gets them, parsed again on first use.
        assert.deepEqual(doc.doc.toJS(), fresh.doc.toJS());
        assert.deepEqual(doc.lines.linePos(text.length - 1), fresh.lines.linePos(text.length - 1));
      });
    });
  }

  const notStored: Array<[string, string]> = [
    ['negative zero (JSON has no -0)', 'a: -0\n'],
    ['one object reached twice through an alias (JSON would make two)', 'a: &x {k: v}\nb: *x\n'],
    // The parser's value warns on stderr for such a key; a document read back would not.
    ['a key that is a collection', 'data:\n  ? [a, b]\n  : x\n'],
    ['a key that is an alias', 'k: &k name\nm:\n  *k : v\n'],
  ];
  for (const [name, text] of notStored) {
    it(`parses every time what JSON would not carry unchanged: ${name}`, () => {
      const cache = memoryCache();
      const files = sourceFilesFromTexts([['f.yaml', text]]);
      const first = parseSourceFiles(files, cache);
      assert.equal(cache.entries.size, 0);
      assert.deepEqual(parseSourceFiles(files, cache).map((d) => d.value), first.map((d) => d.value));
    });
  }

  it('stores nothing for a file the parser refuses, and refuses it again with the same error', () => {
    const cache = memoryCache();
    const files = sourceFilesFromTexts([['a-good.yaml', 'a: 1\n'], ['b-bad.yaml', 'a: 1\na: 2\n']]);
    const error = (): unknown => {
      try {
        parseSourceFiles(files, cache);
      } catch (err) {
        return err;
      }
      return undefined;
    };
    const first = error();
    assert.ok(first instanceof MeshplaneError);
    assert.deepEqual(error(), first);
    assert.deepEqual([...cache.entries.keys()], ['a: 1\n']);
    assert.equal(cache.dones, 2, 'the folder is trimmed after a failed parse too');
  });

  it('a source of more files than the cache keeps stores none of them (they would push each other out), and still reads what it has', () => {
    const cache = memoryCache(2);
    const three = sourceFilesFromTexts([['a.yaml', 'a: 1\n'], ['b.yaml', 'b: 2\n'], ['c.yaml', 'c: 3\n']]);
    parseSourceFiles(three, cache);
    assert.equal(cache.entries.size, 0);
    parseSourceFiles(three.slice(0, 2), cache);
    assert.equal(cache.entries.size, 2);
    parseSourceFiles(three, cache);
    assert.equal(cache.hits, 2);
    assert.equal(cache.entries.size, 2);
  });

  describe('charges the whole source\'s expansion budget as a parse does', () => {
    // ~1.3 MB of expansion each: a 330-character string behind 4,000 aliases of a scalar (values JSON carries unchanged).
    const wide = (i: number): SourceFile => sourceFilesFromTexts([[`wide${i}.yaml`, `kind: ConfigMap\nname: wide${i}\nx: &a "${'x'.repeat(330)}"\nlist: [${Array.from({ length: 4000 }, () => '*a').join(', ')}]\n`]])[0] as SourceFile;
    const outcome = (files: SourceFile[], cache?: ParseCache): unknown => {
      try {
        return parseSourceFiles(files, cache).length;
      } catch (err) {
        return err;
      }
    };
    it('a source of cached files that passes the budget fails as it fails when parsed, naming the same file and count', () => {
      const cache = memoryCache();
      for (let i = 0; i < 8; i++) assert.equal(outcome([wide(i)], cache), 1, 'each file alone passes, and is stored');
      assert.equal(cache.entries.size, 8);
      for (const order of [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [0, 1, 2, 3, 4, 5, 6, 7]]) {
        const files = order.map(wide);
        const parsed = outcome(files);
        assert.ok(parsed instanceof MeshplaneError && parsed.code === 'input-too-large', String(parsed));
        assert.deepEqual(outcome(files, cache), parsed);
      }
      assert.equal(outcome([wide(0), wide(1)], cache), 2, 'two fit');
    });
  });
});

describe('pairWithKey: the first pair with a key, as Array.find, without a scan per lookup', () => {
  const mapOf = (keys: unknown[], reads = { n: 0 }): YAMLMap => {
    const map = new YAMLMap();
    for (const [i, k] of keys.entries()) {
      const key = new Scalar(k);
      const value = k;
      Object.defineProperty(key, 'value', { get: () => (reads.n++, value) });
      map.items.push(new Pair(key, new Scalar(i)));
    }
    return map;
  };
  // [case, keys, lookup, index of the pair found or -1]
  const table: Array<[string, unknown[], string | number, number]> = [
    ['short map, found', ['a', 'b', 'c'], 'b', 1],
    ['short map, missing', ['a', 'b'], 'z', -1],
    ['long map, found', Array.from({ length: 40 }, (_, i) => `k${i}`), 'k33', 33],
    ['long map, the first of a repeated key wins', [...Array.from({ length: 30 }, (_, i) => `k${i}`), 'k3'], 'k3', 3],
    ['long map, a number is not its string', [...Array.from({ length: 30 }, (_, i) => `k${i}`), 1, '1'], '1', 31],
    ['long map, a number key', [...Array.from({ length: 30 }, (_, i) => `k${i}`), 7], 7, 30],
    ['long map, missing', Array.from({ length: 40 }, (_, i) => `k${i}`), 'nope', -1],
  ];
  for (const [name, keys, lookup, want] of table) {
    it(name, () => {
      const map = mapOf(keys);
      const found = pairWithKey(map, lookup);
      assert.equal(found === undefined ? -1 : map.items.indexOf(found), want);
      assert.equal(found, map.items.find((p) => (p.key as Scalar).value === lookup));
    });
  }
  it('reads each key once however many keys are looked up (Array.find per lookup read n²/2)', () => {
    const n = 4000;
    const reads = { n: 0 };
    const map = mapOf(Array.from({ length: n }, (_, i) => `k${i}`), reads);
    for (let i = 0; i < n; i++) assert.ok(pairWithKey(map, `k${i}`));
    assert.ok(reads.n <= n, `${reads.n} key reads for ${n} lookups`);
  });
  it('positionOf finds a key deep in a wide mapping', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: wide}\ndata:\n${Array.from({ length: 500 }, (_, i) => `  k${i}: v\n`).join('')}`;
    const [doc] = parseSourceFile({ path: 'wide.yaml', text });
    assert.deepEqual(positionOf(doc as ParsedDocument, ['data', 'k499']), { file: 'wide.yaml', line: 504, column: 3 });
    assert.deepEqual(positionOf(doc as ParsedDocument, ['data', 'missing']), { file: 'wide.yaml', line: 4, column: 1 });
  });
});
