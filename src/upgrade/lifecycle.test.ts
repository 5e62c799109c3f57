import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog } from '../catalog/catalog.js';
import { MeshplaneError } from '../core/errors.js';
import type { ServiceMesh } from '../intent/types.js';
import { applyDefaults } from '../pipeline/defaults.js';
import { describeMove, finishMove, startMove, type Locate } from './lifecycle.js';
import { planUpgrade } from './plan.js';

const catalog = loadCatalog();
const locate: Locate = (path) => ({ file: 'mesh.yaml', line: path.length, column: 1 });

function mesh(revisions: string[], tags: Record<string, string> = {}, mode: 'Istio' | 'Disabled' = 'Istio'): ServiceMesh {
  return { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'prod' }, spec: { mode, ...(mode === 'Istio' ? { istio: { revisions } } : {}), tags } };
}

function start(intent: ServiceMesh, revision: string, kube = 32, now = '2026-05-01') {
  const p = planUpgrade({ intent: applyDefaults(intent), catalog, kubernetes: { version: `1.${kube}`, minor: kube }, now });
  return startMove(intent, catalog, p, revision, locate);
}

function refusal(fn: () => unknown): MeshplaneError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof MeshplaneError, String(err));
    return err;
  }
  assert.fail('expected a refusal');
}

describe('startMove', () => {
  it('adds an offered revision after the installed one, moving no tag', () => {
    const m = start(mesh(['asm-1-27'], { stable: 'asm-1-27' }), 'asm-1-29');
    assert.deepEqual(m, { verb: 'start', before: ['asm-1-27'], after: ['asm-1-27', 'asm-1-29'], tagMoves: [] });
  });
  const refusals: Array<{ name: string; intent: ServiceMesh; revision: string; message: RegExp; hint: RegExp; now?: string }> = [
    { name: 'a revision outside the catalog', intent: mesh(['asm-1-27']), revision: 'asm-1-99', message: /asm-1-99 is not a revision Meshplane knows/, hint: /asm-1-20, .*asm-1-30/ },
    { name: 'a third revision', intent: mesh(['asm-1-27', 'asm-1-28']), revision: 'asm-1-29', message: /canary upgrade \(asm-1-27 → asm-1-28\) is already in progress; a third revision is not allowed/, hint: /upgrade complete.*upgrade rollback/ },
    { name: 'the installed revision', intent: mesh(['asm-1-27']), revision: 'asm-1-27', message: /already the installed revision/, hint: /upgrade plan/ },
    { name: 'a downgrade', intent: mesh(['asm-1-27']), revision: 'asm-1-26', message: /lower than the installed asm-1-27: downgrades are not allowed/, hint: /rollback/ },
    { name: 'more than two minors ahead', intent: mesh(['asm-1-26']), revision: 'asm-1-29', now: '2026-05-01', message: /not an upgrade target for asm-1-26 on Kubernetes 1\.32 \(Standard tier\) as of 2026-05-01: more than two minors/, hint: /asm-1-27, asm-1-28/ },
    { name: 'an unsupported target', intent: mesh(['asm-1-26']), revision: 'asm-1-28', now: '2026-11-25', message: /not supported: end of life since 2026-08-31/, hint: /offered revisions instead \(asm-1-29\)/ },
    { name: 'a disabled mesh', intent: mesh([], {}, 'Disabled'), revision: 'asm-1-28', message: /the mesh is disabled/, hint: /spec\.mode: Istio/ },
  ];
  for (const c of refusals) {
    it(`refuses ${c.name}`, () => {
      const err = refusal(() => start(c.intent, c.revision, 32, c.now));
      assert.equal(err.code, 'upgrade-refused');
      assert.match(err.message, c.message);
      assert.match(err.details[0]?.hint ?? '', c.hint);
      assert.equal(err.details[0]?.where?.file, 'mesh.yaml', 'the refusal points into mesh.yaml');
    });
  }
});

