import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeshplaneError } from '../core/errors.js';
import { checkHeapBudget, heapBudget, heapCost, HEAP_BYTES_PER_CHAR, HEAP_BYTES_PER_DOCUMENT, HEAP_BYTES_PER_UNIT, neededHeapMb, scanCount } from './heap-budget.js';

const MiB = 1024 * 1024;

/** V8's heap_size_limit under `--max-old-space-size=512` on Node 20 (old space plus young generation), measured. */
const LIMIT_512 = 560 * MiB;

describe('scanCount', () => {
  const cases: Array<[string, string, number, number]> = [
    ['empty text', '', 0, 1],
    ['one pair', 'a: 1\n', 2, 1],
    ['block list', '- a\n- b\n', 4, 1],
    ['flow list', '[1, 2, 3]', 3, 1],
    ['JSON map without blanks', '{"a":1,"b":2}', 4, 1],
    ['dashes inside words are not indicators', 'name: asm-1-30\n', 2, 1],
    ['a negative number', 'a: -1', 1, 1],
    ['document markers at line starts', '---\na: 1\n---\nb: 2\n', 6, 3],
    ['a marker with content after it', '--- |\n  x\n', 2, 2],
    ['a PEM line is neither a marker nor an item', '-----BEGIN CERTIFICATE-----\n', 1, 1],
    ['an item at the end of the text', 'a:\n  -', 3, 1],
    ['a JSON stream has no markers', '[-1,-2]', 2, 1],
    ['a marker not at a line start', 'a: x---\n', 2, 1],
    ['nested block lists', '- - - a\n', 4, 1],
    ['explicit keys count their empty values', '? a\n? b\n', 6, 1],
    ['a question mark inside a word is text', 'a: why?\n', 2, 1],
  ];
  for (const [name, text, units, documents] of cases) it(name, () => assert.deepEqual(scanCount(text), { units, documents, chars: text.length }));
});

describe('heap arithmetic', () => {
  const budgets: Array<[string, number, number]> = [
    ['--max-old-space-size=512', LIMIT_512, 372 * MiB],
    ['below the reserve', 32 * MiB, 0],
    ['the reserve exactly', 64 * MiB, 0],
    ['Node 20 default on a 24 GB machine', 4144 * MiB, 3060 * MiB],
  ];
  for (const [name, limit, expected] of budgets) it(`budget: ${name}`, () => assert.equal(heapBudget(limit), expected));

  const costs: Array<[string, { units: number; documents: number; chars: number }, number]> = [
    ['nothing', { units: 0, documents: 0, chars: 0 }, 0],
    ['a one-line ConfigMap', { units: 10, documents: 1, chars: 64 }, 64 * HEAP_BYTES_PER_CHAR + 10 * HEAP_BYTES_PER_UNIT + HEAP_BYTES_PER_DOCUMENT],
    ['100,000 of them', { units: 1_000_000, documents: 100_000, chars: 6_400_000 }, 426_800_000],
    ['a 16 MB map of 60-character values (2 units a 75-character line)', { units: 447_392, documents: 1, chars: 16_777_216 }, 268_437_392],
  ];
  for (const [name, count, expected] of costs) it(`cost: ${name}`, () => assert.equal(heapCost(count), expected));

  const needed: Array<[number, number]> = [
    [0, 256],
    [372 * MiB, 768],
    [426_800_000, 768],
    [1_000 * MiB, 1536],
  ];
  for (const [cost, mb] of needed) {
    it(`a cost of ${Math.round(cost / MiB)} MiB needs --max-old-space-size=${mb}`, () => {
      assert.equal(neededHeapMb(cost), mb);
      assert.ok(heapBudget(mb * MiB) >= cost, 'the advised heap holds the source');
    });
  }
});

function flowDocuments(count: number): string {
  return Array.from({ length: count }, (_, i) => `---\n{apiVersion: v1, kind: ConfigMap, metadata: {name: c${i}}}\n`).join('');
}

describe('checkHeapBudget', () => {
  it('lets a source within the budget through', () => {
    assert.doesNotThrow(() => checkHeapBudget([{ path: 'a.yaml', text: flowDocuments(1000) }], LIMIT_512));
  });

  it('refuses 100,000 one-line ConfigMaps under a 512 MB heap, naming the file, the line where the budget is passed, and the heap to set', () => {
    const text = flowDocuments(100_000);
    const err = (() => {
      try {
        checkHeapBudget([{ path: 'mesh.yaml', text: 'a: 1\n' }, { path: 'apps/many.yaml', text }], LIMIT_512);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(err instanceof MeshplaneError, 'refused');
    assert.equal(err.code, 'input-too-large');
    assert.match(err.message, /^the source \(2 files\) holds about 1000002 YAML nodes in 100002 documents \(\d+ characters\), which would take about 407 MB of heap .* may use 372 MB .*V8 heap limit 560 MB/);
    const where = err.details[0]?.where;
    assert.equal(where?.file, 'apps/many.yaml');
    // 372 MiB at about 4,270 bytes a two-line document: the budget is passed near line 183,000.
    assert.ok(where && where.line > 175_000 && where.line < 190_000, `line ${where?.line}`);
    assert.match(err.hint ?? '', /split the source.*NODE_OPTIONS=--max-old-space-size=768/);
  });

  it('names the first file of a source where the running estimate passes the budget', () => {
    const half = flowDocuments(60_000);
    assert.throws(() => checkHeapBudget([{ path: 'a.yaml', text: half }, { path: 'b.yaml', text: half }], LIMIT_512), (e: unknown) => e instanceof MeshplaneError && e.details[0]?.where?.file === 'b.yaml');
  });

  it('lets 16 MB of ConfigMaps with 50 values of 60 characters each through under a 512 MB heap (they run there: 6.7 s, 600 MB RSS)', () => {
    const doc = (i: number) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: m${i}}\ndata:\n${Array.from({ length: 50 }, (_, k) => `  k${k}: "${'x'.repeat(60)}"\n`).join('')}`;
    const text = Array.from({ length: 4693 }, (_, i) => doc(i)).join('');
    assert.doesNotThrow(() => checkHeapBudget([{ path: 'wide.yaml', text }], LIMIT_512));
  });

  it('lets the bench 10,000-object realistic stream through under a 512 MB heap, with a third of the budget to spare', async () => {
    const workload = (await import(new URL('../../../bench/workload.mjs', import.meta.url).href)) as { benchObjects(n: number): unknown[]; toStream(o: unknown[]): string };
    const text = workload.toStream(workload.benchObjects(10_000));
    assert.doesNotThrow(() => checkHeapBudget([{ path: 'stream.yaml', text }], LIMIT_512));
    assert.ok(3 * heapCost(scanCount(text)) < 2 * heapBudget(LIMIT_512), `cost ${Math.round(heapCost(scanCount(text)) / MiB)} MiB`);
  });
});
