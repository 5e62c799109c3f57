import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Worker } from 'node:worker_threads';
import { MeshplaneError } from '../core/errors.js';
import { generate } from '../flows/generate.js';
import { sourceFilesFromTexts } from '../pipeline/load.js';
import { meshFiles } from '../../test/helpers/server.js';
import { workerCore, WorkerPool } from './worker-pool.js';

describe('render workers', () => {
  const replaced: string[] = [];
  let pool: WorkerPool;
  before(() => {
    pool = new WorkerPool(1, (detail) => replaced.push(detail));
  });
  after(() => pool.close());

  it('a render in a worker answers what the in-process core answers (objects stay in the worker)', async () => {
    const files = sourceFilesFromTexts(Object.entries(meshFiles()));
    const core = workerCore(pool);
    const [remote, local] = await Promise.all([core.generate(files, {}, { format: 'yaml' }), generate(files, {}, { format: 'yaml' })]);
    assert.equal(remote.output, local.output);
    assert.deepEqual(remote.report, local.report);
    assert.deepEqual(remote.objects, []);
    assert.equal(core.parallelism, 1);
  });

  it('a MeshplaneError crosses the thread boundary with its code, details and hint', async () => {
    const files = sourceFilesFromTexts([['mesh.yaml', 'a: [\n']]);
    await assert.rejects(workerCore(pool).generate(files, {}, { format: 'yaml' }), (e: unknown) => e instanceof MeshplaneError && e.code === 'yaml-invalid' && e.details[0]?.where?.file === 'mesh.yaml' && typeof e.hint === 'string');
  });

  it('a worker that dies fails only its task and is replaced', async () => {
    const files = sourceFilesFromTexts(Object.entries(meshFiles({ 'x.yaml': '# unique input' })));
    const running = workerCore(pool).generate(files, {}, { format: 'yaml' });
    const slots = (pool as unknown as { slots: Array<{ worker: Worker }> }).slots;
    await slots[0]?.worker.terminate();
    await assert.rejects(running, /render worker exited/);
    assert.equal(replaced.length, 1);
    const again = await workerCore(pool).generate(sourceFilesFromTexts(Object.entries(meshFiles())), {}, { format: 'yaml' });
    assert.equal(again.exitClass, 'clean', 'the replacement worker renders');
  });
});
