import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isRenderedPart, OutputCache, type RenderedPart } from '../engine/output-cache.js';
import { openDiskCache } from '../engine/disk-cache.js';
import { DiskParseCache } from '../engine/parse-cache.js';
import { ENVOY_FILTER } from '../../test/helpers/server.js';
import type { SourceFile } from '../core/types.js';
import { evaluationsInFlight, JsonnetEngine } from '../engine/template-engine.js';
import { packagePath } from '../core/paths.js';
import { readSourceTree } from '../pipeline/load.js';
import { EXAMPLES_DIR, exampleNames } from '../../test/helpers/examples.js';
import { generateEnv, isGenerateEnvName, planGenerate, runGenerate, type GenerateEnv, type RunGenerateOptions } from './generate.js';

describe('isGenerateEnvName', () => {
  const cases: Array<[string, boolean]> = [
    ['KUBE_VERSION', true],
    ['KUBE_API_VERSIONS', true],
    ['ARGOCD_APP_PARAMETERS', true],
    ['PARAM_REVISIONS_0', true],
    ['ARGOCD_ENV_MESHPLANE_NOW', true],
    ['ARGOCD_ENV_OTHER_TOOL', false],
    ['ARGOCD_APP_REVISION', false],
    ['ARGOCD_APP_NAME', false],
    ['HOME', false],
    ['MESHPLANE_TOKEN', false],
    ['PARAM_', false],
  ];
  for (const [name, read] of cases) it(`${name} → ${read}`, () => assert.equal(isGenerateEnvName(name), read));
});

describe('generateEnv', () => {
  it('keeps only what generate reads, sorted, without undefined values', () => {
    const env = { PATH: '/bin', MESHPLANE_TOKEN: 'secret', KUBE_VERSION: '1.32', ARGOCD_ENV_MESHPLANE_NOW: '2027-01-01', PARAM_X: undefined, ARGOCD_APP_REVISION: 'abc' };
    assert.deepEqual(Object.entries(generateEnv(env)), [['ARGOCD_ENV_MESHPLANE_NOW', '2027-01-01'], ['KUBE_VERSION', '1.32']]);
  });
});

describe('planGenerate', () => {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  it('--now wins over ARGOCD_ENV_MESHPLANE_NOW, which wins over the clock', () => {
    assert.equal(day(planGenerate({ ARGOCD_ENV_MESHPLANE_NOW: '2027-03-01' }, { format: 'yaml', now: '2027-01-31' }).now), '2027-01-31');
    assert.equal(day(planGenerate({ ARGOCD_ENV_MESHPLANE_NOW: '2027-03-01' }, { format: 'yaml' }).now), '2027-03-01');
    assert.equal(day(planGenerate({}, { format: 'yaml' }).now), day(new Date()));
  });
  it('refuses a --now that is not a date, and an unknown ARGOCD_ENV_MESHPLANE_ option', () => {
    assert.throws(() => planGenerate({}, { format: 'yaml', now: 'soon' }), /--now must be a date/);
    assert.throws(() => planGenerate({ ARGOCD_ENV_MESHPLANE_NOWW: 'x' }, { format: 'yaml' }), /did you mean MESHPLANE_NOW/);
  });
});

/**
 * The real engine with an on-disk cache, and an output cache in the same private folder: what
 * bin/meshplane's bundled generate uses, with a made-up build id. `run` renders examples/canary
 * with a new engine on that cache each time.
 */
async function setUp() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mp-generate-outputs-'));
  chmodSync(dir, 0o700);
  const disk = openDiskCache(path.join(dir, 'cache'));
  assert.ok(disk);
  const outputs = new OutputCache(disk, 'c'.repeat(64));
  const files = await readSourceTree(packagePath('examples', 'canary'));
  const plan = planGenerate({}, { format: 'yaml', now: '2026-12-02' });
  const run = (env: GenerateEnv = {}, options: RunGenerateOptions = {}) => runGenerate(files, env, plan, { engine: new JsonnetEngine({ diskCache: disk }), outputs, ...options });
  return { disk, outputs, files, plan, run };
}

