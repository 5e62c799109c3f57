import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { behaves, behaviourFor, behaviourValue, crdsFor, kubeMinor, loadCatalog, newestReleased, revisionMinor } from './catalog.js';

describe('catalog', () => {
  const catalog = loadCatalog();
  it('covers asm-1-20 through asm-1-30 in order', () => {
    assert.deepEqual(catalog.revisions.map((r) => revisionMinor(r.name)), [20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
  });
  it('records a coherent entry for every revision', () => {
    for (const r of catalog.revisions) {
      assert.match(r.istio, new RegExp(`^1\\.${revisionMinor(r.name)}\\.\\d+`), r.name);
      assert.ok(kubeMinor(r.kubernetes.min) <= kubeMinor(r.kubernetes.max), r.name);
      assert.match(r.endOfLife, /^\d{4}-\d{2}-\d{2}$/, r.name);
      assert.ok(r.released < r.endOfLife, r.name);
    }
  });
  it('lists every patch oldest first, the default patch last, each built from its upstream tag after upstream tagged it', () => {
    for (const r of catalog.revisions) {
      assert.ok(r.patches.length > 0, r.name);
      assert.equal(r.patches[r.patches.length - 1]?.version, r.istio, `${r.name}: the default patch is the newest`);
      assert.equal(new Set(r.patches.map((p) => p.version)).size, r.patches.length, `${r.name}: no patch twice`);
      r.patches.forEach((p, i) => {
        assert.ok(p.version === p.upstream || p.version.startsWith(`${p.upstream}-`), `${r.name} ${p.version} is built from ${p.upstream}`);
        assert.match(p.upstream, new RegExp(`^1\\.${revisionMinor(r.name)}\\.\\d+$`), r.name);
        assert.ok(p.upstreamTagged <= p.released, `${r.name} ${p.version}: AKS ships after upstream tags`);
        assert.ok(i === 0 || (r.patches[i - 1]?.released ?? '') <= p.released, `${r.name} ${p.version}: oldest first`);
      });
    }
  });
  it('dates a revision no later than the first release notes that ship a patch of it', () => {
    // Why: `released` gates `upgrade plan` and the fleet timeline ("not released by AKS until");
    // AKS cannot ship a patch of a revision it has not released (asm-1-25 shipped 1.25.2 in the
    // notes of 2025-04-27, asm-1-27 shipped 1.27.1 in those of 2025-09-21).
    for (const r of catalog.revisions) {
      const first = r.patches[0];
      assert.ok(first && r.released <= first.released, `${r.name}: released ${r.released}, but its patch ${first?.version} was announced ${first?.released}`);
    }
  });
  it('records every end of life as the last day of its month', () => {
    // Why: the support policy gives months; the header of catalog/revisions.yaml says a month is
    // recorded as its last day, so the revision is supported through that whole month.
    for (const r of catalog.revisions) {
      const day = new Date(`${r.endOfLife}T00:00:00Z`);
      assert.equal(day.toISOString().slice(0, 10), r.endOfLife, `${r.name}: ${r.endOfLife} is a real date`);
      day.setUTCDate(day.getUTCDate() + 1);
      assert.equal(day.getUTCDate(), 1, `${r.name}: ${r.endOfLife} is not the last day of its month`);
    }
  });
  it('gives an LTS range exactly from asm-1-25, never below Kubernetes 1.28', () => {
    // Why: the support policy has an LTS column only for asm-1-25 and later (AKS release notes of
    // 2025-08-29: LTS compatibility for asm-1-25+ and AKS 1.28+).
    for (const r of catalog.revisions) {
      const lts = r.kubernetesLts;
      assert.equal(lts !== undefined, revisionMinor(r.name) >= 25, `${r.name}: LTS column`);
      if (lts) {
        assert.ok(kubeMinor(lts.min) >= 28 && kubeMinor(lts.min) <= kubeMinor(lts.max), `${r.name}: LTS range ${lts.min}–${lts.max}`);
      }
    }
  });
  it('a pinned behaviour wins over the catalog for its minor only', () => {
    const pinned = { ...catalog, pinnedBehaviour: { 30: { preferredNodeWeightFirst: false, nativeSidecarMinKubernetes: '1.34' } } };
    assert.equal(behaves(catalog, 'preferredNodeWeightFirst', 30), true);
    assert.equal(behaves(pinned, 'preferredNodeWeightFirst', 30), false);
    assert.equal(behaves(pinned, 'preferredNodeWeightFirst', 31), true);
    assert.equal(behaviourValue(pinned, 'nativeSidecarMinKubernetes', 30), '1.34');
    assert.equal(behaviourValue(pinned, 'nativeSidecarMinKubernetes', 29), '1.33');
    assert.deepEqual(Object.keys(behaviourFor(catalog, 30)), Object.keys(catalog.behaviour).sort());
    assert.equal(behaviourFor(catalog, 29).preferredNodeWeightFirst, false);
  });
  it('serves 14 CRDs from 1.22 to 1.29 and 15 from 1.30', () => {
    assert.equal(crdsFor(catalog, 22).length, 14);
    assert.equal(crdsFor(catalog, 29).length, 14);
    assert.equal(crdsFor(catalog, 30).length, 15);
  });
  it('has exactly one storage version per CRD and era', () => {
    for (const minor of [20, 22, 27, 28, 30]) for (const c of crdsFor(catalog, minor)) assert.ok(c.versions.includes(c.storage), `${c.kind}@${minor}`);
  });
  const versions: Array<[string, number]> = [['1.32', 32], ['v1.32.3', 32], ['1.33.1+aks', 33], ['2.1', NaN], ['x', NaN]];
  for (const [v, want] of versions) it(`kubeMinor(${v})`, () => assert.deepEqual(kubeMinor(v), want));
});

describe('compiled catalog copies', () => {
  it('hold exactly the data of every catalog YAML file', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const { packagePath } = await import('../core/paths.js');
    const { compiledPath } = await import('./data-file.js');
    const names = readdirSync(packagePath('catalog')).filter((n) => n.endsWith('.yaml'));
    assert.ok(names.length >= 6);
    for (const name of names) {
      assert.deepEqual(JSON.parse(readFileSync(compiledPath(name), 'utf8')), parse(readFileSync(packagePath('catalog', name), 'utf8')), name);
    }
  });
});

describe('newestReleased', () => {
  const cases = [
    { name: 'before asm-1-30 ships', now: '2026-07-16', expected: ['asm-1-29', 'asm-1-28'] },
    { name: 'the day asm-1-30 ships', now: '2026-07-17', expected: ['asm-1-30', 'asm-1-29'] },
    { name: 'early history', now: '2024-05-01', expected: ['asm-1-21', 'asm-1-20'] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(newestReleased(loadCatalog(), c.now), c.expected));
});
