import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Worker } from 'node:worker_threads';
import { MeshplaneError } from '../core/errors.js';
import { generate } from '../flows/generate.js';
import { sourceFilesFromTexts } from '../pipeline/load.js';
import { meshFiles } from '../../test/helpers/server.js';
import { defaultCore } from './core.js';
import { runTask, transferList } from './render-worker.js';
import { fromWireGenerate, workerCore, WorkerPool } from './worker-pool.js';

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

describe('a render worker out of its heap', () => {
  // A hostile input that stays under the body limit can still need more than a worker's heap
  // (tiny objects cost a few KB each once parsed): the answer is input-too-large (413), not an
  // internal error that calls it a Meshplane bug; the worker is replaced.
  const replaced: string[] = [];
  let pool: WorkerPool;
  before(() => {
    pool = new WorkerPool(1, (detail) => replaced.push(detail), 96);
  });
  after(() => pool.close());

  it('refuses many tiny objects before parsing them, by the estimate of src/pipeline/heap-budget.ts: the worker survives', async () => {
    const items = Array.from({ length: 200_000 }, (_, i) => `- {apiVersion: v1, kind: ConfigMap, metadata: {name: c${i}}}\n`).join('');
    const running = workerCore(pool).postRender({ manifests: `apiVersion: v1\nkind: List\nitems:\n${items}`, revisions: ['asm-1-29'], tags: [], env: {}, kubeVersion: '1.32' });
    await assert.rejects(running, (e: unknown) => e instanceof MeshplaneError && e.code === 'input-too-large' && /YAML nodes .*\(V8 heap limit \d+ MB\)/.test(e.message) && /fewer objects/.test(e.hint ?? '') && !/NODE_OPTIONS/.test(e.hint ?? ''));
    assert.equal(replaced.length, 0, 'no worker ran out of its heap');
  });

  it('fails the task with input-too-large naming the heap when the estimate lets it through, and the replacement serves', async () => {
    // One map of long values: within the estimate (12 bytes a character), while the parse keeps
    // about 24 a character in one map, past the 96 MiB heap.
    const data = Array.from({ length: 9_500 }, (_, i) => `  k${i}: "${'x'.repeat(500)}"\n`).join('');
    const running = workerCore(pool).postRender({ manifests: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: wide}\ndata:\n${data}`, revisions: ['asm-1-29'], tags: [], env: {}, kubeVersion: '1.32' });
    await assert.rejects(running, (e: unknown) => e instanceof MeshplaneError && e.code === 'input-too-large' && /more than the 96 MiB heap a render may use/.test(e.message) && /fewer objects/.test(e.hint ?? ''));
    assert.equal(replaced.length, 1);
    assert.match(replaced[0] ?? '', /memory limit/);
    const again = await workerCore(pool).postRender({ manifests: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n', revisions: ['asm-1-29'], tags: [], env: {}, kubeVersion: '1.32' });
    assert.match(again.output ?? '', /name: a/);
  });
});

describe('a generate result across the thread boundary', () => {
  it('the worker sends the output as UTF-8 bytes, and the main thread reads back the same text', async () => {
    const files = sourceFilesFromTexts(Object.entries(meshFiles({ 'note.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: note, namespace: aks-istio-system}\ndata: {text: "é ✓ 𝄞"}\n' })));
    const local = await generate(files, {}, { format: 'yaml' });
    assert.equal(local.exitClass, 'clean');
    const wire = (await runTask(defaultCore, { id: 1, method: 'generate', args: [files, {}, { format: 'yaml' }] })) as Record<string, unknown>;
    assert.equal(wire.output, undefined, 'the text itself is not cloned');
    const back = fromWireGenerate(wire);
    assert.equal(back.output, local.output);
    assert.equal(back.outputBytes?.equals(Buffer.from(local.output ?? '', 'utf8')), true);
    assert.deepEqual(back.objects, []);
  });

  it('a result without output (violations) has neither bytes nor text', () => {
    const back = fromWireGenerate({ exitClass: 'violations', exitCode: 1, objects: [] });
    assert.equal(back.output, undefined);
    assert.equal(back.outputBytes, undefined);
  });

  // Transferring detaches the buffer for every view of it: only a buffer the bytes own whole may go.
  const whole = new TextEncoder().encode('x'.repeat(100));
  const cases: Array<[string, unknown, number]> = [
    ['bytes that own their buffer', { outputBytes: whole }, 1],
    ['a view into a larger buffer', { outputBytes: new Uint8Array(new ArrayBuffer(64), 8, 16) }, 0],
    ['a view of the start of a larger buffer', { outputBytes: new Uint8Array(new ArrayBuffer(64), 0, 16) }, 0],
    ['a small Buffer (from the shared pool)', { outputBytes: Buffer.from('small') }, 0],
    ['no bytes', { exitCode: 0 }, 0],
    ['not a generate result', 'text', 0],
  ];
  for (const [name, value, n] of cases) it(`transfer list: ${name}`, () => assert.equal(transferList(value).length, n));
});