describe('runGenerate with a parse cache: a second generate reads every file back and says the same', () => {
  const sources: Array<[string, () => Promise<SourceFile[]>]> = [
    ...exampleNames().map((name): [string, () => Promise<SourceFile[]>] => [`examples/${name}`, () => readSourceTree(path.join(EXAMPLES_DIR, name))]),
    // Violations and warnings point into the files: the report's positions come from the cache.
    // The stable revision is asm-1-28 here, past its expected end of life and no longer one of the
    // two newest on 2026-12-02, so revision-end-of-life warns at mesh.yaml:10:17 (asm-1-29, the
    // example's own stable revision, is one of the two newest and stays supported).
    ['examples/canary with an EnvoyFilter (exit 1)', async () => [
      ...(await readSourceTree(path.join(EXAMPLES_DIR, 'canary'))).map((f) => (f.path === 'mesh.yaml' ? { ...f, text: f.text.replace('[asm-1-29, asm-1-30]', '[asm-1-28, asm-1-30]').replace('prod-stable: asm-1-29', 'prod-stable: asm-1-28') } : f)),
      { path: 'apps/filter.yaml', text: ENVOY_FILTER },
    ]],
  ];
  for (const [name, read] of sources) {
    it(name, async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'mp-generate-parses-'));
      chmodSync(dir, 0o700);
      const disk = openDiskCache(path.join(dir, 'parses'));
      assert.ok(disk);
      const parses = new DiskParseCache(disk, 'c'.repeat(64), 1024);
      const files = await read();
      const plan = planGenerate({}, { format: 'yaml', now: '2026-12-02' });
      const run = (cache: DiskParseCache | null) => runGenerate(files, {}, plan, { outputs: null, parses: cache });
      const plain = await run(null);
      await run(parses);
      const hits = disk.stats.hits;
      const cached = await run(parses);
      assert.equal(disk.stats.hits - hits, files.filter((f) => /\.ya?ml$/.test(f.path)).length, 'every file read back');
      assert.deepEqual(cached, plain);
      if (name.includes('EnvoyFilter')) {
        assert.equal(plain.exitCode, 1);
        const where = JSON.stringify(plain.report.violations.map((v) => v.where));
        assert.match(where, /"file":"apps\/filter\.yaml"/);
        assert.match(where, /"file":"mesh\.yaml","line":10,"column":17/, 'a field deep in mesh.yaml: its position came from the stored table');
      }
    });
  }
});

describe('runGenerate with an output cache (a second generate of an unchanged mesh)', () => {

  it('answers from the cache with the same manifests and the same report', async () => {
    const { disk, run } = await setUp();
    const first = await run();
    const hitsBefore = disk.stats.hits;
    const second = await run();
    // One hit: the stored output (the evaluation itself is not even read).
    assert.equal(disk.stats.hits - hitsBefore, 1);
    assert.equal(first.exitCode, 0);
    assert.ok(first.output && first.output.length > 100_000, 'the canary prints its manifests');
    assert.equal(second.output, first.output);
    assert.deepEqual(second.report, first.report);
    assert.deepEqual(second.objects, first.objects);
  });

  it('keeps the rendered part under a reused output as recently used (the next application-only commit needs it)', async () => {
    const { disk, run } = await setUp();
    await run();
    const past = new Date('2026-01-01T00:00:00Z');
    const entries = readdirSync(disk.dir).filter((n) => /^[0-9a-f]{64}$/.test(n));
    for (const n of entries) utimesSync(path.join(disk.dir, n), past, past);
    await run();
    const stale = entries.filter((n) => statSync(path.join(disk.dir, n)).mtimeMs === past.getTime());
    assert.deepEqual(stale, [], 'the output, its part and the evaluation under them were all marked used');
  });

  it('still runs every guardrail on a reused render: an API the cluster does not serve fails it', async () => {
    const { disk, run } = await setUp();
    await run();
    const hitsBefore = disk.stats.hits;
    // KUBE_API_VERSIONS reaches only the guardrails, so the stored output is found and reused...
    const r = await run({ KUBE_API_VERSIONS: 'v1' });
    assert.equal(disk.stats.hits - hitsBefore, 1, 'the answer was reused');
    // ...and the check still sees every rendered object and fails the sync, printing nothing.
    assert.equal(r.exitClass, 'violations');
    assert.equal(r.exitCode, 1);
    assert.equal(r.output, undefined);
    assert.ok(r.report.violations.some((v) => v.ruleId === 'api-unavailable' && v.resource.startsWith('apps/Deployment/')), 'a rendered Deployment is reported');
  });

  it('is not used when nothing is printed (--output-dir) or when turned off', async () => {
    const { disk, run } = await setUp();
    await run({}, { emit: false });
    await run({}, { outputs: null });
    assert.equal(disk.stats.writeErrors, 0);
    // Only the evaluation was stored: no answer entry was written by either run.
    assert.equal(readdirSync(disk.dir).filter((n) => /^[0-9a-f]{64}$/.test(n)).length, 1);
  });
});

