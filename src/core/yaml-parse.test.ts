import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { DUPLICATE_KEY_MESSAGE, parseYaml, parseYamlDocument, parseYamlStream } from './yaml-parse.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** What the yaml library itself reports with its own (quadratic) check: the oracle. */
function libraryErrors(text: string): string[][] {
  return Array.from(parseAllDocuments(text, { uniqueKeys: true, strict: true, merge: true, prettyErrors: false })).map((d) => d.errors.map((e) => `${e.code}@${e.pos[0]} ${e.message}`));
}

function ourErrors(text: string): string[][] {
  return parseYamlStream(text, { strict: true, merge: true, prettyErrors: false }).map((d) => d.errors.map((e) => `${e.code}@${e.pos[0]} ${e.message}`));
}

describe('parseYamlStream: repeated keys reported exactly as the yaml library reports them', () => {
  // [case, text, how many DUPLICATE_KEY errors the library reports]
  const cases: Array<[string, string, number]> = [
    ['a repeated key at the top', 'a: 1\nb: 2\na: 3\n', 1],
    ['a repeated key deep down', 'x:\n  y:\n    - a: 1\n      a: 2\n', 1],
    ['three times the same key', 'a: 1\na: 2\na: 3\n', 2],
    ['a flow mapping', '{a: 1, b: 2, a: 3}', 1],
    ['an anchored key', 'a: 1\n&x a: 2\n', 1],
    ['a tagged key', 'a: 1\n!!str a: 2\n', 1],
    ['an explicit key', 'a: 1\n? a\n: 2\n', 1],
    ['a number is not its string', '1: x\n"1": y\n', 0],
    ['~ and null are the same key', '~: 1\nnull: 2\n', 1],
    ['two empty keys', ': 1\n: 2\n', 1],
    ['hex and decimal of one number', '0x10: 1\n16: 2\n', 1],
    ['true and True', 'true: 1\nTrue: 2\n', 1],
    ['.nan never repeats', '.nan: 1\n.nan: 2\n', 0],
    ['merge keys never repeat', '<<: {a: 1}\n<<: {b: 2}\n', 0],
    ['collections as keys are compared by identity', '? [a]\n: 1\n? [a]\n: 2\n', 0],
    ['aliases as keys are compared by identity', 'k: &a v\n*a : 1\nv: 2\n', 0],
    ['single-pair maps in a flow sequence are separate maps', '[a, b: 1, b: 2]', 0],
    ['a duplicate before another error comes first', 'a: 1\na: 2\nb: [\n', 1],
    ['a duplicate after another error comes second', 'b: "\\q"\na: 1\na: 2\n', 1],
    ['per document', 'a: 1\na: 2\n---\na: 1\n---\nb: 1\nb: 1\n', 2],
    ['the same key in sibling maps is fine', 'x: {a: 1}\ny: {a: 1}\n', 0],
  ];
  for (const [name, text, duplicates] of cases) {
    it(name, () => {
      const want = libraryErrors(text);
      assert.equal(want.flat().filter((e) => e.startsWith('DUPLICATE_KEY')).length, duplicates, 'the oracle disagrees with the table');
      assert.deepEqual(ourErrors(text), want);
    });
  }

  it('agrees with the library on every YAML file in the repository (examples, fixtures, catalog)', () => {
    let files = 0;
    for (const dir of ['examples', 'test', 'catalog', 'templates']) {
      for (const file of yamlFiles(path.join(repo, dir))) {
        const text = readFileSync(file, 'utf8');
        assert.deepEqual(ourErrors(text), libraryErrors(text), file);
        files++;
      }
    }
    assert.ok(files > 50, `only ${files} YAML files found`);
  });
});

