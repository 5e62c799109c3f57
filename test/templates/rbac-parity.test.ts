/**
 * istiod's RBAC, rule for rule, against upstream's istio-discovery chart at the tag of each
 * revision's Istio minor. The expectation is test/templates/fixtures/istiod-rbac-upstream.yaml,
 * facts written down from the chart (file and tags named there), never our own output; the
 * only tolerated differences are the `keptDifferences` listed there and explained in
 * docs/control-plane.md.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadCatalog } from '../../src/catalog/catalog.js';
import type { KubeObject } from '../../src/core/types.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { find, renderMesh } from '../helpers/mesh-render.js';

interface Facts {
  tags: string[];
  roles: Record<string, { base: string[]; changes: Record<string, { add?: string[]; remove?: string[] }> }>;
  keptDifferences: Array<{ id: string; role: string; absentUnless: string }>;
}
interface Rule { apiGroups?: string[]; resources?: string[]; verbs: string[] }

const FACTS = parse(readFileSync(path.join(REPO_ROOT, 'test/templates/fixtures/istiod-rbac-upstream.yaml'), 'utf8')) as Facts;

/** "a,b | r | v" → triples "a|r|v". */
function triples(line: string): string[] {
  const [groups, resources, verbs] = line.split('|').map((p) => p.trim().split(',').map((x) => x.trim()));
  assert.ok(groups && resources && verbs, `fact line has three parts: ${line}`);
  return groups.flatMap((g) => resources.flatMap((r) => verbs.map((v) => `${g === 'core' ? '' : g}|${r}|${v}`)));
}

/** The role's triples at `tag`: the base, then every change up to and including the tag. */
function upstreamAt(role: string, tag: string): Set<string> {
  const facts = FACTS.roles[role];
  assert.ok(facts, `facts for ${role}`);
  const out = new Set(facts.base.flatMap(triples));
  for (const t of FACTS.tags.slice(0, FACTS.tags.indexOf(tag) + 1)) {
    const change = facts.changes[t];
    for (const x of (change?.remove ?? []).flatMap(triples)) assert.ok(out.delete(x), `${role} @${t}: removes ${x}, which the tag before did not grant`);
    for (const x of (change?.add ?? []).flatMap(triples)) out.add(x);
  }
  return out;
}

function ruleTriples(rules: Rule[]): Set<string> {
  return new Set(rules.flatMap((r) => (r.apiGroups ?? []).flatMap((g) => (r.resources ?? []).flatMap((res) => r.verbs.map((v) => `${g}|${res}|${v}`)))));
}

function diff(ours: Set<string>, upstream: Set<string>): { extra: string[]; missing: string[] } {
  return { extra: [...ours].filter((x) => !upstream.has(x)).sort(), missing: [...upstream].filter((x) => !ours.has(x)).sort() };
}

const catalog = loadCatalog();

describe('the upstream RBAC facts', () => {
  it('cover one tag per catalog minor, equal to the Istio version the catalog serves', () => {
    for (const entry of catalog.revisions) {
      const upstreamVersion = entry.istio.replace(/-.*$/, '');
      assert.ok(FACTS.tags.includes(upstreamVersion), `${entry.name} runs Istio ${entry.istio}: read the chart at ${upstreamVersion} and record it`);
    }
  });
  it('grow as the chart did (spot checks a reader can verify in the chart)', () => {
    assert.ok(!upstreamAt('istiod-gateway-controller', '1.25.5').has('autoscaling|horizontalpodautoscalers|create'));
    assert.ok(upstreamAt('istiod-gateway-controller', '1.30.2').has('policy|poddisruptionbudgets|create'));
    assert.ok(upstreamAt('istiod-clusterrole', '1.23.6').has('gateway.networking.k8s.io|*|update'));
    assert.ok(!upstreamAt('istiod-clusterrole', '1.24.6').has('gateway.networking.k8s.io|*|update'));
  });
});

for (const entry of catalog.revisions) {
  const rev = entry.name;
  const tag = entry.istio.replace(/-.*$/, '');
  const ns = 'aks-istio-system';
  describe(`${rev} (Istio ${entry.istio}) RBAC equals the istio-discovery chart at ${tag}`, () => {
    const roles: Array<[factRole: string, kind: string, name: string]> = [
      ['istiod-clusterrole', 'ClusterRole', `istiod-clusterrole-${rev}-${ns}`],
      ['istio-reader-clusterrole', 'ClusterRole', `istio-reader-clusterrole-${rev}-${ns}`],
      ['istiod-role', 'Role', `istiod-${rev}`],
      ['istiod-gateway-controller', 'ClusterRole', `istiod-gateway-controller-${rev}-${ns}`],
    ];
    const render = (gatewayApi: boolean): Promise<KubeObject[]> =>
      renderMesh({ revisions: [rev], kubernetesVersion: entry.kubernetes.max, gatewayApi });

    it('every role rule for rule when the mesh accepts Gateway API', async () => {
      const objects = await render(true);
      for (const [factRole, kind, name] of roles) {
        const ours = ruleTriples(find<{ rules: Rule[] }>(objects, kind, name).rules);
        assert.deepEqual(diff(ours, upstreamAt(factRole, tag)), { extra: [], missing: [] }, `${kind}/${name} vs ${factRole} @${tag}`);
      }
    });

    it('only the kept differences when Gateway API is refused (the default)', async () => {
      const objects = await render(false);
      for (const [factRole, kind, name] of roles) {
        const kept = FACTS.keptDifferences.find((d) => d.role === factRole);
        const o = objects.find((x) => x.kind === kind && x.metadata?.name === name) as { rules: Rule[] } | undefined;
        if (kept) {
          assert.equal(o, undefined, `${kind}/${name}: absent unless ${kept.absentUnless} (${kept.id})`);
          assert.equal(objects.some((x) => x.kind === `${kind}Binding` && x.metadata?.name === name), false, `${kind}Binding/${name} goes with it`);
          continue;
        }
        assert.ok(o, `${kind}/${name} rendered`);
        assert.deepEqual(diff(ruleTriples(o.rules), upstreamAt(factRole, tag)), { extra: [], missing: [] }, `${kind}/${name} vs ${factRole} @${tag}`);
      }
    });
  });
}

describe('docs/control-plane.md', () => {
  it('explains every kept RBAC difference under its id', () => {
    const doc = readFileSync(path.join(REPO_ROOT, 'docs/control-plane.md'), 'utf8');
    for (const d of FACTS.keptDifferences) assert.ok(doc.includes(`\`${d.id}\``), `docs/control-plane.md names ${d.id}`);
  });
});