describe('runGenerate with a stored rendered part (a commit that changes only applications)', () => {
  const extra = { path: 'apps/shop/extra.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: shop\ndata:\n  a: b\n' };

  /** The entries of the folder that hold a rendered part (they have no `output`). */
  function partEntries(dir: string): string[] {
    return readdirSync(dir).filter((n) => {
      if (!/^[0-9a-f]{64}$/.test(n)) return false;
      const value = JSON.parse(readFileSync(path.join(dir, n), 'utf8').slice(65)) as unknown;
      return isRenderedPart(value) && !('output' in value);
    });
  }

  for (const example of exampleNames()) {
    for (const format of ['yaml', 'json'] as const) {
      it(`examples/${example}, ${format}: after an application changed, the same bytes as an uncached render`, async () => {
        const { disk, outputs } = await setUp();
        const files = await readSourceTree(path.join(EXAMPLES_DIR, example));
        const plan = planGenerate({}, { format, now: '2026-12-02' });
        await runGenerate(files, {}, plan, { engine: new JsonnetEngine({ diskCache: disk }), outputs });
        const changed = [...files, extra];
        const engine = new JsonnetEngine({ diskCache: disk });
        const reused = await runGenerate(changed, {}, plan, { engine, outputs });
        const fresh = await runGenerate(changed, {}, plan, { engine: new JsonnetEngine(), outputs: null });
        assert.equal(reused.output, fresh.output);
        assert.equal(reused.exitCode, fresh.exitCode);
        assert.equal(engine.stats.misses, 0, 'the part answered: nothing was evaluated or read');
      });
    }
  }

  for (const format of ['yaml', 'json'] as const) {
    it(`${format}: another application file → the part is reused (the evaluation is not even read), and the manifests are those of a render without any cache`, async () => {
      const { disk, outputs, files } = await setUp();
      const plan = planGenerate({}, { format, now: '2026-12-02' });
      await runGenerate(files, {}, plan, { engine: new JsonnetEngine({ diskCache: disk }), outputs });
      assert.equal(partEntries(disk.dir).length, 1, 'the first generate stored the part');
      // The evaluation the part was built on: aged on purpose, to see the reuse mark it used.
      const evaluation = readdirSync(disk.dir).find((n) => /^[0-9a-f]{64}$/.test(n) && !isRenderedPart(JSON.parse(readFileSync(path.join(disk.dir, n), 'utf8').slice(65))));
      assert.ok(evaluation);
      const past = new Date('2026-01-01T00:00:00Z');
      utimesSync(path.join(disk.dir, evaluation), past, past);
      const changed = [...files, extra];
      const engine = new JsonnetEngine({ diskCache: disk });
      const hits = disk.stats.hits;
      const reused = await runGenerate(changed, {}, plan, { engine, outputs });
      const fresh = await runGenerate(changed, {}, plan, { engine: new JsonnetEngine(), outputs: null });
      assert.equal(reused.exitCode, 0);
      assert.equal(reused.output, fresh.output);
      assert.deepEqual(reused.report, fresh.report);
      assert.deepEqual({ evaluations: engine.stats.misses, hits: disk.stats.hits - hits }, { evaluations: 0, hits: 1 });
      assert.ok(statSync(path.join(disk.dir, evaluation)).mtimeMs > past.getTime(), 'the evaluation under the part was marked used (it does not age out first)');
    });
  }

  it('the stored documents are what is printed for the rendered objects; a part that does not fit its objects is not used', async () => {
    const { disk, outputs, files, plan } = await setUp();
    await runGenerate(files, {}, plan, { engine: new JsonnetEngine({ diskCache: disk }), outputs });
    const [name] = partEntries(disk.dir);
    assert.ok(name);
    const part = JSON.parse(readFileSync(path.join(disk.dir, name), 'utf8').slice(65)) as RenderedPart;
    const fresh = await runGenerate([...files, extra], {}, plan, { engine: new JsonnetEngine(), outputs: null });
    // A marker in one stored document shows the stored text is printed, not written again.
    disk.set(name, JSON.stringify({ ...part, yaml: part.yaml?.map((d, i) => (i === 0 ? `${d}# stored\n` : d)) }));
    const marked = await runGenerate([...files, extra], {}, plan, { engine: new JsonnetEngine({ diskCache: disk }), outputs });
    assert.equal(marked.output?.replace('# stored\n', ''), fresh.output);
    assert.notEqual(marked.output, fresh.output);
    // One document too few: not a part; the render goes on as if there were none (and stores a good one).
    disk.set(name, JSON.stringify({ ...part, yaml: part.yaml?.slice(1) }));
    const misfit = await runGenerate([...files, extra, { path: 'apps/shop/more.yaml', text: extra.text.replace('extra', 'more') }], {}, plan, { engine: new JsonnetEngine({ diskCache: disk }), outputs });
    const misfitFresh = await runGenerate([...files, extra, { path: 'apps/shop/more.yaml', text: extra.text.replace('extra', 'more') }], {}, plan, { engine: new JsonnetEngine(), outputs: null });
    assert.equal(misfit.output, misfitFresh.output);
    assert.deepEqual(JSON.parse(readFileSync(path.join(disk.dir, name), 'utf8').slice(65)), part, 'the part was stored again, whole');
  });
});

