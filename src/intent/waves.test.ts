import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceMesh, UpgradeWave } from './types.js';
import { advanceMove, assertAllWavesMoved, assertNoWaveOnCanary, withWavesOnStable } from '../upgrade/wave-moves.js';
import { waveMembers, waveProgress, wavesOf } from './waves.js';

const WAVES: UpgradeWave[] = [
  { tag: 'w1', namespaces: ['docs'] },
  { tag: 'w2', namespaceSelector: { matchLabels: { tier: 'standard' } } },
  { tag: 'w3', namespaces: ['payments'], namespaceSelector: { matchLabels: { tier: 'critical' } } },
];

function mesh(revisions: string[], tags: Record<string, string>): ServiceMesh {
  return { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'm' }, spec: { mode: 'Istio', istio: { revisions }, tags, upgrade: { waves: WAVES } } };
}
const here = () => ({ file: 'mesh.yaml', line: 1, column: 1 });

describe('wavesOf', () => {
  const cases: Array<[string, Record<string, string>, number[]]> = [
    ['docs', {}, [0]],
    ['shop', { tier: 'standard' }, [1]],
    ['shop', { tier: 'standard', other: 'x' }, [1]],
    ['shop', {}, []],
    ['payments', {}, [2]],
    ['ledger', { tier: 'critical' }, [2]],
    ['docs', { tier: 'standard' }, [0, 1]],
  ];
  for (const [name, labels, want] of cases) it(`${name} ${JSON.stringify(labels)} → ${JSON.stringify(want)}`, () => assert.deepEqual(wavesOf(WAVES, { name, labels }), want));
});

describe('waveMembers', () => {
  it('lists names plus selector matches, sorted', () => {
    const known = [{ name: 'shop', labels: { tier: 'standard' } }, { name: 'orders', labels: { tier: 'standard' } }, { name: 'ledger', labels: { tier: 'critical' } }];
    assert.deepEqual(waveMembers(WAVES, known), [['docs'], ['orders', 'shop'], ['ledger', 'payments']]);
  });
});

