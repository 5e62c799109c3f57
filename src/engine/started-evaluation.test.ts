import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadJsonnet, type JsonnetVm } from './addon.js';
import { INPUT_CALLBACK, startEvaluation, type StartedEvaluation } from './started-evaluation.js';

/** A snippet that asks for its input the way a native-input bundle does. */
const SNIPPET = `local input = std.parseJson(std.native('${INPUT_CALLBACK}')()); [input.n * 2, std.length(input.s)]`;

function start(text = SNIPPET): StartedEvaluation {
  const started = startEvaluation(new (loadJsonnet())(), text, '/t/bundle.jsonnet');
  assert.ok(started, 'the addon has native callbacks');
  return started;
}

/** Resolves once `check` holds, looking again after each turn of the event loop (the addon's callback needs one). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

describe('startEvaluation', () => {
  it('evaluates with the input supplied before the evaluation asks for it', async () => {
    const started = start();
    const calls: string[] = [];
    started.supply(JSON.stringify({ n: 21, s: 'abc' }), () => calls.push(`running, asked=${started.asked()}`));
    assert.deepEqual(JSON.parse(await started.result), [42, 3]);
    assert.deepEqual(calls, ['running, asked=true'], '`running` waits until the evaluation has its input');
    assert.equal(started.settled(), true);
  });

  it('evaluates with the input supplied after the evaluation asked for it (running is called at once)', async () => {
    const started = start();
    await until(started.asked);
    let ran = false;
    started.supply(JSON.stringify({ n: 1, s: '' }), () => (ran = true));
    assert.equal(ran, true);
    assert.deepEqual(JSON.parse(await started.result), [2, 0]);
  });

  it('a refused evaluation rejects, and frees the addon thread', async () => {
    const started = start();
    started.refuse(new Error('not needed'));
    await assert.rejects(started.result, /not needed/);
    assert.equal(started.settled(), true);
  });

  it('a template error rejects like any evaluation', async () => {
    const started = start(`local input = std.parseJson(std.native('${INPUT_CALLBACK}')()); error 'boom ' + input.n`);
    started.supply('{"n": 7}');
    await assert.rejects(started.result, /boom 7/);
  });

  it('is undefined for an addon without native callbacks', () => {
    const vm = { setMaxStack: () => vm, tlaString: () => vm, evaluateSnippet: async () => '[]' } as unknown as JsonnetVm;
    assert.equal(startEvaluation(vm, SNIPPET, '/t/bundle.jsonnet'), undefined);
  });
});
