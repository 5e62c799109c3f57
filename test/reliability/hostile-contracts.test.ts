/**
 * Runs the contract classes' hostile cases (hostile-contracts.ts): each CLI case through the
 * CLI's main() in-process with a captured Io, each server case over real HTTP after the same
 * request without the hostile option was answered (so a cache hit would show). Every case must
 * end with its exit code (or status), stdout as required, no stack trace, no absolute path of
 * this machine, within its time bound.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { listenTest, meshFiles, type TestServer } from '../helpers/server.js';
import { CLI_CONTRACT_CASES, SERVER_CONTRACT_CASES, type CliContractCase } from './hostile-contracts.js';

const temps: string[] = [];
after(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function prepare(c: CliContractCase): { dir: string; args: string[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mp-contract-'));
  temps.push(dir);
  const args = [...c.command];
  for (const [name, files] of Object.entries(c.folders)) {
    const root = path.join(dir, name);
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
    for (let i = 0; i < args.length; i++) if (args[i] === `{${name}}`) args[i] = name;
  }
  return { dir, args };
}

function capture(cwd: string): Io & { out: string; err: string } {
  const io = { out: '', err: '', env: {}, cwd, isTTY: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t), readStdin: async () => '' };
  return io;
}

describe('hostile contract cases', () => {
  it('has at least 15 cases covering every class', () => {
    const all = [...CLI_CONTRACT_CASES, ...SERVER_CONTRACT_CASES];
    assert.ok(all.length >= 15, `${all.length}`);
    assert.deepEqual([...new Set(all.map((c) => c.class))].sort(), ['disabled', 'markdown-cap', 'names', 'secrets', 'server-options']);
  });

  for (const c of CLI_CONTRACT_CASES) {
    it(`${c.class}: ${c.name}`, { timeout: (c.maxSeconds + 30) * 1000 }, async () => {
      const { dir, args } = prepare(c);
      const io = capture(dir);
      const started = Date.now();
      const code = await main(args, io);
      const show = `\n--- stderr ---\n${io.err.slice(0, 2000)}\n--- stdout ---\n${io.out.slice(0, 1000)}`;
      assert.ok(Date.now() - started < c.maxSeconds * 1000, `finished within ${c.maxSeconds} s`);
      assert.equal(code, c.exit, `exit code${show}`);
      if (c.stdout === 'empty') assert.equal(io.out, '', `nothing on stdout${show}`);
      else for (const re of c.stdout) assert.match(io.out, re, `stdout${show}`);
      for (const re of c.stdoutNot ?? []) assert.doesNotMatch(io.out + io.err, re, 'nothing secret printed');
      if (c.stdoutMax !== undefined) assert.ok(io.out.length <= c.stdoutMax, `${io.out.length} characters on stdout`);
      assert.match(io.err, c.stderr, `stderr${show}`);
      assert.doesNotMatch(io.err, /^\s+at .+:\d+:\d+\)?$/m, `no stack trace${show}`);
      assert.doesNotMatch(io.err, /error\[internal\]/, `not an internal error${show}`);
      assert.ok(!io.out.includes(dir) && !io.err.includes(dir), 'no absolute path of this machine');
    });
  }
});

describe('hostile server options', () => {
  let t: TestServer;
  before(async () => {
    t = await listenTest();
  });
  after(() => t.close());
  for (const c of SERVER_CONTRACT_CASES) {
    it(`${c.class}: ${c.name}`, { timeout: 90_000 }, async () => {
      const valid = await request(t.url).post(c.route).send({ files: meshFiles() });
      assert.ok([200, 422].includes(valid.status), `${valid.status}`);
      const r = await request(t.url).post(c.route).send({ files: meshFiles(), ...c.body });
      assert.equal(r.status, c.status, r.text.slice(0, 500));
      assert.match(r.text, c.answer);
      assert.notEqual(r.get('meshplane-cache'), 'hit');
      assert.doesNotMatch(r.text, /\n\s+at |node:internal/);
    });
  }
});