describe('wave steps', () => {
  const cases: Array<{ name: string; revisions: string[]; tags: Record<string, string>; advances?: string; refused?: RegExp }> = [
    { name: 'first advance moves wave 1', revisions: ['asm-1-28', 'asm-1-29'], tags: { w1: 'asm-1-28', w2: 'asm-1-28', w3: 'asm-1-28' }, advances: 'w1' },
    { name: 'then wave 2', revisions: ['asm-1-28', 'asm-1-29'], tags: { w1: 'asm-1-29', w2: 'asm-1-28', w3: 'asm-1-28' }, advances: 'w2' },
    { name: 'order is the list order, not the tag order', revisions: ['asm-1-28', 'asm-1-29'], tags: { w1: 'asm-1-29', w2: 'asm-1-28', w3: 'asm-1-29' }, advances: 'w2' },
    { name: 'nothing left', revisions: ['asm-1-28', 'asm-1-29'], tags: { w1: 'asm-1-29', w2: 'asm-1-29', w3: 'asm-1-29' }, refused: /every wave is already on the canary asm-1-29/ },
    { name: 'no canary', revisions: ['asm-1-28'], tags: { w1: 'asm-1-28', w2: 'asm-1-28', w3: 'asm-1-28' }, refused: /no canary upgrade is in progress/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const intent = mesh(c.revisions, c.tags);
      if (c.refused) return assert.throws(() => advanceMove(intent, here), c.refused);
      const { move } = advanceMove(intent, here);
      assert.deepEqual(move.tagMoves, [{ tag: c.advances, from: 'asm-1-28', to: 'asm-1-29' }]);
      assert.deepEqual(move.after, move.before);
    });
  }

  it('refuses complete naming every wave behind, and allows it when all moved', () => {
    const behind = mesh(['asm-1-28', 'asm-1-29'], { w1: 'asm-1-29', w2: 'asm-1-28', w3: 'asm-1-28' });
    assert.throws(() => assertAllWavesMoved(behind, here, [['docs'], ['shop'], ['payments']]), /2 of 3 waves have not moved to the canary asm-1-29: wave 2 \(tag w2: shop\) on asm-1-28; wave 3 \(tag w3: payments\) on asm-1-28/);
    assert.doesNotThrow(() => assertAllWavesMoved(mesh(['asm-1-28', 'asm-1-29'], { w1: 'asm-1-29', w2: 'asm-1-29', w3: 'asm-1-29' }), here));
  });

  // azure-aks-docs articles/aks/istio-upgrade.md (fb060ab), rollback: re-tag or relabel back to the
  // previous revision and restart before `az aks mesh upgrade rollback`.
  it('rollback is refused while a wave is on the canary, naming the waves, the edits and the namespaces to restart', () => {
    const moved = mesh(['asm-1-28', 'asm-1-29'], { w1: 'asm-1-29', w2: 'asm-1-29', w3: 'asm-1-28' });
    const members = [['docs'], ['shop'], ['payments']];
    assert.throws(() => assertNoWaveOnCanary(moved, here, members), (err: Error & { details?: Array<{ hint?: string; path?: string }> }) => {
      assert.match(err.message, /^2 of 3 waves are on the canary asm-1-29, which `rollback` removes: wave 1 \(tag w1: docs\); wave 2 \(tag w2: shop\); their pods still run asm-1-29's sidecars$/);
      assert.equal(err.details?.[0]?.path, 'spec.tags.w1');
      assert.match(err.details?.[0]?.hint ?? '', /set spec\.tags\.w1: asm-1-28, spec\.tags\.w2: asm-1-28 \(its own commit\), sync, restart their namespaces \(`meshplane upgrade restart --namespaces docs,shop --revision asm-1-28`\)/);
      return true;
    });
    assert.doesNotThrow(() => assertNoWaveOnCanary(mesh(['asm-1-28', 'asm-1-29'], { w1: 'asm-1-28', w2: 'asm-1-28', w3: 'asm-1-28' }), here));
    assert.doesNotThrow(() => assertNoWaveOnCanary(mesh(['asm-1-29'], { w1: 'asm-1-29', w2: 'asm-1-29', w3: 'asm-1-29' }), here), 'no canary: nothing to gate');
  });

  // A tag no wave is bound to (a canary-testing tag, say) is refused by finishMove too; the wave
  // refusal names it at once, so the user makes one commit of edits, not two rounds of refusals.
  it('rollback and complete refusals also name the tags on the removed revision that no wave is bound to', () => {
    const members = [['docs'], ['shop'], ['payments']];
    const onCanary = mesh(['asm-1-28', 'asm-1-29'], { w1: 'asm-1-29', w2: 'asm-1-28', w3: 'asm-1-28', 'prod-canary': 'asm-1-29', 'prod-stable': 'asm-1-28' });
    assert.throws(() => assertNoWaveOnCanary(onCanary, here, members), (err: Error & { details?: Array<{ hint?: string }> }) => {
      assert.match(err.message, /their pods still run asm-1-29's sidecars; spec\.tags\.prod-canary \(no wave's tag\) points at asm-1-29 too$/);
      assert.match(err.details?.[0]?.hint ?? '', /set spec\.tags\.w1: asm-1-28, spec\.tags\.prod-canary: asm-1-28 \(its own commit\).*--namespaces docs --revision asm-1-28`\) and those that use spec\.tags\.prod-canary \(a tag no namespace uses may be removed instead\)/);
      return true;
    });
    const onStable = mesh(['asm-1-28', 'asm-1-29'], { w1: 'asm-1-29', w2: 'asm-1-29', w3: 'asm-1-28', 'prod-canary': 'asm-1-29', 'prod-stable': 'asm-1-28' });
    assert.throws(() => assertAllWavesMoved(onStable, here, members), (err: Error & { details?: Array<{ hint?: string }> }) => {
      assert.match(err.message, /wave 3 \(tag w3: payments\) on asm-1-28; spec\.tags\.prod-stable \(no wave's tag\) points at asm-1-28 too$/);
      assert.match(err.details?.[0]?.hint ?? '', /; also move spec\.tags\.prod-stable to asm-1-29 \(in its own commit, then restart the namespaces that use it\), then complete$/);
      return true;
    });
  });

  it('start puts the tags not on the stable revision there', () => {
    const intent = mesh(['asm-1-28'], { w1: 'asm-1-28', w2: 'asm-1-27', w3: 'asm-1-28' });
    const move = withWavesOnStable(intent, { verb: 'start', before: ['asm-1-28'], after: ['asm-1-28', 'asm-1-29'], tagMoves: [] });
    assert.deepEqual(move.tagMoves, [{ tag: 'w2', from: 'asm-1-27', to: 'asm-1-28' }]);
  });

  it('progress marks moved waves', () => {
    const p = waveProgress(mesh(['asm-1-29', 'asm-1-28'], { w1: 'asm-1-29', w2: 'asm-1-28', w3: 'asm-1-28' }));
    assert.deepEqual([p.stable, p.canary, p.waves.map((w) => w.moved)], ['asm-1-28', 'asm-1-29', [true, false, false]]);
  });
});
