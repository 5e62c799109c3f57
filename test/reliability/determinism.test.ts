/**
 * Determinism (docs/design.md, "Contracts"): the same inputs give byte-identical output across runs, file names,
 * file order and nesting, document splitting, YAML vs JSON files, line endings, time zones and
 * locales. In-process renders go through the core API (render → emit, what `generate` prints);
 * the locale and time-zone runs spawn the real CLI, since ICU reads the locale at start-up.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { render } from '../../src/pipeline/render.js';
import type { SourceFile } from '../../src/core/types.js';
import { JsonnetEngine } from '../../src/engine/template-engine.js';
import { emitYaml } from '../../src/pipeline/emit.js';
import { readSourceTree } from '../../src/pipeline/load.js';
import { EXAMPLES_DIR, exampleNames } from '../helpers/examples.js';
import { runMeasured } from './spawn-measured.js';
import { extraManifests, seededRandom, shuffle } from './shuffle.js';

const temps: string[] = [];
after(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
}

/** What `meshplane generate` prints for these files, rendered in-process. */
async function generateText(files: SourceFile[], engine?: JsonnetEngine): Promise<string> {
  const result = await render({ files, env: {}, ...(engine ? { engine } : {}) });
  return emitYaml(result.objects.map((o) => o.object));
}

function writeTree(root: string, files: Array<{ path: string; text: string }>): void {
  for (const f of files) {
    mkdirSync(path.dirname(path.join(root, f.path)), { recursive: true });
    writeFileSync(path.join(root, f.path), f.text);
  }
}

for (const example of exampleNames()) {
  describe(`examples/${example}: byte-identical output`, () => {
    let files: SourceFile[] = [];
    let expected = '';
    before(async () => {
      files = await readSourceTree(path.join(EXAMPLES_DIR, example));
      expected = await generateText(files);
    });

    it('renders something', () => assert.ok(expected.split('\n---\n').length > 10, 'more than ten objects'));

    it('is identical across 20 in-process runs (cached template output, fresh pipeline each run)', async () => {
      for (let i = 0; i < 20; i++) assert.equal(await generateText(files), expected, `run ${i + 1}`);
    });

    it('is identical with an uncached jsonnet evaluation (a fresh engine)', async () => {
      assert.equal(await generateText(files, new JsonnetEngine()), expected);
    });

    it('is identical with CRLF line endings in every input file', async () => {
      const crlf = files.map((f) => ({ path: f.path, text: f.text.replace(/\r?\n/g, '\r\n') }));
      assert.ok(crlf.every((f) => f.text.includes('\r\n')));
      const dir = tempDir('mp-det-crlf-');
      writeTree(dir, crlf);
      assert.equal(await generateText(await readSourceTree(dir)), expected);
    });

    it('is identical in several time zones (process.env.TZ changed in-process)', async () => {
      const saved = process.env.TZ;
      try {
        for (const tz of ['Pacific/Chatham', 'America/St_Johns', 'Asia/Kathmandu', 'UTC']) {
          process.env.TZ = tz;
          assert.equal(await generateText(files), expected, tz);
        }
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    });
  });
}

describe('file names, order, nesting, splitting and format do not change the output', () => {
  const example = 'canary';
  let base: Array<{ path: string; text: string }> = [];
  let expected = '';
  before(async () => {
    const files = await readSourceTree(path.join(EXAMPLES_DIR, example));
    base = [...files, ...extraManifests().map((o, i) => ({ path: `apps/extra/obj-${String(i).padStart(2, '0')}.yaml`, text: stringify(o) }))];
    const dir = tempDir('mp-det-base-');
    writeTree(dir, base);
    expected = await generateText(await readSourceTree(dir));
  });

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`shuffled layout, seed ${seed}`, async () => {
      const random = seededRandom(seed);
      // Every document of every file, regrouped at random into new files under random folders.
      const docs = shuffle(base.flatMap((f) => f.text.split(/^---\s*$/m).filter((t) => parse(t) != null)), random);
      const out: Array<{ path: string; text: string }> = [];
      for (let i = 0; i < docs.length; ) {
        const take = 1 + Math.floor(random() * 4);
        const group = docs.slice(i, i + take);
        i += take;
        const depth = Math.floor(random() * 4);
        const folders = Array.from({ length: depth }, () => `d${Math.floor(random() * 1000)}`);
        const name = `${Math.floor(random() * 1e9).toString(36)}-${out.length}`;
        const asJson = group.length === 1 && random() < 0.4;
        const text = asJson ? JSON.stringify(parse(group[0] as string), null, random() < 0.5 ? 2 : 0) : group.join('---\n');
        out.push({ path: [...folders, `${name}.${asJson ? 'json' : random() < 0.5 ? 'yaml' : 'yml'}`].join('/'), text });
      }
      const dir = tempDir(`mp-det-shuffle-${seed}-`);
      writeTree(dir, out);
      assert.equal(await generateText(await readSourceTree(dir)), expected);
    });
  }
});

describe('the CLI under other locales and time zones (3 spawned runs)', () => {
  it('prints the same bytes as the in-process render under every locale', async () => {
    const dir = path.join(EXAMPLES_DIR, 'canary');
    const expected = await generateText(await readSourceTree(dir));
    const envs: Array<Record<string, string>> = [
      { TZ: 'Pacific/Chatham', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
      { TZ: 'America/St_Johns', LANG: 'C', LC_ALL: 'POSIX' },
      { TZ: 'Asia/Tokyo', LANG: 'ja_JP.UTF-8', LC_ALL: 'de_DE.UTF-8', LC_COLLATE: 'sv_SE.UTF-8' },
    ];
    for (const env of envs) {
      const r = await runMeasured(['generate', dir], { env, timeoutMs: 60_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, expected, JSON.stringify(env));
    }
  });
});
