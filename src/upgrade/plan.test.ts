import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog } from '../catalog/catalog.js';
import type { ServiceMesh } from '../intent/types.js';
import { applyDefaults } from '../pipeline/defaults.js';
import { planUpgrade, type PlanState, type Step } from './plan.js';
import { formatPlanJson, formatPlanText } from './plan-format.js';

const catalog = loadCatalog();

function mesh(revisions: string[], opts: { tier?: 'Standard' | 'LTS'; mode?: 'Istio' | 'Disabled' } = {}): ServiceMesh {
  const spec = opts.mode === 'Disabled' ? { mode: 'Disabled' as const } : { mode: 'Istio' as const, istio: { revisions } };
  return applyDefaults({ apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'prod' }, spec: { ...spec, cluster: { tier: opts.tier ?? 'Standard' } } });
}

function plan(revisions: string[], kube: number, now: string, opts: Parameters<typeof mesh>[1] = {}) {
  return planUpgrade({ intent: mesh(revisions, opts), catalog, kubernetes: { version: `1.${kube}`, minor: kube }, now });
}

interface Case {
  name: string;
  revisions: string[];
  kube: number;
  now: string;
  tier?: 'Standard' | 'LTS';
  mode?: 'Istio' | 'Disabled';
  state: PlanState;
  targets: Array<[string, Step]>;
  /** Revision → a pattern its not-offered reasons must match. */
  notOffered?: Record<string, RegExp>;
  next: RegExp;
}

