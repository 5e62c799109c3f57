import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MeshplaneError } from '../core/errors.js';
import { diffLines } from '../diff/line-diff.js';
import { applyMoveToText, ITEM_LINE_TAIL } from './edit.js';
import { stepGrowth } from '../../test/helpers/regex-steps.js';
import type { Move } from './lifecycle.js';

function repoRoot(): string {
  let d = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(d, 'package.json'))) d = path.dirname(d);
  return d;
}

const fixture = (name: string): string => readFileSync(path.join(repoRoot(), 'test', 'cases', 'upgrade', name), 'utf8');

const start = (from: string, to: string): Move => ({ verb: 'start', before: [from], after: [from, to], tagMoves: [] });
const complete = (low: string, high: string, tags: string[] = []): Move => ({ verb: 'complete', before: [low, high], after: [high], tagMoves: tags.map((tag) => ({ tag, from: low, to: high })) });
const rollback = (low: string, high: string, tags: string[] = []): Move => ({ verb: 'rollback', before: [low, high], after: [low], tagMoves: tags.map((tag) => ({ tag, from: high, to: low })) });

/** The changed lines of b against a, as "-N: text" (line of a) and "+N: text" (line of b), sorted. */
function changedLines(a: string, b: string): string[] {
  const out: string[] = [];
  let la = 0;
  let lb = 0;
  for (const e of diffLines(a.split('\n'), b.split('\n'))) {
    if (e.op === 'equal') (la++, lb++);
    else if (e.op === 'delete') out.push(`-${++la}: ${e.line}`);
    else out.push(`+${++lb}: ${e.line}`);
  }
  return out.sort();
}

const HEAD = 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: m}\nspec:\n  mode: Istio\n  istio:\n';

describe('applyMoveToText: small cases', () => {
  const cases: Array<{ name: string; body: string; move: Move; expected: string }> = [
    { name: 'flow list: start appends', body: '    revisions: [asm-1-27]\n', move: start('asm-1-27', 'asm-1-28'), expected: '    revisions: [asm-1-27, asm-1-28]\n' },
    { name: 'flow list: single quotes are copied', body: "    revisions: ['asm-1-27']  # c\n", move: start('asm-1-27', 'asm-1-29'), expected: "    revisions: ['asm-1-27', 'asm-1-29']  # c\n" },
    { name: 'flow list: complete drops the first item', body: '    revisions: [asm-1-27,  asm-1-28]\n', move: complete('asm-1-27', 'asm-1-28'), expected: '    revisions: [asm-1-28]\n' },
    { name: 'flow list: rollback drops the second item', body: '    revisions: [asm-1-27,  asm-1-28]\n', move: rollback('asm-1-27', 'asm-1-28'), expected: '    revisions: [asm-1-27]\n' },
    { name: 'multi-line flow list: an item on its own line goes with its line', body: '    revisions: [\n      asm-1-27,   # stable\n      asm-1-28\n    ]\n', move: rollback('asm-1-27', 'asm-1-28'), expected: '    revisions: [\n      asm-1-27,   # stable\n    ]\n' },
    { name: 'multi-line flow list: complete keeps the canary line', body: '    revisions: [\n      asm-1-27,   # stable\n      asm-1-28\n    ]\n', move: complete('asm-1-27', 'asm-1-28'), expected: '    revisions: [\n      asm-1-28\n    ]\n' },
    { name: 'block list: the new item copies the previous item\'s "-" spacing', body: '    revisions:\n      -    asm-1-27 # c\n    components: {}\n', move: start('asm-1-27', 'asm-1-28'), expected: '    revisions:\n      -    asm-1-27 # c\n      -    asm-1-28\n    components: {}\n' },
    { name: 'block list at column of its key', body: '    revisions:\n    - "asm-1-27"\n', move: start('asm-1-27', 'asm-1-28'), expected: '    revisions:\n    - "asm-1-27"\n    - "asm-1-28"\n' },
    { name: 'block list at the end of a file without a final newline', body: '    revisions:\n      - asm-1-27', move: start('asm-1-27', 'asm-1-28'), expected: '    revisions:\n      - asm-1-27\n      - asm-1-28' },
    { name: 'block list: rollback of the last line without a final newline', body: '    revisions:\n      - asm-1-27\n      - asm-1-28', move: rollback('asm-1-27', 'asm-1-28'), expected: '    revisions:\n      - asm-1-27' },
    { name: 'tags keep their quoting and comments', body: '    revisions: [asm-1-27, asm-1-28]\n  tags:\n    a:   "asm-1-27"   # x\n    b: asm-1-28\n', move: complete('asm-1-27', 'asm-1-28', ['a']), expected: '    revisions: [asm-1-28]\n  tags:\n    a:   "asm-1-28"   # x\n    b: asm-1-28\n' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(applyMoveToText('mesh.yaml', HEAD + c.body, 0, c.move), HEAD + c.expected));
  }

  const refusals: Array<{ name: string; body: string; move: Move; message: RegExp; line: number }> = [
    { name: 'a tag that is an alias', body: '    revisions: [&r asm-1-27, asm-1-28]\n  tags: {a: *r}\n', move: complete('asm-1-27', 'asm-1-28', ['a']), message: /spec\.tags\.a is not a plain value/, line: 7 },
    { name: 'a tag written as a block scalar', body: '    revisions: [asm-1-27, asm-1-28]\n  tags:\n    a: >-\n      asm-1-27\n', move: complete('asm-1-27', 'asm-1-28', ['a']), message: /BLOCK_FOLDED scalar cannot be edited in place/, line: 7 },
    { name: 'a list item with a YAML tag', body: '    revisions:\n      - !!str asm-1-27\n', move: start('asm-1-27', 'asm-1-28'), message: /own "- " line/, line: 8 },
    { name: 'a list that does not read as the move expects', body: '    revisions: [asm-1-26]\n', move: start('asm-1-27', 'asm-1-28'), message: /reads \[asm-1-26\], not \[asm-1-27\]/, line: 7 },
  ];
  for (const c of refusals) {
    it(`refuses ${c.name}, pointing at the file`, () => {
      assert.throws(() => applyMoveToText('mesh.yaml', HEAD + c.body, 0, c.move), (err: unknown) => {
        assert.ok(err instanceof MeshplaneError);
        assert.equal(err.code, 'upgrade-refused');
        assert.match(err.message, /^mesh\.yaml cannot be edited in place: /);
        assert.match(err.message, c.message);
        assert.equal(err.details[0]?.where?.file, 'mesh.yaml');
        assert.equal(err.details[0]?.where?.line, c.line, 'points at the list in spec.istio.revisions');
        return true;
      });
    });
  }
});