describe('finishMove', () => {
  const tags = { stable: 'asm-1-27', canary: 'asm-1-28', other: 'asm-1-27' };
  it('complete keeps the higher revision once no tag points at the lower one', () => {
    const m = finishMove(mesh(['asm-1-27', 'asm-1-28'], { stable: 'asm-1-28', canary: 'asm-1-28' }), 'complete', locate);
    assert.deepEqual(m.after, ['asm-1-28']);
    assert.deepEqual(m.tagMoves, []);
    assert.deepEqual(describeMove(m), ['spec.istio.revisions: [asm-1-27, asm-1-28] → [asm-1-28]']);
  });
  // The add-on's upgrade guide (azure-aks-docs articles/aks/istio-upgrade.md, commit fb060ab):
  // point the tag (or the namespace label) at the new revision, restart the workloads, and only
  // then `az aks mesh upgrade complete`. A tag moved in the commit that removes the old revision
  // would skip the restart while the old control plane still runs.
  it('complete is refused while a tag points at the lower revision, naming the tags and the order of steps', () => {
    const err = refusal(() => finishMove(mesh(['asm-1-27', 'asm-1-28'], tags), 'complete', locate));
    assert.equal(err.code, 'upgrade-refused');
    assert.match(err.message, /spec\.tags\.stable, spec\.tags\.other still point at asm-1-27, which `complete` removes/);
    assert.equal(err.details[0]?.path, 'spec.tags.stable');
    assert.match(err.details[0]?.hint ?? '', /set spec\.tags\.stable: asm-1-28, spec\.tags\.other: asm-1-28 \(its own commit\), sync, restart .*--revision asm-1-28.* then run `meshplane upgrade complete` again/);
  });
  it('rollback keeps the lower revision once no tag points at the higher one', () => {
    const m = finishMove(mesh(['asm-1-27', 'asm-1-28'], { stable: 'asm-1-27', canary: 'asm-1-27' }), 'rollback', locate);
    assert.deepEqual(m.after, ['asm-1-27']);
    assert.deepEqual(m.tagMoves, []);
    assert.deepEqual(describeMove(m), ['spec.istio.revisions: [asm-1-27, asm-1-28] → [asm-1-27]']);
  });
  // The same guide's rollback: point the tag (or the label) back at the previous revision, restart
  // the workloads, and only then `az aks mesh upgrade rollback`. Before, rollback moved the tag in
  // the commit that removes the canary's istiod, so the tag's pods kept sidecars of a removed istiod.
  it('rollback is refused while a tag points at the higher revision, naming the tags and the order of steps', () => {
    const err = refusal(() => finishMove(mesh(['asm-1-27', 'asm-1-28'], tags), 'rollback', locate));
    assert.equal(err.code, 'upgrade-refused');
    assert.match(err.message, /^spec\.tags\.canary still points at asm-1-28, which `rollback` removes: the pods of the namespaces that use that tag still run asm-1-28's sidecars$/);
    assert.equal(err.details[0]?.path, 'spec.tags.canary');
    assert.match(err.details[0]?.hint ?? '', /^move the workloads back first, .*: set spec\.tags\.canary: asm-1-27 \(its own commit\), sync, restart .*--revision asm-1-27.* then run `meshplane upgrade rollback` again/);
  });
  it('decides by version, not by list order', () => {
    assert.deepEqual(finishMove(mesh(['asm-1-29', 'asm-1-27']), 'complete', locate).after, ['asm-1-29']);
    assert.throws(() => finishMove(mesh(['asm-1-29', 'asm-1-27'], { t: 'asm-1-27' }), 'complete', locate), /spec\.tags\.t still points at asm-1-27/);
    assert.deepEqual(finishMove(mesh(['asm-1-29', 'asm-1-27']), 'rollback', locate).after, ['asm-1-27']);
    assert.throws(() => finishMove(mesh(['asm-1-29', 'asm-1-27'], { t: 'asm-1-29' }), 'rollback', locate), /spec\.tags\.t still points at asm-1-29, which `rollback` removes/);
  });
  const refusals: Array<{ name: string; intent: ServiceMesh; verb: 'complete' | 'rollback'; message: RegExp }> = [
    { name: 'complete without a canary', intent: mesh(['asm-1-27']), verb: 'complete', message: /no canary upgrade is in progress .*nothing to complete/ },
    { name: 'rollback without a canary', intent: mesh(['asm-1-27']), verb: 'rollback', message: /nothing to roll back/ },
    { name: 'three revisions', intent: mesh(['asm-1-26', 'asm-1-27', 'asm-1-28']), verb: 'complete', message: /holds 3 revisions; the add-on allows at most two/ },
    { name: 'a disabled mesh', intent: mesh([], {}, 'Disabled'), verb: 'rollback', message: /the mesh is disabled/ },
  ];
  for (const c of refusals) {
    it(`refuses ${c.name}`, () => {
      const err = refusal(() => finishMove(c.intent, c.verb, locate));
      assert.equal(err.code, 'upgrade-refused');
      assert.match(err.message, c.message);
      assert.ok(err.details[0]?.hint, 'says how to go on');
    });
  }
});