const cases: Case[] = [
  {
    name: 'asm-1-26 on 1.32 while supported: n+1 and the n+2 skip',
    revisions: ['asm-1-26'], kube: 32, now: '2026-03-01', state: 'upgradable',
    targets: [['asm-1-27', 'n+1'], ['asm-1-28', 'n+2']],
    notOffered: { 'asm-1-25': /downgrades are not allowed/, 'asm-1-29': /more than two minors above asm-1-26/, 'asm-1-30': /more than two minors/ },
    next: /meshplane upgrade start <revision>` \(asm-1-27 or asm-1-28\)/,
  },
  {
    name: 'asm-1-26 on 1.32 once it and asm-1-27 are unsupported: only the nearest supported revision',
    revisions: ['asm-1-26'], kube: 32, now: '2026-11-25', state: 'upgradable',
    targets: [['asm-1-29', 'nearest-supported']],
    notOffered: { 'asm-1-27': /not supported: end of life since 2026-05-31/, 'asm-1-28': /not supported/, 'asm-1-30': /only the nearest supported revision is offered/ },
    next: /\(asm-1-29\)/,
  },
  {
    name: 'asm-1-26 just past its end of life while asm-1-27 is supported: the usual n+1 / n+2 window',
    revisions: ['asm-1-26'], kube: 32, now: '2026-05-15', state: 'upgradable',
    targets: [['asm-1-27', 'n+1'], ['asm-1-28', 'n+2']],
    notOffered: { 'asm-1-29': /more than two minors/ },
    next: /asm-1-27 or asm-1-28/,
  },
  {
    name: 'asm-1-27 on 1.35 before asm-1-29 ships: the n+2 skip is not released yet',
    revisions: ['asm-1-27'], kube: 35, now: '2026-03-01', state: 'upgradable',
    targets: [['asm-1-28', 'n+1']],
    notOffered: { 'asm-1-29': /not released by AKS until 2026-04-28/ },
    next: /asm-1-28/,
  },
  {
    name: 'asm-1-27 on 1.35 after asm-1-29 ships: both steps',
    revisions: ['asm-1-27'], kube: 35, now: '2026-05-01', state: 'upgradable',
    targets: [['asm-1-28', 'n+1'], ['asm-1-29', 'n+2']],
    next: /asm-1-28 or asm-1-29/,
  },
  {
    name: 'asm-1-27 on 1.36: n+1 does not fit the cluster, the n+2 skip does',
    revisions: ['asm-1-27'], kube: 36, now: '2026-05-01', state: 'upgradable',
    targets: [['asm-1-29', 'n+2']],
    notOffered: { 'asm-1-28': /not compatible with Kubernetes 1\.36: the Standard tier range is 1\.30–1\.35/ },
    next: /asm-1-29/,
  },
  {
    name: 'unsupported asm-1-22 on 1.30: the nearest supported revision needs a newer cluster',
    revisions: ['asm-1-22'], kube: 30, now: '2026-11-25', state: 'blocked',
    targets: [],
    notOffered: { 'asm-1-23': /not supported/, 'asm-1-29': /not compatible with Kubernetes 1\.30/, 'asm-1-30': /beyond asm-1-29/ },
    next: /upgrade the cluster to Kubernetes 1\.31 first \(asm-1-29 needs 1\.31–1\.36\)/,
  },
  {
    name: 'LTS tier: asm-1-24 on 1.28 may move to the LTS-compatible asm-1-25 and asm-1-26',
    revisions: ['asm-1-24'], kube: 28, now: '2025-08-01', tier: 'LTS', state: 'upgradable',
    targets: [['asm-1-25', 'n+1'], ['asm-1-26', 'n+2']],
    next: /asm-1-25 or asm-1-26/,
  },
  {
    name: 'standard tier: the same cluster on 1.28 must upgrade Kubernetes first',
    revisions: ['asm-1-24'], kube: 28, now: '2025-08-01', tier: 'Standard', state: 'blocked',
    targets: [],
    notOffered: { 'asm-1-25': /Standard tier range is 1\.29–1\.33/, 'asm-1-26': /Standard tier range is 1\.29–1\.34/ },
    next: /upgrade the cluster to Kubernetes 1\.29 first/,
  },
  {
    name: 'LTS tier before asm-1-25: no LTS range to move to',
    revisions: ['asm-1-23'], kube: 28, now: '2025-03-01', tier: 'LTS', state: 'blocked',
    targets: [],
    notOffered: { 'asm-1-24': /no LTS compatibility range/, 'asm-1-25': /not released by AKS until 2025-04-27/ },
    next: /no revision can be offered/,
  },
  {
    // AKS release notes 2025-09-21 (Azure/AKS CHANGELOG @ 8d1c890) ship asm-1-27 at 1.27.1, and the
    // support policy gives Sept 2025; the "now available" line came with the notes of 2025-10-12.
    name: 'asm-1-26 on 1.32 once the notes of 2025-09-21 ship asm-1-27: n+1 is offered',
    revisions: ['asm-1-26'], kube: 32, now: '2025-09-25', state: 'upgradable',
    targets: [['asm-1-27', 'n+1']],
    notOffered: { 'asm-1-28': /not released by AKS until 2026-02-08/ },
    next: /\(asm-1-27\)/,
  },
  {
    // AKS release notes 2025-04-27 move asm-1-25 to 1.25.2, so it is out on 2025-04-28.
    name: 'asm-1-24 on 1.30 once the notes of 2025-04-27 ship asm-1-25: n+1 is offered',
    revisions: ['asm-1-24'], kube: 30, now: '2025-04-28', state: 'upgradable',
    targets: [['asm-1-25', 'n+1']],
    notOffered: { 'asm-1-26': /not released by AKS until 2025-07-20/ },
    next: /\(asm-1-25\)/,
  },
  {
    name: 'canary in progress: complete or roll back first',
    revisions: ['asm-1-27', 'asm-1-28'], kube: 32, now: '2026-05-01', state: 'canary',
    targets: [],
    notOffered: { 'asm-1-29': /canary upgrade \(asm-1-27 → asm-1-28\) is in progress/ },
    next: /meshplane upgrade complete` \(keeps asm-1-28, removes asm-1-27\)/,
  },
  {
    name: 'the newest revision has nowhere to go',
    revisions: ['asm-1-30'], kube: 33, now: '2026-08-01', state: 'latest',
    targets: [],
    notOffered: { 'asm-1-29': /downgrades are not allowed/ },
    next: /newest revision in the catalog/,
  },
  {
    // Past the catalog horizon (2026-11-16, src/catalog/horizon.ts) "the newest revision in the
    // catalog" is not the newest AKS has: the plan says so and how to refresh the catalog.
    name: 'the newest revision past the catalog horizon: newer ones are likely out',
    revisions: ['asm-1-30'], kube: 33, now: '2026-12-03', state: 'latest',
    targets: [],
    notOffered: { 'asm-1-29': /downgrades are not allowed/ },
    next: /^asm-1-30 is the newest revision in the catalog, but the catalog knows AKS only up to 2026-08-07 and a newer minor was due by 2026-10-05: AKS has likely released newer ones\nthe revision catalog knows AKS only up to 2026-08-07 and vouches for support until 2026-11-16 \(for asm-1-30, the newest it knows, until 2027-02-04\): .*upgrade Meshplane/,
  },
  {
    // Targets are still offered (the catalog's answer), each with its support marked unverified.
    name: 'targets past the catalog horizon are offered with a refresh step',
    revisions: ['asm-1-28'], kube: 32, now: '2026-12-03', state: 'upgradable',
    targets: [['asm-1-29', 'n+1'], ['asm-1-30', 'n+2']],
    next: /^start the canary with `meshplane upgrade start <revision>` \(asm-1-29 or asm-1-30\).*\nthe revision catalog knows AKS only up to 2026-08-07/,
  },
  {
    name: 'a disabled mesh has no revision to move from',
    revisions: [], kube: 32, now: '2026-05-01', mode: 'Disabled', state: 'disabled',
    targets: [],
    notOffered: { 'asm-1-28': /the mesh is disabled/ },
    next: /spec\.mode: Istio/,
  },
  {
    name: 'three revisions are invalid',
    revisions: ['asm-1-26', 'asm-1-27', 'asm-1-28'], kube: 32, now: '2026-03-01', state: 'invalid',
    targets: [],
    notOffered: { 'asm-1-29': /holds 3 revisions/ },
    next: /remove revisions/,
  },
  {
    name: 'a revision the catalog does not know is invalid',
    revisions: ['asm-1-19'], kube: 27, now: '2026-03-01', state: 'invalid',
    targets: [],
    next: /catalog\/revisions\.yaml/,
  },
];

