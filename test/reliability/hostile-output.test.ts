/**
 * The output path under hostile conditions that the corpus (one run, one verdict) cannot express:
 * a file system that fills up mid-write, a slow reader that still must get every byte, and a
 * signal while a large output is blocked on a slow reader. The run is `bin/meshplane generate`
 * on a source made large on purpose (2 MB of ConfigMaps), so the output is far bigger than a
 * pipe's buffer (64 KiB on Linux).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN } from '../helpers/cli.js';
import { scrubbedEnv } from './spawn-measured.js';

const INTENT = 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: big}\nspec:\n  mode: Istio\n  istio: {revisions: [asm-1-30]}\n  cluster: {kubernetesVersion: "1.33"}\n';

let dir = '';
let expected = Buffer.alloc(0);

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mp-hostile-output-'));
  mkdirSync(path.join(dir, 'source', 'apps'), { recursive: true });
  writeFileSync(path.join(dir, 'source', 'mesh.yaml'), INTENT);
  const blob = 'x'.repeat(2000);
  const docs = Array.from({ length: 1000 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}, namespace: shop}\ndata: {blob: "${blob}"}\n`);
  writeFileSync(path.join(dir, 'source', 'apps', 'many.yaml'), docs.join('---\n'));
  const r = spawnSync(BIN, ['generate', 'source'], { cwd: dir, env: scrubbedEnv(), maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, String(r.stderr));
  expected = r.stdout;
  assert.ok(expected.length > 2_000_000, `output of ${expected.length} bytes`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `generate source` with stdout on a pipe the test reads by hand. */
function start() {
  return spawn(BIN, ['generate', 'source'], { cwd: dir, env: scrubbedEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('stdout under a hostile reader', () => {
  it('a slow reader gets every byte, identical to a fast one (short writes and EAGAIN are continued)', async () => {
    const child = start();
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => {
      chunks.push(c);
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 2);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.equal(code, 0);
    assert.ok(Buffer.concat(chunks).equals(expected), 'the slow reader received the whole output');
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} while the output is blocked on a slow reader: the process ends by the signal, nothing more is written`, async () => {
      const child = start();
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const first = await new Promise<Buffer>((resolve) => child.stdout.once('data', (c: Buffer) => resolve(c)));
      child.stdout.pause();
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig })));
      child.kill(signal);
      const { code, signal: got } = await ended;
      const rest: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => rest.push(c));
      child.stdout.resume();
      await new Promise((resolve) => child.stdout.on('close', resolve));
      const received = first.length + rest.reduce((n, c) => n + c.length, 0);
      assert.equal(got, signal, `ended by ${signal} (shell status 128+signal), not exit ${code}`);
      assert.ok(received < expected.length, `the output was cut (${received} of ${expected.length} bytes) and the exit status says so`);
      assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
    });
  }

  it('a full file system mid-write: exit 2 with one error line, never exit 0 with a cut file (tmpfs of 64 KiB)', (t) => {
    if (process.getuid?.() !== 0) return t.skip('mounting a tmpfs needs root (CI runs as root)');
    const mnt = path.join(dir, 'full');
    mkdirSync(mnt, { recursive: true });
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
    if (mount.status !== 0) return t.skip(`mount -t tmpfs failed here (a container without CAP_SYS_ADMIN): ${String(mount.stderr).trim()}`);
    try {
      const out = openSync(path.join(mnt, 'out.yaml'), 'w');
      const r = spawnSync(BIN, ['generate', 'source'], { cwd: dir, env: scrubbedEnv(), stdio: ['ignore', out, 'pipe'] });
      closeSync(out);
      assert.equal(r.status, 2, String(r.stderr));
      assert.match(String(r.stderr), /^error\[output-failed\]: no space left/m);
      assert.doesNotMatch(String(r.stderr), /^\s+at /m);
      assert.ok(statSync(path.join(mnt, 'out.yaml')).size <= 64 * 1024);
      assert.ok(expected.subarray(0, 100).equals(readFileSync(path.join(mnt, 'out.yaml')).subarray(0, 100)));
    } finally {
      spawnSync('umount', [mnt]);
    }
  });
});