describe('runGenerate prestart: the evaluation starts ahead, and one nothing used is released', () => {
  it('no output stored: starts ahead, and the render uses it (same manifests as without)', async () => {
    const { files, plan } = await setUp();
    const engine = new JsonnetEngine();
    const ahead = await runGenerate(files, {}, plan, { engine, outputs: null, prestart: true });
    const plain = await runGenerate(files, {}, plan, { engine: new JsonnetEngine(), outputs: null });
    assert.equal(ahead.output, plain.output);
    assert.deepEqual({ prestarted: engine.stats.prestarted, released: engine.stats.released, evaluations: engine.stats.misses }, { prestarted: 1, released: 0, evaluations: 1 });
  });

  it('an evaluation started ahead of a render the output cache answers is released, and the output is the same', async () => {
    const { files, plan, outputs, disk } = await setUp();
    // The output cache needs an engine with an on-disk cache (its key builds on the evaluation's).
    const stored = await runGenerate(files, {}, plan, { engine: new JsonnetEngine({ diskCache: disk }), outputs, prestart: true });
    const engine = new JsonnetEngine({ diskCache: disk });
    const reused = await runGenerate(files, {}, plan, { engine, outputs, prestart: true });
    assert.equal(reused.output, stored.output);
    assert.deepEqual({ prestarted: engine.stats.prestarted, released: engine.stats.released, evaluations: engine.stats.misses }, { prestarted: 1, released: 1, evaluations: 0 });
  });

  it('a render that fails before the evaluation releases the evaluation started ahead (the process can end)', async () => {
    const { plan } = await setUp();
    const engine = new JsonnetEngine();
    const bad = [{ path: 'mesh.yaml', text: 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: prod}\nspec: {mode: Nonsense}\n' }];
    await assert.rejects(runGenerate(bad, {}, plan, { engine, outputs: null, prestart: true }));
    assert.deepEqual({ prestarted: engine.stats.prestarted, released: engine.stats.released }, { prestarted: 1, released: 1 });
    const deadline = Date.now() + 30_000;
    while (evaluationsInFlight() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(evaluationsInFlight(), 0);
  });
});

