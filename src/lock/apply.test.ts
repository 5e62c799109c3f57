import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { behaves, findRevision, loadCatalog, type Catalog } from '../catalog/catalog.js';
import { MeshplaneError } from '../core/errors.js';
import { parseSourceFile } from '../pipeline/load.js';
import { applyLock } from './apply.js';
import { findLock, formatLock } from './lock-file.js';
import { makeLock } from './make.js';

const shipped = loadCatalog();

function lockFor(revisions: string[], edit: (t: string) => string = (t) => t) {
  const text = edit(formatLock(makeLock({ catalog: shipped, revisions }).lock));
  return findLock(parseSourceFile({ path: 'meshplane.lock.yaml', text }));
}

/** The shipped catalog with one patch of one revision changed. */
function withPatch(name: string, change: (c: Catalog) => void): Catalog {
  const c = structuredClone(shipped);
  change(c);
  assert.ok(findRevision(c, name));
  return c;
}

describe('applyLock', () => {
  it('without a lock: the catalog as is, and a notice to lock', () => {
    const r = applyLock({ catalog: shipped, lock: undefined, revisions: ['asm-1-30'], now: new Date('2026-12-01') });
    assert.equal(r.catalog, shipped);
    assert.match(r.notices[0]?.message ?? '', /no meshplane\.lock\.yaml.*asm-1-30 → 1\.30\.2-2.*meshplane lock/);
  });
  it('pins patch and behaviour over a catalog that moved both', () => {
    const moved = withPatch('asm-1-30', (c) => {
      const e = findRevision(c, 'asm-1-30')!;
      e.patches.push({ version: '1.30.3-1', released: '2026-08-20', upstream: '1.30.3', upstreamTagged: '2026-07-16' });
      e.istio = '1.30.3-1';
      c.behaviour.preferredNodeWeightFirst = { since: 31 };
    });
    const r = applyLock({ catalog: moved, lock: lockFor(['asm-1-30']), revisions: ['asm-1-30'], now: new Date('2026-12-01') });
    assert.equal(findRevision(r.catalog, 'asm-1-30')?.istio, '1.30.2-2');
    assert.equal(behaves(r.catalog, 'preferredNodeWeightFirst', 30), true);
    assert.match(r.notices.map((n) => n.message).join('\n'), /newest 1\.30\.3-1/);
  });
  it('a withdrawn patch fails with the newest patch as the fix', () => {
    const withdrawn = withPatch('asm-1-29', (c) => {
      findRevision(c, 'asm-1-29')!.patches.find((p) => p.version === '1.29.5-2')!.endOfSupport = '2026-08-01';
      findRevision(c, 'asm-1-29')!.patches.push({ version: '1.29.6-1', released: '2026-08-01', upstream: '1.29.6', upstreamTagged: '2026-07-16' });
      findRevision(c, 'asm-1-29')!.istio = '1.29.6-1';
    });
    assert.throws(() => applyLock({ catalog: withdrawn, lock: lockFor(['asm-1-29']), revisions: ['asm-1-29'], now: new Date('2026-08-02') }), (err: unknown) => {
      assert.ok(err instanceof MeshplaneError);
      assert.equal(err.code, 'lock-unusable');
      assert.match(err.details[0]?.message ?? '', /out of support since 2026-08-01 \(AKS withdrew this patch\)/);
      assert.match(err.details[0]?.hint ?? '', /meshplane upgrade patch.*1\.29\.6-1/);
      assert.equal(err.details[0]?.where?.line, 9);
      return true;
    });
  });
  it('an expected (not confirmed) end of life does not stop the render', () => {
    const r = applyLock({ catalog: shipped, lock: lockFor(['asm-1-28']), revisions: ['asm-1-28'], now: new Date('2026-12-01') });
    assert.equal(findRevision(r.catalog, 'asm-1-28')?.istio, '1.28.9-2');
  });
  it('reports a stale digest, an unpinned revision and an unused pin', () => {
    const lock = lockFor(['asm-1-29'], (t) => t.replace('"1.29.5-2"', '"1.29.4"'));
    const r = applyLock({ catalog: shipped, lock, revisions: ['asm-1-29', 'asm-1-30'], now: new Date('2026-08-01') });
    const text = r.notices.map((n) => `${n.level} ${n.where?.line ?? '-'} ${n.message}`).join('\n');
    assert.match(text, /^warning \d+ the digest of meshplane\.lock\.yaml does not match/m);
    assert.match(text, /^warning \d+ asm-1-30 is not pinned/m);
    assert.match(text, /^warning 9 asm-1-29 is locked to Istio 1\.29\.4; this Meshplane knows a newer patch, newest 1\.29\.5-2/m);
    const unused = applyLock({ catalog: shipped, lock: lockFor(['asm-1-29', 'asm-1-30']), revisions: ['asm-1-30'], now: new Date('2026-08-01') });
    assert.match(unused.notices.map((n) => n.message).join('\n'), /pins asm-1-29, which mesh\.yaml does not install/);
  });
});
