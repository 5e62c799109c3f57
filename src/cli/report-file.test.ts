import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inTempDir } from '../../test/helpers/temp-dir.js';
import { MeshplaneError } from '../core/errors.js';
import type { Io } from './io.js';
import { main } from './main.js';
import { MAX_REPORT_BYTES, reportEarlyError, reportFileOf, reportText, withReportFile } from './report-file.js';

function testIo(cwd: string): Io & { out: string; err: string } {
  const io = { out: '', err: '', env: {}, cwd, isTTY: false, readStdin: async () => '', stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

/** Runs a test body in a fresh temporary folder. */
const inTmp = (run: (dir: string) => Promise<void>) => inTempDir('meshplane-report-', run);

describe('reportText', () => {
  it('is a line with the exit code and what it means, then stderr as printed', () => {
    assert.equal(reportText('post-render', 1, 'error[forbidden-kind]: x\n'), 'meshplane post-render: exit 1 (guardrail violations: nothing was passed on)\nerror[forbidden-kind]: x\n');
    assert.equal(reportText('post-render', 0, ''), 'meshplane post-render: exit 0 (clean: the manifests were passed on)\nnothing was printed on stderr\n');
  });

  it('is cut at a line end within MAX_REPORT_BYTES, saying so', () => {
    const line = `error[r]: ${'é'.repeat(100)}\n`;
    const text = reportText('post-render', 1, line.repeat(Math.ceil((2 * MAX_REPORT_BYTES) / Buffer.byteLength(line))));
    assert.ok(Buffer.byteLength(text) <= MAX_REPORT_BYTES);
    assert.match(text, /\n… cut at 1048576 bytes: the rest was printed on stderr only\n$/);
    const body = text.split('\n').slice(1, -2);
    assert.ok(body.every((l) => l === line.slice(0, -1)), 'only whole lines are kept');
  });
});

describe('withReportFile', () => {
  it('writes what went to stderr (which still goes out) and holds stdout until the report is written', inTmp(async (dir) => {
    const io = testIo(dir);
    const code = await withReportFile('post-render', 'r.txt', io, async (tee) => {
      tee.stderr('warning: w\n');
      tee.stdout('---\nkind: A\n');
      assert.equal(io.out, '', 'stdout is held');
      return 0;
    });
    assert.equal(code, 0);
    assert.equal(io.out, '---\nkind: A\n');
    assert.equal(io.err, 'warning: w\n');
    assert.equal(readFileSync(path.join(dir, 'r.txt'), 'utf8'), 'meshplane post-render: exit 0 (clean: the manifests were passed on)\nwarning: w\n');
  }));

  it('writes an error thrown by the run, then throws it on', inTmp(async (dir) => {
    const io = testIo(dir);
    const err = new MeshplaneError('yaml-invalid', '<stdin> is not valid YAML', [], 'fix it');
    await assert.rejects(withReportFile('post-render', 'r.txt', io, async () => { throw err; }), (e) => e === err);
    assert.equal(readFileSync(path.join(dir, 'r.txt'), 'utf8'), 'meshplane post-render: exit 2 (invalid input, usage or internal error: nothing was passed on)\nerror[yaml-invalid]: <stdin> is not valid YAML\n  fix: fix it\n');
  }));

  it('a report that cannot be written: output-unwritable, and nothing on stdout', inTmp(async (dir) => {
    const io = testIo(dir);
    mkdirSync(path.join(dir, 'taken'));
    let ran = false;
    await assert.rejects(withReportFile('post-render', 'taken', io, async (tee) => { ran = true; tee.stdout('x'); return 0; }), (e: unknown) => e instanceof MeshplaneError && e.code === 'output-unwritable');
    assert.equal(ran, false, 'refused before the run');
    await assert.rejects(withReportFile('post-render', 'missing/r.txt', io, async (tee) => { tee.stdout('x'); return 0; }), (e: unknown) => e instanceof MeshplaneError && e.code === 'output-unwritable' && /no such file/.test(e.message));
    assert.equal(io.out, '');
    assert.equal(existsSync(path.join(dir, 'missing')), false);
  }));

  it('an empty path is a usage error', async () => {
    await assert.rejects(withReportFile('post-render', '', testIo(tmpdir()), async () => 0), (e: unknown) => e instanceof MeshplaneError && e.code === 'usage');
  });
});

describe('reportFileOf', () => {
  const cases: ReadonlyArray<readonly [string[], Record<string, string>, string | undefined]> = [
    [['--report-file', 'a.txt'], {}, 'a.txt'],
    [['--report-file=b.txt', '--intent', 'm.yaml'], {}, 'b.txt'],
    [['--report-file', 'a.txt', '--report-file=c.txt'], {}, 'c.txt'],
    [[], { MESHPLANE_REPORT_FILE: 'env.txt' }, 'env.txt'],
    [['--report-file', 'flag.txt'], { MESHPLANE_REPORT_FILE: 'env.txt' }, 'flag.txt'],
    [['--', '--report-file', 'after.txt'], {}, undefined],
    [[], { MESHPLANE_REPORT_FILE: '' }, undefined],
    [['--report-file'], {}, undefined],
  ];
  for (const [words, env, want] of cases) it(`${JSON.stringify(words)} ${JSON.stringify(env)}`, () => assert.equal(reportFileOf(words, env), want));
});

describe('main: an error before post-render runs still reaches the report file', () => {
  const stale = 'meshplane post-render: exit 0 (clean: the manifests were passed on)\nnothing was printed on stderr\n';
  for (const [name, words, env] of [
    ['--report-file and an unknown flag', ['post-render', '--report-file', 'r.txt', '--bogus'], {}],
    ['MESHPLANE_REPORT_FILE and an unknown flag', ['post-render', '--bogus'], { MESHPLANE_REPORT_FILE: 'r.txt' }],
  ] as const) {
    it(name, inTmp(async (dir) => {
      writeFileSync(path.join(dir, 'r.txt'), stale);
      const io = { ...testIo(dir), env: { ...env } };
      const code = await main([...words], io);
      assert.equal(code, 2);
      assert.equal(io.out, '');
      const report = readFileSync(path.join(dir, 'r.txt'), 'utf8');
      assert.match(report, /^meshplane post-render: exit 2 \(invalid input, usage or internal error/);
      assert.ok(report.endsWith(io.err), 'the report holds the error as printed');
    }));
  }

  it('does not write over the report withReportFile wrote for the same error (it holds what was printed before the error)', inTmp(async (dir) => {
    const io = testIo(dir);
    const err = new MeshplaneError('yaml-invalid', 'bad', [], 'fix it');
    await assert.rejects(withReportFile('post-render', 'r.txt', io, async (tee) => { tee.stderr('warning: printed first\n'); throw err; }));
    await reportEarlyError('post-render', ['--report-file', 'r.txt'], io, err);
    assert.match(readFileSync(path.join(dir, 'r.txt'), 'utf8'), /warning: printed first\nerror\[yaml-invalid\]: bad/);
  }));

  it('leaves the report of an error the command itself wrote as the command wrote it (with what it printed before)', inTmp(async (dir) => {
    const io = { ...testIo(dir), readStdin: async () => 'apiVersion: v1\nkind: [\n' };
    const code = await main(['post-render', '--revision', 'asm-1-28', '--kube-version', '1.32', '--report-file', 'r.txt'], io);
    assert.equal(code, 2);
    const report = readFileSync(path.join(dir, 'r.txt'), 'utf8');
    assert.equal(report.split('\n').filter((l) => l.startsWith('error[')).length, 1, report);
    assert.ok(report.endsWith(io.err), 'everything printed, once');
  }));
});
