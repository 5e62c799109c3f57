import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog } from '../catalog/catalog.js';
import { findLock, formatLock, lockDigest, sealLock, type LockBody } from './lock-file.js';
import { applyBumpsToText, bumpedLock, planPatchBumps, pullRequestText } from './patch-bump.js';
import { parseSourceFile } from '../pipeline/load.js';

const catalog = loadCatalog();
const lockOf = (pins: Record<string, string>): LockBody => ({ apiVersion: 'meshplane.io/v1alpha1', kind: 'MeshplaneLock', revisions: Object.fromEntries(Object.entries(pins).map(([n, istio]) => [n, { istio, behaviour: { cniChaining: true } }])) });

describe('planPatchBumps', () => {
  const cases: Array<[string, Record<string, string>, Array<[string, string, string, string[]]>]> = [
    ['newest already: nothing', { 'asm-1-30': '1.30.2-2' }, []],
    ['older: to the newest, naming the skipped ones', { 'asm-1-27': '1.27.1' }, [['asm-1-27', '1.27.1', '1.27.9-6', ['1.27.4', '1.27.9-2']]]],
    ['one step', { 'asm-1-29': '1.29.4' }, [['asm-1-29', '1.29.4', '1.29.5-2', []]]],
    ['a revision the catalog does not know: left alone', { 'asm-1-99': '1.99.0' }, []],
  ];
  for (const [name, pins, want] of cases) {
    it(name, () => assert.deepEqual(planPatchBumps(catalog, lockOf(pins)).map((b) => [b.revision, b.from, b.to.version, b.skipped]), want));
  }
});

describe('applyBumpsToText', () => {
  it('changes only the istio value and the digest, keeping comments', () => {
    const lock = sealLock(lockOf({ 'asm-1-29': '1.29.4' }));
    const text = formatLock(lock).replace('    istio: "1.29.4"', '    istio: "1.29.4" # kept\n    # a note') ;
    const bumps = planPatchBumps(catalog, lock);
    const after = bumpedLock(lock, bumps);
    const out = applyBumpsToText('meshplane.lock.yaml', text, bumps, after);
    assert.equal(out, text.replace('"1.29.4" # kept', '"1.29.5-2" # kept').replace(lock.digest, after.digest));
    const reread = findLock(parseSourceFile({ path: 'meshplane.lock.yaml', text: out }));
    assert.equal(reread?.lock.digest, lockDigest(reread!.lock), 'the new digest matches the new pins');
  });
  it('refuses a lock whose istio value is not a plain scalar', () => {
    const lock = sealLock(lockOf({ 'asm-1-29': '1.29.4' }));
    const text = formatLock(lock).replace('    istio: "1.29.4"', '    istio: &p "1.29.4"\n    x: *p');
    const bumps = planPatchBumps(catalog, lock);
    assert.throws(() => applyBumpsToText('meshplane.lock.yaml', text, bumps, bumpedLock(lock, bumps)), /cannot be edited in place/);
  });
});

describe('pullRequestText', () => {
  it('names each revision, both patches and the images in the title and body', () => {
    const bumps = planPatchBumps(catalog, lockOf({ 'asm-1-29': '1.29.4' }));
    const pr = pullRequestText('clusters/prod/meshplane.lock.yaml', 'clusters/prod', bumps);
    assert.equal(pr.title, 'mesh: bump Istio patch asm-1-29 1.29.4 → 1.29.5-2');
    assert.match(pr.body, /^\| asm-1-29 \| 1\.29\.4 \| 1\.29\.5-2 \| 2026-07-17 \| 1\.29\.5 \(2026-06-24\) \| – \|$/m);
    assert.match(pr.body, /proxyv2:1\.29\.4-distroless` → `mcr\.microsoft\.com\/oss\/istio\/proxyv2:1\.29\.5-2-distroless/);
    assert.match(pr.body, /--path clusters\/prod/);
  });
});