describe('applyMoveToText: the commented fixture (block list, block tags)', () => {
  const original = fixture('commented-mesh.yaml');
  const started = applyMoveToText('mesh.yaml', original, 0, start('asm-1-27', 'asm-1-28'));
  it('start adds exactly one line', () => {
    assert.deepEqual(changedLines(original, started), ['+14:       -   asm-1-28']);
  });
  it('start then rollback gives back the original bytes', () => {
    assert.equal(applyMoveToText('mesh.yaml', started, 0, rollback('asm-1-27', 'asm-1-28')), original);
  });
  it('start then complete changes the revision line and the two tag lines, nothing else', () => {
    const done = applyMoveToText('mesh.yaml', started, 0, complete('asm-1-27', 'asm-1-28', ['prod-stable', 'legacy']));
    assert.deepEqual(changedLines(original, done), [
      '+13:       -   asm-1-28',
      '+24:     prod-stable:    asm-1-28    # namespaces use this tag',
      "+26:     legacy: 'asm-1-28'",
      '-13:       -   asm-1-27      # stable',
      '-24:     prod-stable:    asm-1-27    # namespaces use this tag',
      "-26:     legacy: 'asm-1-27'",
    ]);
  });
  it('keeps CRLF line endings, and a CRLF round trip is byte-identical', () => {
    const crlf = original.replace(/\n/g, '\r\n');
    const s = applyMoveToText('mesh.yaml', crlf, 0, start('asm-1-27', 'asm-1-29'));
    assert.equal(s.replace(/\r\n/g, '').includes('\n'), false, 'no bare LF was introduced');
    assert.match(s, /\r\n {6}- {3}asm-1-29\r\n/);
    assert.equal(applyMoveToText('mesh.yaml', s, 0, rollback('asm-1-27', 'asm-1-29')), crlf);
  });
});

describe('applyMoveToText: the multi-document fixture (flow list, flow tags)', () => {
  const original = fixture('commented-flow-mesh.yaml');
  const started = applyMoveToText('all.yaml', original, 1, start('asm-1-27', 'asm-1-29'));
  it('start changes only the revisions line of the second document', () => {
    assert.deepEqual(changedLines(original, started), ['+13:     revisions: [ "asm-1-27", "asm-1-29" ]   # flow, quoted, padded', '-13:     revisions: [ "asm-1-27" ]   # flow, quoted, padded']);
  });
  it('start then rollback gives back the original bytes', () => {
    assert.equal(applyMoveToText('all.yaml', started, 1, rollback('asm-1-27', 'asm-1-29')), original);
  });
  it('start then complete changes the revisions and tags lines; the other documents are untouched', () => {
    const done = applyMoveToText('all.yaml', started, 1, complete('asm-1-27', 'asm-1-29', ['prod-stable', 'prod-canary']));
    assert.deepEqual(changedLines(original, done), [
      '+13:     revisions: [ "asm-1-29" ]   # flow, quoted, padded',
      '+16:   tags: {prod-stable: asm-1-29,   prod-canary: "asm-1-29"}   # flow tags',
      '-13:     revisions: [ "asm-1-27" ]   # flow, quoted, padded',
      '-16:   tags: {prod-stable: asm-1-27,   prod-canary: "asm-1-27"}   # flow tags',
    ]);
    const [first, , third] = done.split('\n---\n');
    const [origFirst, , origThird] = original.split('\n---\n');
    assert.equal(first, origFirst);
    assert.equal(third, origThird);
  });
});

describe('ITEM_LINE_TAIL', () => {
  const cases: Array<[string, boolean]> = [
    ['', true],
    [',', true],
    ['  ,  ', true],
    [' , # old revision', true],
    [',\r', true],
    ['# a comment', true],
    [', asm-1-29]', false],
    ['   , asm-1-29', false],
    [',,', false],
    [' ]', false],
  ];
  for (const [tail, want] of cases) {
    it(`${JSON.stringify(tail)} ${want ? 'leaves' : 'does not leave'} the item on its own line`, () => assert.equal(ITEM_LINE_TAIL.test(tail), want));
  }

  it('searches in steps linear in the blanks before the next item (no split of one run between two blank runs)', () => {
    for (const blank of [' ', '\t']) {
      const growth = stepGrowth(ITEM_LINE_TAIL.source, (n) => `${blank.repeat(n)}, asm-1-29]`);
      assert.ok(growth < 2.5, `doubling the blanks multiplied the steps by ${growth.toFixed(2)} (linear: about 2)`);
    }
  });
});