describe('planUpgrade', () => {
  for (const c of cases) {
    it(c.name, () => {
      const p = plan(c.revisions, c.kube, c.now, { ...(c.tier ? { tier: c.tier } : {}), ...(c.mode ? { mode: c.mode } : {}) });
      assert.equal(p.state, c.state, formatPlanText(p));
      assert.deepEqual(p.targets.map((t) => [t.revision, t.step]), c.targets, formatPlanText(p));
      for (const t of p.targets) assert.ok(t.status.supported && t.status.compatible, `${t.revision} is offered only when supported and compatible`);
      for (const [rev, pattern] of Object.entries(c.notOffered ?? {})) {
        const n = p.notOffered.find((x) => x.revision === rev);
        assert.ok(n, `${rev} is listed as not offered`);
        assert.match(n.reasons.join('; '), pattern);
      }
      assert.match(p.next.join('\n'), c.next);
      const listed = [...p.targets.map((t) => t.revision), ...p.notOffered.map((n) => n.revision), ...c.revisions.filter((r) => p.installed.some((s) => s.revision === r))];
      assert.equal(new Set(listed).size, catalog.revisions.length, 'every catalog revision is accounted for exactly once');
    });
  }
});

describe('plan reports', () => {
  const p = plan(['asm-1-26'], 32, '2026-03-01');
  it('text names the mesh, the cluster, the date, each target with its step, and groups reasons', () => {
    const text = formatPlanText(p);
    assert.match(text, /^mesh prod: Kubernetes 1\.32 \(Standard tier\), as of 2026-03-01\n/);
    assert.match(text, /\n {2}asm-1-27 {2}next minor \(n\+1\); supported/);
    assert.match(text, /\n {2}asm-1-28 {2}skips one minor \(n\+2\); supported/);
    assert.match(text, /\n {2}asm-1-20, asm-1-21, asm-1-22, asm-1-23, asm-1-24, asm-1-25 {2}lower than the installed asm-1-26/);
  });
  it('json is the plan with a fixed key order, and is deterministic', () => {
    const json = formatPlanJson(p);
    const parsed = JSON.parse(json) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed), ['mesh', 'kubernetes', 'tier', 'now', 'catalog', 'state', 'installed', 'targets', 'notOffered', 'next']);
    assert.deepEqual(parsed.catalog, { asOf: '2026-08-07', basis: 'Azure/AKS 8d1c890', nextExpected: '2026-10-05', vouchedUntil: '2026-11-16', stale: false });
    assert.deepEqual((parsed.targets as Array<{ vouched: boolean }>).map((t) => t.vouched), [true, true]);
    assert.deepEqual((parsed.targets as Array<{ revision: string; step: string }>).map((t) => `${t.revision}:${t.step}`), ['asm-1-27:n+1', 'asm-1-28:n+2']);
    assert.equal(formatPlanJson(plan(['asm-1-26'], 32, '2026-03-01')), json);
  });
  it('text and json say when the date is past what the catalog can vouch for', () => {
    // [now, warning line expected, json catalog.stale, json vouched of the targets]
    const cases: Array<[string, boolean, boolean, boolean[]]> = [
      ['2026-11-16', false, false, [true, true]],
      // asm-1-29 is vouched for until 2026-11-16; asm-1-30, the newest, until 2027-02-04.
      ['2026-11-17', true, true, [false, true]],
      ['2027-02-05', true, true, [false, false]],
    ];
    for (const [now, warns, stale, vouched] of cases) {
      const q = plan(['asm-1-28'], 32, now);
      const text = formatPlanText(q);
      assert.equal(/\nwarning: \S+ is past what the revision catalog can vouch for \(it knows AKS up to 2026-08-07, Azure\/AKS 8d1c890; a newer minor was due by 2026-10-05\): support marked "unverified" may have changed\n/.test(text), warns, text);
      assert.equal(/unverified: /.test(text), warns, text);
      const parsed = JSON.parse(formatPlanJson(q)) as { catalog: { stale: boolean }; targets: Array<{ vouched: boolean }> };
      assert.equal(parsed.catalog.stale, stale, now);
      assert.deepEqual(parsed.targets.map((t) => t.vouched), vouched, now);
    }
  });
  it('past the horizon but with nothing unverified (asm-1-30, vouched until 2027-02-04), the warning does not point at "unverified" support', () => {
    // [now, some support shown as unverified]
    const cases: Array<[string, boolean]> = [
      ['2026-12-03', false],
      ['2027-02-04', false],
      ['2027-02-05', true],
    ];
    for (const [now, unverified] of cases) {
      const text = formatPlanText(plan(['asm-1-30'], 33, now));
      assert.equal(/unverified: /.test(text), unverified, text);
      assert.equal(/"unverified"/.test(text), unverified, `no line points at support marked "unverified" unless one is: ${text}`);
      assert.match(text, /\nwarning: \S+ is past what the revision catalog can vouch for .*: (support marked "unverified" may have changed|AKS has likely released revisions it does not list)\n/);
      if (!unverified) assert.match(text, /AKS has likely released revisions it does not list\n[\s\S]*: AKS may offer newer revisions than the ones listed here; upgrade Meshplane/);
    }
  });
});
