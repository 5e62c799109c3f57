import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/types.js';
import { diffObjects } from './diff-objects.js';
import { findRefusedUpdates, REFUSED_UPDATE_RULES } from './refused-updates.js';

const KEY = 'grafana.integreatly.org/GrafanaDashboard/aks-istio-system/istio-mesh';
const dash = (spec: Record<string, unknown>, kind = 'GrafanaDashboard'): KubeObject => ({
  apiVersion: 'grafana.integreatly.org/v1beta1', kind, metadata: { name: 'istio-mesh', namespace: 'aks-istio-system' }, spec,
});
const SEL = { matchLabels: { dashboards: 'grafana' } };
const base = { instanceSelector: SEL, allowCrossNamespaceImport: true, folder: 'Istio', grafanaCom: { id: 7639 } };

// Each case is a transition the CRD's rules (grafana/grafana-operator
// config/crd/bases/grafana.integreatly.org_grafanadashboards.yaml, v5.16.0 to v5.24.0) refuse or allow.
const cases: Array<{ name: string; before: KubeObject; after: KubeObject; refused: string[] }> = [
  { name: 'a new instanceSelector label value (self == oldSelf)', before: dash(base), after: dash({ ...base, instanceSelector: { matchLabels: { dashboards: 'other' } } }), refused: ['grafanadashboard-instance-selector'] },
  { name: 'an added instanceSelector label', before: dash(base), after: dash({ ...base, instanceSelector: { matchLabels: { dashboards: 'grafana', team: 'mesh' } } }), refused: ['grafanadashboard-instance-selector'] },
  { name: 'matchExpressions added to the selector (the whole selector is compared)', before: dash(base), after: dash({ ...base, instanceSelector: { ...SEL, matchExpressions: [{ key: 'a', operator: 'Exists' }] } }), refused: ['grafanadashboard-instance-selector'] },
  { name: 'the same selector with its labels in another order', before: dash({ ...base, instanceSelector: { matchLabels: { a: '1', b: '2' } } }), after: dash({ ...base, instanceSelector: { matchLabels: { b: '2', a: '1' } } }), refused: [] },
  { name: 'a change of a mutable field (folder)', before: dash(base), after: dash({ ...base, folder: 'Mesh' }), refused: [] },
  { name: 'a uid that changes', before: dash({ ...base, uid: 'a' }), after: dash({ ...base, uid: 'b' }), refused: ['grafanadashboard-uid'] },
  { name: 'a uid that is added', before: dash(base), after: dash({ ...base, uid: 'b' }), refused: ['grafanadashboard-uid'] },
  { name: 'a uid that is removed', before: dash({ ...base, uid: 'a' }), after: dash(base), refused: ['grafanadashboard-uid'] },
  { name: 'allowCrossNamespaceImport true → false', before: dash(base), after: dash({ ...base, allowCrossNamespaceImport: false }), refused: ['grafanadashboard-cross-namespace-import'] },
  { name: 'allowCrossNamespaceImport true → unset (defaults to false)', before: dash(base), after: dash({ instanceSelector: SEL, folder: 'Istio' }), refused: ['grafanadashboard-cross-namespace-import'] },
  { name: 'allowCrossNamespaceImport false → true (allowed)', before: dash({ ...base, allowCrossNamespaceImport: false }), after: dash(base), refused: [] },
  { name: 'two immutable fields at once: both named', before: dash(base), after: dash({ ...base, instanceSelector: {}, uid: 'x' }), refused: ['grafanadashboard-instance-selector', 'grafanadashboard-uid'] },
  { name: 'another kind with the same fields', before: dash(base, 'GrafanaFolder'), after: dash({ ...base, instanceSelector: {} }, 'GrafanaFolder'), refused: [] },
];

describe('findRefusedUpdates', () => {
  for (const c of cases) {
    it(`${c.refused.length ? 'refuses' : 'allows'} ${c.name}`, () => {
      const keyOf = (o: KubeObject): string => `grafana.integreatly.org/${String(o.kind)}/aks-istio-system/istio-mesh`;
      const got = findRefusedUpdates(new Map([[keyOf(c.before), c.before]]), new Map([[keyOf(c.after), c.after]]));
      assert.deepEqual(got.map((r) => r.ruleId), c.refused);
    });
  }

  it('every rule of the registry has a refused and an allowed case above', () => {
    for (const rule of REFUSED_UPDATE_RULES) {
      assert.ok(cases.some((c) => c.refused.includes(rule.id)), `${rule.id}: no refused case`);
      assert.ok(cases.some((c) => !c.refused.includes(rule.id) && c.before.kind === 'GrafanaDashboard'), `${rule.id}: no allowed case`);
      assert.match(rule.source, /grafana-operator .*\.yaml, since v5\.\d+\.\d+/, `${rule.id} cites its file and release`);
    }
  });

  it('needs the object on both sides: a dashboard that is added or removed is not an update', () => {
    assert.deepEqual(findRefusedUpdates(new Map(), new Map([[KEY, dash(base)]])), []);
    assert.deepEqual(findRefusedUpdates(new Map([[KEY, dash(base)]]), new Map()), []);
  });

  it('says what, why and how to proceed, naming the intent field that feeds the selector', () => {
    const [r] = findRefusedUpdates(new Map([[KEY, dash(base)]]), new Map([[KEY, dash({ ...base, instanceSelector: {} })]]));
    assert.equal(r?.key, KEY);
    assert.match(r?.message ?? '', /spec\.instanceSelector changes \(Meshplane renders it from spec\.monitoring\.grafanaInstanceSelector\): the API server will refuse the update/);
    assert.match(r?.fix ?? '', /kubectl delete grafanadashboards\.grafana\.integreatly\.org -n aks-istio-system istio-mesh/);
    assert.match(r?.fix ?? '', /Force=true,Replace=true together \(Replace=true alone is an update and is refused too\)/);
    assert.match(r?.fix ?? '', /Flux spec\.force: true/);
  });

  it('is part of diffObjects, alongside the ordinary diff of the object', () => {
    const result = diffObjects([dash(base)], [dash({ ...base, instanceSelector: { matchLabels: { dashboards: 'b' } } })]);
    assert.deepEqual(result.resources.map((r) => [r.change, r.key]), [['changed', KEY]]);
    assert.deepEqual(result.refusedUpdates.map((r) => [r.key, r.ruleId]), [[KEY, 'grafanadashboard-instance-selector']]);
  });
});
