/**
 * Fault tests. A `generate` killed mid-render (SIGTERM, SIGINT, SIGKILL at several points) leaves
 * NO partial stdout: either nothing or the complete output, never a prefix, because commands
 * write stdout once, at the end (proved in-process below by counting writes). A reader that
 * closes stdout early gets a one-line error, not a stack trace. The server part (client
 * disconnects mid-request, a burst beyond the queue) is in server-faults.test.ts.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { BIN, REPO_ROOT } from '../helpers/cli.js';
import { runMeasured, scrubbedEnv } from './spawn-measured.js';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'canary');

/** An Io that records every stdout write separately. */
function recordingIo(stdin = ''): Io & { writes: string[]; err: string } {
  const io = { writes: [] as string[], err: '', env: {}, cwd: REPO_ROOT, isTTY: false, stdout: (t: string) => void io.writes.push(t), stderr: (t: string) => void (io.err += t), readStdin: async () => stdin };
  return io;
}

describe('commands write stdout once, at the end', () => {
  it('generate: one write holding every object on success', async () => {
    const io = recordingIo();
    assert.equal(await main(['generate', EXAMPLE], io), 0, io.err);
    assert.equal(io.writes.length, 1);
    assert.ok((io.writes[0] ?? '').split('\n---\n').length > 50);
  });

  it('generate: no write at all on an error or a violation', async () => {
    for (const args of [[path.join(REPO_ROOT, 'test', 'cases', 'hostile', 'type-mode-enum', 'source')], [path.join(REPO_ROOT, 'test', 'cases', 'hostile', 'generate-forbidden-kind-json', 'source')]]) {
      const io = recordingIo();
      assert.notEqual(await main(['generate', ...args], io), 0);
      assert.deepEqual(io.writes, [], args[0]);
    }
  });

  it('post-render: one write on success, none on a violation', async () => {
    const ok = recordingIo('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: shop}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: shop}\n');
    assert.equal(await main(['post-render', '--intent', path.join(EXAMPLE, 'mesh.yaml')], ok), 0, ok.err);
    assert.equal(ok.writes.length, 1);
    const bad = recordingIo(await readFile(path.join(REPO_ROOT, 'test', 'cases', 'hostile', 'post-render-forbidden-kind', 'source', 'stdin.yaml'), 'utf8'));
    assert.equal(await main(['post-render', '--intent', path.join(EXAMPLE, 'mesh.yaml')], bad), 1);
    assert.deepEqual(bad.writes, []);
  });
});

describe('a killed generate leaves no partial stdout', () => {
  let expected = '';
  let fullMs = 0;
  before(async () => {
    const r = await runMeasured(['generate', EXAMPLE], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    expected = r.stdout;
    fullMs = r.elapsedMs;
  });

  /** Kill points as fractions of a full run: start-up, loading, rendering, checking. */
  const FRACTIONS = [0.1, 0.3, 0.5, 0.7];
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGKILL'] as const) {
    it(`${signal} at ${FRACTIONS.length} points: stdout is empty or complete, never a prefix`, { timeout: 120_000 }, async () => {
      let interrupted = 0;
      for (const f of FRACTIONS) {
        const delay = Math.round(fullMs * f);
        const r = await killAfter(['generate', EXAMPLE], signal, delay);
        if (r.signal !== null) {
          assert.ok(r.stdout === '' || r.stdout === expected, `${signal} after ${delay} ms left ${r.stdout.length} of ${expected.length} bytes on stdout`);
          if (r.stdout === '') interrupted++;
        } else {
          assert.equal(r.code, 0, `finished before the ${signal}: ${r.stderr}`);
          assert.equal(r.stdout, expected, 'a finished run printed everything');
        }
      }
      assert.ok(interrupted >= 1, `at least one ${signal} landed mid-run (full run: ${Math.round(fullMs)} ms)`);
    });
  }
});

/** Spawns bin/meshplane and sends `signal` after `delayMs`. */
function killAfter(args: string[], signal: NodeJS.Signals, delayMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { env: scrubbedEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill(signal), delayMs);
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      clearTimeout(guard);
      resolve({ code, signal: sig, stdout, stderr });
    });
  });
}

describe('a reader that closes stdout early', () => {
  it('gets a one-line error and exit 2, not a stack trace', { timeout: 60_000 }, async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(BIN, ['generate', EXAMPLE], { env: scrubbedEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error\[output-closed\]/m);
    assert.match(r.stderr, /^\s*fix: /m);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  });
});
