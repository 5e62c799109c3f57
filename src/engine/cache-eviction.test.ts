/**
 * The engine cache is bounded: once `cacheEntries` distinct inputs were rendered, a new one
 * evicts an old one, and rendering the evicted input again evaluates it again. Written against
 * the public API only (render + stats), so any eviction order (FIFO or LRU) passes, and a cache
 * that never evicts fails.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { JsonnetEngine } from './template-engine.js';

describe('JsonnetEngine cache eviction', () => {
  it('evaluates an input again once more distinct inputs than the bound were rendered', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-evict-'));
    await writeFile(path.join(dir, 'main.jsonnet'), 'function(input) [input]');
    const engine = new JsonnetEngine({ templatesDir: dir, cacheEntries: 2 });
    for (const i of [0, 1, 2]) await engine.render({ i });
    assert.equal(engine.stats.misses, 3);
    assert.deepEqual(await engine.render({ i: 0 }), [{ i: 0 }]);
    assert.equal(engine.stats.misses, 4, 'the first input was evicted and evaluated again');
    assert.equal(engine.stats.hits, 0);
  });
});
