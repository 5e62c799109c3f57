import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findRevision, loadCatalog } from '../catalog/catalog.js';
import { revisionStatus, type ClusterTarget } from './support.js';

const catalog = loadCatalog();
const standard = (minor: number): ClusterTarget => ({ version: `1.${minor}`, minor, tier: 'Standard' });
const lts = (minor: number): ClusterTarget => ({ version: `1.${minor}`, minor, tier: 'LTS' });

describe('revisionStatus', () => {
  const cases: Array<{ name: string; revision: string; cluster: ClusterTarget; now: string; supported: boolean; support: RegExp; compatible: boolean; compatibility: RegExp }> = [
    { name: 'inside its support window', revision: 'asm-1-27', cluster: standard(32), now: '2026-05-01', supported: true, support: /^supported until 2026-05-31$/, compatible: true, compatibility: /1\.29–1\.35 \(Standard tier\)/ },
    { name: 'the day of its end of life is still supported', revision: 'asm-1-27', cluster: standard(32), now: '2026-05-31', supported: true, support: /until 2026-05-31/, compatible: true, compatibility: /compatible/ },
    { name: 'past a published end of life', revision: 'asm-1-27', cluster: standard(32), now: '2026-06-01', supported: false, support: /^end of life since 2026-05-31$/, compatible: true, compatibility: /compatible/ },
    { name: 'not released yet', revision: 'asm-1-29', cluster: standard(32), now: '2026-04-27', supported: false, support: /not released by AKS until 2026-04-28/, compatible: true, compatibility: /1\.31–1\.36/ },
    { name: 'estimated EOL passed but one of the two newest', revision: 'asm-1-29', cluster: standard(32), now: '2026-11-25', supported: true, support: /two newest revisions/, compatible: true, compatibility: /compatible/ },
    { name: 'estimated EOL passed and not among the two newest', revision: 'asm-1-28', cluster: standard(32), now: '2026-11-25', supported: false, support: /end of life since 2026-08-31 \(estimated\)/, compatible: true, compatibility: /compatible/ },
    { name: 'cluster newer than the range', revision: 'asm-1-28', cluster: standard(36), now: '2026-05-01', supported: true, support: /supported/, compatible: false, compatibility: /^not compatible with Kubernetes 1\.36: the Standard tier range is 1\.30–1\.35$/ },
    { name: 'LTS range wider than standard', revision: 'asm-1-25', cluster: lts(28), now: '2025-06-01', supported: true, support: /supported/, compatible: true, compatibility: /1\.28–1\.33 \(LTS tier\)/ },
    { name: 'standard range excludes the LTS-only minor', revision: 'asm-1-25', cluster: standard(28), now: '2025-06-01', supported: true, support: /supported/, compatible: false, compatibility: /Standard tier range is 1\.29–1\.33/ },
    { name: 'no LTS range before asm-1-25', revision: 'asm-1-24', cluster: lts(28), now: '2025-06-01', supported: true, support: /supported/, compatible: false, compatibility: /no LTS compatibility range/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const entry = findRevision(catalog, c.revision);
      assert.ok(entry);
      const s = revisionStatus(catalog, entry, c.cluster, c.now);
      assert.equal(s.revision, c.revision);
      assert.equal(s.supported, c.supported, s.support);
      assert.match(s.support, c.support);
      assert.equal(s.compatible, c.compatible, s.compatibility);
      assert.match(s.compatibility, c.compatibility);
    });
  }
});

describe('revisionStatus past the catalog horizon', () => {
  // The shipped catalog knows AKS up to 2026-08-07 (Azure/AKS 8d1c890) and vouches for expected
  // dates and "one of the two newest" until 2026-11-16 (src/catalog/horizon.ts). After that day
  // the answer stays the catalog's, but it says it is unverified and why.
  // [revision, now, supported, vouched, support pattern]
  const cases: Array<[string, string, boolean, boolean, RegExp]> = [
    ['asm-1-29', '2026-11-16', true, true, /^its estimated end of life 2026-09-30 has passed, but the support policy keeps the two newest revisions supported$/],
    ['asm-1-29', '2026-11-17', true, false, /two newest revisions supported; unverified: Meshplane's revision catalog knows AKS up to 2026-08-07 \(Azure\/AKS 8d1c890\); a minor newer than asm-1-30 was due by 2026-10-05 .* cannot vouch for this after 2026-11-16$/],
    // The newest the catalog knows: vouched for one expected release gap longer (2027-02-04).
    ['asm-1-30', '2026-12-03', true, true, /^supported until 2026-12-31 \(estimated\)$/],
    ['asm-1-30', '2027-02-05', true, false, /two newest revisions supported; unverified: .*the second minor after asm-1-30, which makes it n-2, was due by 2026-12-24 .* cannot vouch for this after 2027-02-04$/],
    ['asm-1-30', '2026-11-01', true, true, /^supported until 2026-12-31 \(estimated\)$/],
    // An unsupported answer claims no support: nothing to verify.
    ['asm-1-28', '2026-12-03', false, true, /^end of life since 2026-08-31 \(estimated\)$/],
    ['asm-1-27', '2026-12-03', false, true, /^end of life since 2026-05-31$/],
  ];
  for (const [revision, now, supported, vouched, support] of cases) {
    it(`${revision} on ${now}`, () => {
      const entry = findRevision(catalog, revision);
      assert.ok(entry);
      const s = revisionStatus(catalog, entry, standard(32), now);
      assert.deepEqual([s.supported, s.vouched], [supported, vouched], s.support);
      assert.match(s.support, support);
    });
  }
});
