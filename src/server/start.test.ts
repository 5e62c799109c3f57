import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultCore, type ServerCore, type ServerGenerateResult } from './core.js';
import { startServer } from './start.js';

describe('startServer shutdown', () => {
  it('waits for the warm-up renders before it closes the core (a worker terminated mid-evaluation aborts the process)', async () => {
    const events: string[] = [];
    let release: () => void = () => undefined;
    const warmDone = new Promise<void>((resolve) => (release = resolve));
    const real = defaultCore.generate;
    const core: ServerCore = {
      ...defaultCore,
      generate: async (files, env, flags): Promise<ServerGenerateResult> => {
        await warmDone;
        events.push('warm-up render ended');
        return real(files, env, flags);
      },
      close: async () => {
        events.push('core closed');
      },
    };
    const s = await startServer({ host: '127.0.0.1', port: 0, core });
    const stopped = s.shutdown('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(events, [], 'the core stays open while the warm-up renders');
    release();
    await stopped;
    assert.deepEqual(events, ['warm-up render ended', 'core closed']);
    assert.equal(await s.warm, true);
  });
});
