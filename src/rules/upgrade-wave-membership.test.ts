/**
 * upgrade-wave-membership with intents in memory: it runs only during a canary upgrade (two
 * revisions) with spec.upgrade.waves; every application Namespace of the source (not a
 * Kubernetes or aks-istio-* system namespace, not istio-injection: disabled, not rendered) must
 * be in exactly one wave, by name or by all of a selector's labels, and carry that wave's tag as
 * istio.io/rev. Each finding's field, message and remediation are checked.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, LocatedObject } from '../core/types.js';
import type { UpgradeWave } from '../intent/types.js';
import { intentContext, memoryNamespace } from '../../test/helpers/rule-context.js';
import type { RuleContext } from './types.js';
import { upgradeWaveMembershipRule } from './upgrade-wave-membership.js';

const WAVES: UpgradeWave[] = [
  { tag: 'wave-1', namespaces: ['orders'] },
  { tag: 'wave-2', namespaceSelector: { matchLabels: { tier: 'back', team: 'pay' } } },
];
/** A canary upgrade asm-1-27 → asm-1-28 (written canary first: order does not matter) with `waves` (null: none), over `objects`. */
const ctxWith = (objects: KubeObject[], waves: UpgradeWave[] | null = WAVES, revisions = ['asm-1-28', 'asm-1-27']): RuleContext => {
  const ctx = intentContext(revisions, []);
  const spec = ctx.render.intent.spec as unknown as Record<string, unknown>;
  spec.tags = { 'wave-1': 'asm-1-28', 'wave-2': 'asm-1-27' };
  if (waves) spec.upgrade = { waves };
  const located = objects.map((object): LocatedObject => ({ object, origin: { kind: 'source', file: 'a.yaml', line: 1, column: 1 } }) as LocatedObject);
  return { ...ctx, objects: located, locate: (o: LocatedObject, path: Array<string | number>) => ({ file: `${String(o.object.metadata?.name)}:${path.join('.')}`, line: 1, column: 1 }) } as RuleContext;
};
const UPGRADE = 'asm-1-27 → asm-1-28';

describe('upgrade-wave-membership', () => {
  // [case, namespaces, [where.file, message, remediation] of each finding]
  const cases: Array<[string, KubeObject[], Array<[string, string, string]>]> = [
    ['each namespace in one wave with its tag', [memoryNamespace('orders', { 'istio.io/rev': 'wave-1' }), memoryNamespace('pay', { tier: 'back', team: 'pay', 'istio.io/rev': 'wave-2' })], []],
    [
      'in no wave (a selector matches only when every label does)',
      [memoryNamespace('pay', { tier: 'back', 'istio.io/rev': 'wave-2' })],
      [['pay:metadata.name', `namespace pay belongs to no wave of spec.upgrade.waves during the upgrade ${UPGRADE}: no step would move it, and \`complete\` would leave it on a removed revision`, 'add pay to one wave\'s namespaces (or give it labels a wave\'s namespaceSelector matches), or label it istio-injection: disabled to keep it out of the mesh']],
    ],
    [
      'in two waves',
      [memoryNamespace('orders', { tier: 'back', team: 'pay', 'istio.io/rev': 'wave-1' })],
      [['orders:metadata.name', 'namespace orders belongs to wave 1 (tag wave-1) and wave 2 (tag wave-2); a namespace moves in exactly one wave', 'remove it from all waves but one (their namespaces lists or namespaceSelectors overlap)']],
    ],
    [
      'in a wave, without istio.io/rev',
      [memoryNamespace('orders', {})],
      [['orders:metadata.name', 'namespace orders is in wave 1 (tag wave-1) but its istio.io/rev is not set, so moving the wave\'s tag does not move it', 'label it istio.io/rev: wave-1']],
    ],
    [
      'in a wave, with another tag',
      [memoryNamespace('pay', { tier: 'back', team: 'pay', 'istio.io/rev': 'asm-1-27' })],
      [['pay:metadata.labels.istio.io/rev', 'namespace pay is in wave 2 (tag wave-2) but its istio.io/rev is "asm-1-27", so moving the wave\'s tag does not move it', 'label it istio.io/rev: wave-2']],
    ],
    ['system namespaces and opted-out ones are in no wave', ['kube-system', 'kube-public', 'kube-node-lease', 'aks-istio-system', 'aks-istio-ingress', 'aks-istio-egress'].map((n) => memoryNamespace(n, {})).concat([memoryNamespace('legacy', { 'istio-injection': 'disabled' })]), []],
    // istio-injection with another value does not opt out.
    ['istio-injection: enabled is no opt-out', [memoryNamespace('legacy', { 'istio-injection': 'enabled' })], [['legacy:metadata.name', `namespace legacy belongs to no wave of spec.upgrade.waves during the upgrade ${UPGRADE}: no step would move it, and \`complete\` would leave it on a removed revision`, 'add legacy to one wave\'s namespaces (or give it labels a wave\'s namespaceSelector matches), or label it istio-injection: disabled to keep it out of the mesh']]],
  ];
  for (const [name, objects, want] of cases) {
    it(name, () => {
      const got = upgradeWaveMembershipRule.check(ctxWith(objects));
      assert.deepEqual(got.map((v) => [v.where?.file, v.message, v.remediation]), want);
    });
  }

  it('ignores namespaces the mesh rendered', () => {
    const ctx = ctxWith([memoryNamespace('loose', {})]);
    const rendered = ctx.objects.map((o) => ({ ...o, origin: { kind: 'rendered' } }) as unknown as LocatedObject);
    assert.deepEqual(upgradeWaveMembershipRule.check({ ...ctx, objects: rendered } as RuleContext), []);
  });

  it('skips without waves or without a canary upgrade', () => {
    assert.equal(upgradeWaveMembershipRule.skip!(ctxWith([], null)), 'spec.upgrade.waves is not set');
    assert.equal(upgradeWaveMembershipRule.skip!(ctxWith([], [])), 'spec.upgrade.waves is not set');
    assert.equal(upgradeWaveMembershipRule.skip!(ctxWith([], WAVES, ['asm-1-28'])), 'no canary upgrade is in progress (one revision installed)');
    assert.equal(upgradeWaveMembershipRule.skip!(ctxWith([])), undefined);
  });
});
