import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND_LOADERS, findCommand, loadAllCommands } from './index.js';
import { main } from '../main.js';
import type { Io } from '../io.js';

function captureIo(): Io & { out: string; err: string } {
  const io = { out: '', err: '', env: {}, cwd: process.cwd(), isTTY: false, readStdin: async () => '', stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

const COMMANDS = await loadAllCommands();

describe('command registry', () => {
  it('registers each command under its own name', () => assert.deepEqual(COMMANDS.map((c) => c.name), Object.keys(COMMAND_LOADERS)));
  it('returns undefined for unknown names', async () => assert.equal(await findCommand('toString'), undefined));
  for (const c of COMMANDS) {
    it(`${c.name}: summary, usage, examples, --help on stdout`, async () => {
      assert.ok(c.summary.length > 10);
      assert.ok(c.usage.startsWith(`meshplane ${c.name}`), c.usage);
      assert.ok(c.examples.length > 0 && c.examples.every((e) => e.includes(`meshplane ${c.name}`)));
      assert.equal(await findCommand(c.name), c);
      const io = captureIo();
      assert.equal(await main([c.name, '--help'], io), 0);
      assert.match(io.out, /Usage: meshplane/);
      assert.equal(io.err, '');
    });
  }
  it('lists every command in the top-level help', async () => {
    const io = captureIo();
    assert.equal(await main(['--help'], io), 0);
    for (const c of COMMANDS) assert.match(io.out, new RegExp(`\\b${c.name}\\b`));
  });
  it('sends usage to stderr and exits 2 without a command', async () => {
    const io = captureIo();
    assert.equal(await main([], io), 2);
    assert.equal(io.out, '');
  });
});
