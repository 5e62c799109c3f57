/**
 * The bad-input corpus (test/cases/hostile/, read by hostile-corpus.ts): every case must end in a
 * clear error (an `error[<code>]` line and a `fix:` line), the exit code its case.yaml names,
 * NOTHING on stdout, within its time bound and (where given) its memory bound, and never a crash,
 * hang or stack trace. Spawned cases run with the V8 heap capped at 512 MB; content-only cases
 * run through the CLI's main() in-process (see the corpus README for the split).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { render } from '../../src/pipeline/render.js';
import { JsonnetEngine } from '../../src/engine/template-engine.js';
import { reportError, type Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { readSourceTree } from '../../src/pipeline/load.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { loadCases, prepareCase, type HostileCase } from './hostile-corpus.js';
import { runMeasured } from './spawn-measured.js';

/** What every failure must look like, whatever the input. `machineDir` is the case's temp folder: never printed. */
function assertCleanFailure(c: HostileCase, r: { code: number | null; stdout: string; stderr: string }, machineDir: string): void {
  const show = `\n--- stderr of ${c.name} ---\n${r.stderr.slice(0, 3000)}`;
  assert.equal(r.code, c.exit, `exit code${show}`);
  if (c.stdoutMatch) assert.match(r.stdout, c.stdoutMatch, `stdout holds the report${show}`);
  else assert.equal(r.stdout, '', `nothing on stdout${show}`);
  for (const re of c.stdoutNot) assert.doesNotMatch(r.stdout, re, `stdout never matches ${re}\n--- stdout ---\n${r.stdout.slice(0, 3000)}`);
  assert.match(r.stderr, c.stderr, `stderr matches case.yaml${show}`);
  for (const re of c.stderrNot) assert.doesNotMatch(r.stderr, re, `stderr never matches ${re}${show}`);
  assert.ok(!r.stderr.includes(machineDir) && !r.stderr.includes(REPO_ROOT), `no absolute machine path on stderr${show}`);
  if (!c.stdoutMatch) {
    // A report command (check --output …) puts its findings in the report on stdout, not on stderr.
    assert.match(r.stderr, /^error\[[a-z0-9-]+\]/m, `an error[<code>] line${show}`);
    assert.match(r.stderr, /^\s*fix: \S/m, `a fix: line${show}`);
  }
  assert.doesNotMatch(r.stderr, /^\s+at .+(:\d+:\d+\)?|\(native\))$/m, `no stack trace${show}`);
  assert.doesNotMatch(r.stderr, /FATAL ERROR|heap out of memory|Segmentation fault|node:internal|Error: /, `no crash${show}`);
  assert.doesNotMatch(r.stderr, /error\[internal\]/, `an input problem is never reported as a Meshplane bug${show}`);
}

/** How many times its case.yaml bound a case may run before it counts as hung (machine load varies). */
const HANG_FACTOR = 6;
/**
 * What `{source}` in a case's argv becomes: the source folder relative to the case's working
 * directory, as a user would type it. Any absolute path on stderr is then Meshplane's own leak.
 */
const SOURCE_ARG = 'source';

/** Heap cap of every spawned case: a case that needs more is a memory-exhaustion bug. */
const NODE_OPTIONS = '--max-old-space-size=512';

const cases = loadCases();
const temps: string[] = [];
after(() => {
  for (const t of temps) {
    try {
      rmSync(t, { recursive: true, force: true });
    } catch {
      spawnSync('rm', ['-rf', t]); // trees nested past PATH_MAX: rm walks them relatively
    }
  }
});

describe('the hostile corpus', () => {
  it('has at least 113 cases (88 before issue 13, 25 more for its classes), each with its expected exit code and stderr pattern', () => {
    assert.ok(cases.length >= 113, `${cases.length} cases`);
    for (const c of cases) {
      assert.ok([1, 2].includes(c.exit), `${c.name}: exit ${c.exit} is a failure code`);
      assert.ok(c.stderr.source.length > 3, `${c.name}: a real stderr pattern`);
    }
  });
});

