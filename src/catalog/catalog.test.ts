import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { crdsFor, kubeMinor, loadCatalog, revisionMinor } from './catalog.js';

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
