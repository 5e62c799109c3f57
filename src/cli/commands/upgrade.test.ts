import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../main.js';
import type { Io } from '../io.js';
import { parseNow } from './upgrade.js';

function captureIo(cwd: string): Io & { out: string; err: string } {
  const io = { out: '', err: '', env: {}, cwd, isTTY: false, readStdin: async () => '', stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

const MESH = 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: m}\nspec:\n  mode: Istio\n  istio:\n    revisions: [asm-1-27]  # keep me\n  cluster: {kubernetesVersion: "1.32"}\n';

describe('parseNow', () => {
  const ok = [
    { name: 'a date', value: '2026-11-25', expected: '2026-11-25' },
    { name: 'a leap day', value: '2028-02-29', expected: '2028-02-29' },
    { name: 'unset means today (UTC)', value: undefined, expected: '2026-01-02' },
  ];
  for (const c of ok) it(c.name, () => assert.equal(parseNow(c.value, new Date('2026-01-02T23:59:00Z')), c.expected));
  for (const bad of ['2026-02-29', '2026-13-01', '26-01-01', '2026-1-1', 'today']) {
    it(`rejects ${bad}`, () => assert.throws(() => parseNow(bad), /--now must be a date written YYYY-MM-DD/));
  }
});

describe('meshplane upgrade (in process)', () => {
  const cases: Array<{ name: string; args: string[]; code: number; err: RegExp; out?: RegExp }> = [
    { name: 'no subcommand', args: [], code: 2, err: /error\[usage\]: meshplane upgrade: say what to do: plan, start <revision>, advance, complete, rollback, status or restart/ },
    { name: 'an unknown subcommand', args: ['finish'], code: 2, err: /unknown subcommand "finish"/ },
    { name: 'start without a revision', args: ['start'], code: 2, err: /upgrade start: name the revision to add: the first argument is the revision/ },
    { name: 'start with a folder where the revision goes', args: ['start', '.'], code: 2, err: /"\." is not a revision name/ },
    { name: 'a flag that does not apply', args: ['complete', '.', '--now', '2026-01-01'], code: 2, err: /--now does not apply to `upgrade complete`/ },
    { name: 'an extra argument', args: ['plan', '.', 'extra'], code: 2, err: /unexpected argument "extra"/ },
    { name: 'a bad --output', args: ['plan', '.', '--output', 'yaml'], code: 2, err: /--output must be one of text, json/ },
    { name: 'rollback without a canary', args: ['rollback', '.'], code: 2, err: /nothing to roll back/ },
    { name: 'plan with --kube-version as a what-if', args: ['plan', '.', '--now', '2026-05-01', '--kube-version', '1.36'], code: 0, err: /^warning: planning for Kubernetes 1\.36 \(--kube-version\), not spec\.cluster\.kubernetesVersion "1\.32"\n$/, out: /asm-1-28 {2}not compatible with Kubernetes 1\.36/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'meshplane-upgrade-unit-'));
      try {
        await writeFile(path.join(dir, 'mesh.yaml'), MESH);
        const io = captureIo(dir);
        assert.equal(await main(['upgrade', ...c.args], io), c.code, io.err);
        assert.match(io.err, c.err);
        if (c.out) assert.match(io.out, c.out);
        else assert.equal(io.out, '');
        assert.equal(await readFile(path.join(dir, 'mesh.yaml'), 'utf8'), MESH);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});