describe('hostile inputs through bin/meshplane', { concurrency: 2 }, () => {
  for (const c of cases.filter((x) => x.mode === 'cli')) {
    it(c.name, { timeout: (c.maxSeconds * HANG_FACTOR + 30) * 1000 }, async () => {
      const prepared = prepareCase(c);
      temps.push(prepared.dir);
      const args = c.command.map((a) => a.replaceAll('{source}', SOURCE_ARG));
      const r = await runMeasured(args, {
        cwd: prepared.dir,
        env: { ...prepared.env, NODE_OPTIONS },
        ...(c.stdin ? { stdinFile: path.join(prepared.source, c.stdin) } : {}),
        stdoutTo: c.stdoutTo,
        timeoutMs: c.maxSeconds * 1000 * HANG_FACTOR,
      });
      // A hang guard, not a speed test (speed is `npm run bench`'s job): on 2 busy cores a case
      // may take several times its bound, a hang never finishes.
      assert.equal(r.timedOut, false, `${c.name} finished (no hang: watchdog ${c.maxSeconds * HANG_FACTOR} s, took ${Math.round(r.elapsedMs)} ms)`);
      assert.equal(r.signal, null, `${c.name} was not killed by a signal`);
      assertCleanFailure(c, r, prepared.dir);
      if (c.maxRssMb !== undefined && r.peakRssMb !== undefined) {
        assert.ok(r.peakRssMb <= c.maxRssMb, `${c.name}: peak RSS ${Math.round(r.peakRssMb)} MB over ${c.maxRssMb} MB`);
      }
    });
  }
});

/** An Io that records what a command would print. */
function capture(env: Record<string, string> = {}, cwd = REPO_ROOT, stdin = ''): Io & { out: string; err: string } {
  const io = { out: '', err: '', env, cwd, isTTY: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t), readStdin: async () => stdin };
  return io;
}

describe('hostile inputs through the CLI main() in-process', () => {
  for (const c of cases.filter((x) => x.mode === 'in-process')) {
    it(c.name, { timeout: (c.maxSeconds * HANG_FACTOR + 30) * 1000 }, async () => {
      const prepared = prepareCase(c);
      temps.push(prepared.dir);
      const stdin = c.stdin ? readFileSync(path.join(prepared.source, c.stdin), 'utf8') : '';
      const io = capture(prepared.env, prepared.dir, stdin);
      const started = Date.now();
      const code = await main(c.command.map((a) => a.replaceAll('{source}', SOURCE_ARG)), io);
      assert.ok(Date.now() - started < c.maxSeconds * 1000 * HANG_FACTOR, `${c.name} finished (no hang: ${c.maxSeconds * HANG_FACTOR} s)`);
      assertCleanFailure(c, { code, stdout: io.out, stderr: io.err }, prepared.dir);
    });
  }
});

describe('hostile templates through the render library (a broken copy of templates/)', () => {
  let templatesCopy = '';
  before(() => {
    templatesCopy = mkdtempSync(path.join(os.tmpdir(), 'mp-hostile-templates-'));
    temps.push(templatesCopy);
  });
  for (const c of cases.filter((x) => x.mode === 'engine')) {
    it(c.name, { timeout: (c.maxSeconds * HANG_FACTOR + 30) * 1000 }, async () => {
      const prepared = prepareCase(c);
      temps.push(prepared.dir);
      const dir = path.join(templatesCopy, c.name);
      cpSync(path.join(REPO_ROOT, 'templates'), dir, { recursive: true });
      for (const [file, text] of Object.entries(c.templates)) writeFileSync(path.join(dir, file), text);
      const io = capture();
      const started = Date.now();
      let code: number;
      try {
        const result = await render({ files: await readSourceTree(prepared.source), env: {}, engine: new JsonnetEngine({ templatesDir: dir }) });
        io.stdout(`${result.objects.length} objects`);
        code = 0;
      } catch (err) {
        code = reportError(io, err);
      }
      assert.ok(Date.now() - started < c.maxSeconds * 1000 * HANG_FACTOR, `${c.name} finished (no hang: ${c.maxSeconds * HANG_FACTOR} s)`);
      assertCleanFailure(c, { code, stdout: io.out, stderr: io.err }, prepared.dir);
    });
  }
});
