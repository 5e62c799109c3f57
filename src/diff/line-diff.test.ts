import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { diffLines, MAX_EDIT_DISTANCE, toHunks, unifiedLines, type Edit } from './line-diff.js';

const sideA = (edits: Edit[]): string[] => edits.filter((e) => e.op !== 'insert').map((e) => e.line);
const sideB = (edits: Edit[]): string[] => edits.filter((e) => e.op !== 'delete').map((e) => e.line);
const changes = (edits: Edit[]): number => edits.filter((e) => e.op !== 'equal').length;

describe('diffLines', () => {
  const cases: Array<{ name: string; a: string[]; b: string[]; distance: number }> = [
    { name: 'equal', a: ['x', 'y'], b: ['x', 'y'], distance: 0 },
    { name: 'both empty', a: [], b: [], distance: 0 },
    { name: 'insert into empty', a: [], b: ['x', 'y'], distance: 2 },
    { name: 'delete all', a: ['x', 'y'], b: [], distance: 2 },
    { name: 'one line changed', a: ['a', 'b', 'c'], b: ['a', 'B', 'c'], distance: 2 },
    { name: "Myers' paper example", a: [...'abcabba'], b: [...'cbabac'], distance: 5 },
    { name: 'line moved', a: ['1', '2', '3', '4'], b: ['2', '3', '4', '1'], distance: 2 },
  ];
  for (const c of cases) {
    it(`${c.name}: a shortest script that rebuilds both sides`, () => {
      const edits = diffLines(c.a, c.b);
      assert.deepEqual(sideA(edits), c.a);
      assert.deepEqual(sideB(edits), c.b);
      assert.equal(changes(edits), c.distance);
    });
  }

  it('rebuilds both sides for any input, and never does worse than delete-all + insert-all', () => {
    const line = fc.constantFrom('a', 'b', 'c', 'd', '');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.array(line, { maxLength: 40 }), (a, b) => {
        const edits = diffLines(a, b);
        assert.deepEqual(sideA(edits), a);
        assert.deepEqual(sideB(edits), b);
        assert.ok(changes(edits) <= a.length + b.length);
      }),
      { numRuns: 300 },
    );
  });

  it('falls back to one removed and one added block past the distance limit, still correct', () => {
    const a = Array.from({ length: MAX_EDIT_DISTANCE }, (_, i) => `a${i}`);
    const b = Array.from({ length: MAX_EDIT_DISTANCE }, (_, i) => `b${i}`);
    const edits = diffLines(['head', ...a, 'tail'], ['head', ...b, 'tail']);
    assert.deepEqual(sideA(edits), ['head', ...a, 'tail']);
    assert.deepEqual(sideB(edits), ['head', ...b, 'tail']);
    assert.equal(edits[1]?.op, 'delete');
    assert.equal(edits[edits.length - 2]?.op, 'insert');
  });
});

describe('unified hunks', () => {
  it('numbers hunks like diff -u and merges changes closer than twice the context', () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i + 1}`);
    const b = [...a];
    b[1] = 'L2';
    b[4] = 'L5';
    b[17] = 'L18';
    const lines = unifiedLines(a, b, 2);
    assert.deepEqual(lines, [
      '@@ -1,7 +1,7 @@', ' l1', '-l2', '+L2', ' l3', ' l4', '-l5', '+L5', ' l6', ' l7',
      '@@ -16,5 +16,5 @@', ' l16', ' l17', '-l18', '+L18', ' l19', ' l20',
    ]);
  });

  it('starts an empty side at the line before the hunk', () => {
    const [h] = toHunks(diffLines([], ['x']), 3);
    assert.deepEqual(h, { oldStart: 0, oldLines: 0, newStart: 1, newLines: 1, lines: ['+x'] });
  });

  it('returns nothing for equal texts', () => {
    assert.deepEqual(unifiedLines(['a'], ['a']), []);
  });

  it('reads each edit a bounded number of times, however many hunks (a large object with changes all over it)', () => {
    const n = 40_000;
    const edits: Edit[] = Array.from({ length: n }, (_, i) => ({ op: i % 40 === 20 ? 'delete' : 'equal', line: `l${i}` }));
    let reads = 0;
    const counted = new Proxy(edits, { get: (t, k) => ((typeof k === 'string' && /^\d+$/.test(k) && reads++), Reflect.get(t, k)) });
    const hunks = toHunks(counted, 3);
    assert.equal(hunks.length, n / 40);
    // The last change deletes l39980, after 999 deletions: its hunk starts at old line 39978, new line 38979.
    assert.deepEqual(hunks[hunks.length - 1], { oldStart: 39978, oldLines: 7, newStart: 38979, newLines: 6, lines: [' l39977', ' l39978', ' l39979', '-l39980', ' l39981', ' l39982', ' l39983'] });
    // One pass to find the changes, one over the edits before and inside the hunks; counting the
    // line numbers from the top for each hunk read about hunks * n / 2 = 20,000,000.
    assert.ok(reads <= 3 * n, `${reads} reads of ${n} edits for ${hunks.length} hunks`);
  });
});

describe('unified hunks agree with GNU diff -u', () => {
  // Expected headers and lines are what GNU diffutils 3.8 (`diff -U<n>`) prints for the same two
  // files, except that we always print the line count (GNU leaves out a count of 1, e.g. `-2`).
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `l${i + 1}`);
  const cases: Array<{ name: string; a: string[]; b: string[]; context: number; want: string[] }> = [
    {
      name: 'two changes with exactly twice the context between them: one hunk',
      a: lines(6), b: ['l1', 'L2', 'l3', 'l4', 'L5', 'l6'], context: 1,
      want: ['@@ -1,6 +1,6 @@', ' l1', '-l2', '+L2', ' l3', ' l4', '-l5', '+L5', ' l6'],
    },
    {
      name: 'one line more between them: two hunks',
      a: lines(7), b: ['l1', 'L2', 'l3', 'l4', 'l5', 'L6', 'l7'], context: 1,
      want: ['@@ -1,3 +1,3 @@', ' l1', '-l2', '+L2', ' l3', '@@ -5,3 +5,3 @@', ' l5', '-l6', '+L6', ' l7'],
    },
    { name: 'a deleted line without context: the new side starts at the line before', a: ['a', 'b', 'c'], b: ['a', 'c'], context: 0, want: ['@@ -2,1 +1,0 @@', '-b'] },
    { name: 'everything deleted', a: ['a', 'b', 'c'], b: [], context: 3, want: ['@@ -1,3 +0,0 @@', '-a', '-b', '-c'] },
    { name: 'a replaced block: its deletions before its insertions', a: ['a', 'b', 'c', 'd'], b: ['a', 'B', 'C', 'd'], context: 1, want: ['@@ -1,4 +1,4 @@', ' a', '-b', '-c', '+B', '+C', ' d'] },
    { name: 'a line appended', a: ['a', 'b'], b: ['a', 'b', 'c'], context: 1, want: ['@@ -2,1 +2,2 @@', ' b', '+c'] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(unifiedLines(c.a, c.b, c.context), c.want));
});