describe('parseYamlStream: where it differs from the library on purpose (module doc)', () => {
  const at = (errors: string[][]): string[] => errors.flat().filter((e) => e.startsWith('DUPLICATE_KEY')).map((e) => e.split(' ')[0] as string);
  // [case, text, our offsets, the library's offsets]
  const cases: Array<[string, string, string[], string[]]> = [
    ['after an empty value: the key, not the end of the line before', 'a: 1\nb:\na: 2\n', ['DUPLICATE_KEY@8'], ['DUPLICATE_KEY@7']],
    ['after a value that is only an anchor', 'a: 1\nb: &x\na: 2\n', ['DUPLICATE_KEY@11'], ['DUPLICATE_KEY@10']],
    ['nested, after an empty value', 'x:\n  a: 1\n  b:\n  a: 2\n', ['DUPLICATE_KEY@17'], ['DUPLICATE_KEY@14']],
    ['nested flow mappings: source order', '{"a": 1, "a": {"b": 1, "b": 2}}', ['DUPLICATE_KEY@9', 'DUPLICATE_KEY@23'], ['DUPLICATE_KEY@23', 'DUPLICATE_KEY@9']],
  ];
  for (const [name, text, ours, library] of cases) {
    it(name, () => {
      assert.deepEqual(at(libraryErrors(text)), library, 'the library no longer does this: revisit the module doc');
      assert.deepEqual(at(ourErrors(text)), ours);
    });
  }
  it('points the message at the repeated key line', () => {
    assert.throws(() => parseYaml('a: 1\nb:\na: 2\n'), { message: `${DUPLICATE_KEY_MESSAGE} at line 3, column 1` });
  });
});

describe('parseYamlStream: linear in the number of keys', () => {
  it('never lets the library compare keys pairwise, even when a caller asks it to', () => {
    let comparisons = 0;
    const counting = (a: unknown, b: unknown): boolean => {
      comparisons++;
      return a === b;
    };
    const text = Array.from({ length: 2000 }, (_, i) => `k${i}: v`).join('\n') + '\nk7: again\n';
    // The library's own check makes n(n-1)/2 comparisons on one mapping of n keys: shown here,
    // so the count below is known to measure something.
    parseAllDocuments(text, { uniqueKeys: counting });
    assert.equal(comparisons, (2001 * 2000) / 2);
    comparisons = 0;
    const docs = parseYamlStream(text, { uniqueKeys: counting } as never);
    assert.equal(comparisons, 0);
    assert.deepEqual(docs[0]?.errors.map((e) => e.code), ['DUPLICATE_KEY']);
  });
});

describe('pretty errors and the single-document forms', () => {
  it('ends every message with its line and column unless prettyErrors is false', () => {
    const [doc] = parseYamlStream('a: 1\nb: 2\na: 3\n');
    assert.equal(doc?.errors[0]?.message, `${DUPLICATE_KEY_MESSAGE} at line 3, column 1`);
    assert.deepEqual(doc?.errors[0]?.linePos?.[0], { line: 3, col: 1 });
  });
  it('parseYamlDocument reports repeated keys', () => {
    assert.deepEqual(parseYamlDocument('x:\n  a: 1\n  a: 2\n').errors.map((e) => e.message), [`${DUPLICATE_KEY_MESSAGE} at line 3, column 3`]);
  });
  it('parseYaml throws the first error and returns the value otherwise', () => {
    assert.throws(() => parseYaml('a: 1\na: 2\n'), { code: 'DUPLICATE_KEY', message: `${DUPLICATE_KEY_MESSAGE} at line 2, column 1` });
    assert.deepEqual(parseYaml('a: 1\nb: [2]\n'), { a: 1, b: [2] });
  });
  it('finds a repeated key at the deepest nesting the library composes', () => {
    // The library refuses flow nesting past ~1,000 levels (RESOURCE_EXHAUSTION); 90 is well inside.
    const depth = 90;
    const text = '['.repeat(depth) + '{a: 1, a: 2}' + ']'.repeat(depth);
    const docs = parseYamlStream(text, { prettyErrors: false });
    assert.ok(docs[0]?.errors.some((e) => e.code === 'DUPLICATE_KEY'));
  });
});

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(full));
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out;
}
