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
  serverSoakSection(fleet: unknown): string;
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

describe('floor lines of the latest figures', () => {
  /** A figure of a results record, with the fields performanceSection reads. */
  const figure = (id: string, wallMs: number, extra: Record<string, unknown>) => ({
    id,
    title: id,
    baselineText: 'node -e 0',
    ratioKind: 'time',
    target: null,
    met: null,
    cpuMet: null,
    ratio: wallMs / 60,
    cpuRatio: wallMs / 60,
    runs: 3,
    meshplane: { medianWallMs: wallMs, medianCpuMs: wallMs, peakRssKb: 1024 },
    baseline: { medianWallMs: 60, medianCpuMs: 60, peakRssKb: 1024 },
    ...extra,
  });
  const record = (floorMs: number) => ({
    date: '2026-12-03T00:00:00Z',
    machine: { cpus: 2, cpuModel: 'test', memoryMb: 1024, node: 'v20', loadAverage: [0] },
    loadAverageAtEnd: [0],
    timeMethod: 'bash-times',
    figures: [figure('warm-generate', 100, { target: '≤ 1.2× (issue 17)', met: false, cpuMet: false }), figure('warm-floor', floorMs, { floorOf: 'warm-generate' })],
  });
  // 1.2 × 60 ms = 72 ms allowed.
  const cases: Array<[string, number, RegExp]> = [
    ['a floor under the target leaves room', 62, /warm-generate: its floor \(warm-floor\) takes 62 ms wall \/ 62 ms CPU.* Wall: the target allows 72 ms, 10 ms over the floor; Meshplane's own work takes 38 ms over the floor\. CPU: the target allows 72 ms, 10 ms over the floor;/],
    ['a floor over the target says no implementation meets it', 80, /Wall: the target allows 72 ms, 8 ms under the floor itself \(no implementation meets it\); Meshplane's own work takes 20 ms over the floor\./],
  ];
  for (const [name, floorMs, want] of cases) {
    it(name, () => {
      assert.match(docs.performanceSection(record(floorMs)), want);
    });
  }
  it('a record without floor figures has no floor lines', () => {
    const r = record(62);
    r.figures = r.figures.filter((f) => f.id !== 'warm-floor');
    assert.doesNotMatch(docs.performanceSection(r), /Against their floors/);
  });
});

describe('the soak paragraph of docs/server.md', () => {
  const fleet = (samples: unknown[], seconds = 600) => ({ date: '2026-12-02T18:00:00.000Z', example: 'canary', runs: [{ workers: 2, soak: { seconds, requests: 440, samples } }] });
  const cases: Array<[string, unknown, RegExp[]]> = [
    ['RSS with the cache share and the load', fleet([{ t: 0, rssMiB: 400, cacheMiB: 200, load1: 1.5 }, { t: 10, rssMiB: 410, cacheMiB: 205, load1: 2.25 }]), [/0 s: 400 \(200\), 10 s: 410 \(205\)/, /load average 1\.5–2\.25/, /Every answer was a 200/, /--soak-seconds 600/]],
    ['an older record without the cache share', fleet([{ t: 0, rssMiB: 400 }, { t: 10, rssMiB: 410 }]), [/0 s: 400, 10 s: 410\./, /^(?!.*brackets)/]],
    ['a short soak and a failed round', fleet([{ t: 0, rssMiB: 400 }, { t: 5, statuses: { 200: 40, 503: 4 } }], 120), [/shorter than the 10-minute soak/, /other than 200: 5 s \{"200":40,"503":4\}/]],
    ['no soak', { date: '2026-12-02T18:00:00.000Z', example: 'canary', runs: [{ workers: 1 }] }, [/No fleet soak is committed yet/]],
  ];
  for (const [name, record, patterns] of cases) {
    it(name, () => {
      const text = docs.serverSoakSection(record);
      for (const p of patterns) assert.match(text, p);
    });
  }
});
