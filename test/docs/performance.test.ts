/**
 * The performance figures in docs/performance.md and README.md are generated from the committed
 * results of `npm run bench` (bench/results/latest.json) by scripts/bench-docs.mjs. This test
 * fails when the docs and the results file disagree, so no figure can be quoted that no committed
 * run produced. It compares text only: no timing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { packagePath } from '../../src/core/paths.js';

interface BenchDocs {
  syncDocs(root: string, record: unknown, options: { check: boolean }): string[];
  readResults(root: string): Record<string, unknown> & { figures: Array<{ id: string; ratio: number }>; machine: Record<string, unknown>; date: string };
  performanceSection(record: unknown): string;
}

const docs = (await import(pathToFileURL(packagePath('scripts', 'bench-docs.mjs')).href)) as BenchDocs;

describe('performance docs match the committed bench results', () => {
  const record = docs.readResults(packagePath());
  it('records when and where it was measured', () => {
    assert.match(record.date, /^\d{4}-\d\d-\d\dT/);
    for (const k of ['cpus', 'cpuModel', 'node', 'loadAverage']) assert.ok(k in record.machine, `machine.${k}`);
    assert.ok(record.figures.some((f) => f.id === 'generate'), 'the generate figure');
  });
  it('docs/performance.md and README.md say what bench/results/latest.json says', () => {
    assert.deepEqual(docs.syncDocs(packagePath(), record, { check: true }), [], 'run `node scripts/bench-docs.mjs` and commit');
  });
  it('would notice a changed figure', () => {
    const changed = structuredClone(record);
    changed.figures[0]!.ratio += 0.5;
    assert.notDeepEqual(docs.syncDocs(packagePath(), changed, { check: true }), []);
    assert.ok(readFileSync(packagePath('docs', 'performance.md'), 'utf8').includes(docs.performanceSection(record)));
  });
});
