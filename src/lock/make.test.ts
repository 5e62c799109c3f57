import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { behaviourFor, loadCatalog, revisionMinor } from '../catalog/catalog.js';
import { sealLock, type MeshLock } from './lock-file.js';
import { makeLock } from './make.js';

const catalog = loadCatalog();

/** A lock with these patches; behaviour as the catalog has it, or none (`bare`). */
function existing(pins: Record<string, { istio: string; bare?: boolean }>): MeshLock {
  const revisions = Object.fromEntries(Object.entries(pins).map(([n, p]) => [n, { istio: p.istio, behaviour: p.bare ? {} : behaviourFor(catalog, revisionMinor(n)) }]));
  return sealLock({ apiVersion: 'meshplane.io/v1alpha1', kind: 'MeshplaneLock', revisions });
}

describe('makeLock', () => {
  const cases: Array<{ name: string; revisions: string[]; old?: MeshLock; update?: boolean; istio: Record<string, string>; changes: RegExp[]; unknown?: string[] }> = [
    { name: 'pins every revision at the default patch', revisions: ['asm-1-29', 'asm-1-28'], istio: { 'asm-1-28': '1.28.9-2', 'asm-1-29': '1.29.5-2' }, changes: [/^pinned asm-1-28 to Istio 1\.28\.9-2$/, /^pinned asm-1-29/] },
    { name: 'keeps an older pin and adds missing behaviour', revisions: ['asm-1-29'], old: existing({ 'asm-1-29': { istio: '1.29.2-1', bare: true } }), istio: { 'asm-1-29': '1.29.2-1' }, changes: [/^asm-1-29: pinned cniChaining, /] },
    { name: '--update re-pins the patch', revisions: ['asm-1-29'], old: existing({ 'asm-1-29': { istio: '1.29.2-1' } }), update: true, istio: { 'asm-1-29': '1.29.5-2' }, changes: [/^asm-1-29: Istio 1\.29\.2-1 → 1\.29\.5-2$/] },
    { name: 'drops revisions the intent no longer installs', revisions: ['asm-1-30'], old: existing({ 'asm-1-29': { istio: '1.29.5-2' } }), istio: { 'asm-1-30': '1.30.2-2' }, changes: [/^pinned asm-1-30/, /^dropped asm-1-29/] },
    { name: 'leaves unknown revisions unpinned', revisions: ['asm-1-99'], istio: {}, changes: [], unknown: ['asm-1-99'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const made = makeLock({ catalog, revisions: c.revisions, existing: c.old, update: c.update });
      assert.deepEqual(Object.fromEntries(Object.entries(made.lock.revisions).map(([n, p]) => [n, p.istio])), c.istio);
      assert.equal(made.changes.length, c.changes.length, made.changes.join('\n'));
      c.changes.forEach((re, i) => assert.match(made.changes[i] ?? '', re));
      assert.deepEqual(made.unknown, c.unknown ?? []);
    });
  }
  it('is a fixed point: making the lock again from its own output changes nothing', () => {
    const first = makeLock({ catalog, revisions: ['asm-1-28', 'asm-1-29'] }).lock;
    const second = makeLock({ catalog, revisions: ['asm-1-28', 'asm-1-29'], existing: first });
    assert.deepEqual(second.changes, []);
    assert.equal(second.lock.digest, first.digest);
  });
});
