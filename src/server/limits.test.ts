import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HttpError } from './errors.js';
import { DEFAULT_LIMITS, RenderGate } from './limits.js';

const limits = { ...DEFAULT_LIMITS, maxConcurrent: 2, maxQueue: 1, retryAfterSeconds: 3 };

function deferred(): { promise: Promise<string>; resolve: (v: string) => void } {
  let resolve: (v: string) => void = () => undefined;
  const promise = new Promise<string>((r) => (resolve = r));
  return { promise, resolve };
}

const far = () => Date.now() + 60_000;
const isCode = (code: string) => (e: unknown) => e instanceof HttpError && e.code === code && e.status === 503;

describe('RenderGate', () => {
  it('runs up to maxConcurrent at once, queues up to maxQueue, refuses the next with Retry-After', async () => {
    const gate = new RenderGate(limits);
    const works = [deferred(), deferred(), deferred()];
    const runs = works.map((w) => gate.run(() => w.promise, far()));
    assert.equal(gate.running, 2);
    assert.equal(gate.queued, 1);
    await assert.rejects(gate.run(async () => 'x', far()), (e: unknown) => isCode('overloaded')(e) && (e as HttpError).headers['retry-after'] === '3');
    works[0]?.resolve('a');
    assert.equal(await runs[0], 'a');
    assert.equal(gate.queued, 0, 'the queued work took the freed slot');
    assert.equal(gate.running, 2);
    works[1]?.resolve('b');
    works[2]?.resolve('c');
    assert.deepEqual(await Promise.all(runs), ['a', 'b', 'c']);
    assert.equal(gate.running, 0);
  });

  it('a queued request past its deadline leaves the queue with deadline-exceeded', async () => {
    const gate = new RenderGate(limits);
    const hold = [deferred(), deferred()];
    const held = hold.map((h) => gate.run(() => h.promise, far()));
    await assert.rejects(gate.run(async () => 'late', Date.now() + 30), isCode('deadline-exceeded'));
    assert.equal(gate.queued, 0);
    hold.forEach((h) => h.resolve('ok'));
    await Promise.all(held);
    assert.equal(gate.running, 0);
  });

  it('work past its deadline is answered at once but holds its slot until it ends', async () => {
    const gate = new RenderGate(limits);
    const slow = deferred();
    await assert.rejects(gate.run(() => slow.promise, Date.now() + 20), isCode('deadline-exceeded'));
    assert.equal(gate.running, 1);
    slow.resolve('done');
    await new Promise((r) => setImmediate(r));
    assert.equal(gate.running, 0);
  });

  it('a late failure of timed-out work is not an unhandled rejection', async () => {
    const seen: unknown[] = [];
    const onUnhandled = (r: unknown) => seen.push(r);
    process.on('unhandledRejection', onUnhandled);
    try {
      const gate = new RenderGate(limits);
      let fail: (e: Error) => void = () => undefined;
      const work = new Promise<string>((_, reject) => (fail = reject));
      await assert.rejects(gate.run(() => work, Date.now() + 10), isCode('deadline-exceeded'));
      fail(new Error('late'));
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(seen, []);
      assert.equal(gate.running, 0);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a client that goes away leaves the queue', async () => {
    const gate = new RenderGate(limits);
    const hold = [deferred(), deferred()];
    const held = hold.map((h) => gate.run(() => h.promise, far()));
    const abort = new AbortController();
    const queued = gate.run(async () => 'never', far(), abort.signal);
    assert.equal(gate.queued, 1);
    abort.abort();
    await assert.rejects(queued);
    assert.equal(gate.queued, 0);
    hold.forEach((h) => h.resolve('ok'));
    await Promise.all(held);
  });
});
