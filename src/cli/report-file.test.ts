import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MeshplaneError } from '../core/errors.js';
import type { Io } from './io.js';
import { MAX_REPORT_BYTES, reportText, withReportFile } from './report-file.js';

function testIo(cwd: string): Io & { out: string; err: string } {
  const io = { out: '', err: '', env: {}, cwd, isTTY: false, readStdin: async () => '', stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

function inTmp(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'meshplane-report-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

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
