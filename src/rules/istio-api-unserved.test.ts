/**
 * istio-api-unserved with a CRD catalog in memory: an object of an Istio group (any group the
 * catalog has CRDs for) must use a group/version/kind served by the CRDs of an installed
 * revision's minor (the newest era at or below that minor); the message lists the versions
 * that are served for that kind and the remediation the first of them, or says the kind is not
 * served at all. Objects of other groups are never judged; with no revision the rule skips.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CrdEntry } from '../catalog/catalog.js';
import type { KubeObject } from '../core/types.js';
import { memoryContext, memoryObject } from '../../test/helpers/rule-context.js';
import type { RuleContext } from './types.js';
import { istioApiUnservedRule } from './istio-api-unserved.js';

const CRDS: CrdEntry[] = [
  // v1 arrives with minor 22; before that only v1alpha3/v1beta1.
  { group: 'networking.istio.io', kind: 'VirtualService', plural: 'virtualservices', eras: [{ since: 10, versions: ['v1alpha3', 'v1beta1'] }, { since: 22, versions: ['v1', 'v1alpha3', 'v1beta1'] }] } as unknown as CrdEntry,
  { group: 'networking.istio.io', kind: 'Sidecar', plural: 'sidecars', eras: [{ since: 25, versions: ['v1'] }] } as unknown as CrdEntry,
  { group: 'telemetry.istio.io', kind: 'Telemetry', plural: 'telemetries', eras: [{ since: 10, versions: ['v1alpha1'] }] } as unknown as CrdEntry,
];
const ctxFor = (minors: Array<[string, number]>, objects: KubeObject[]): RuleContext =>
  ({ ...memoryContext(30, [], objects), catalog: { crds: CRDS }, render: { input: { revisions: minors.map(([name, minor]) => ({ name, minor })) } } }) as unknown as RuleContext;

describe('istio-api-unserved with a CRD catalog in memory', () => {
  // [installed revisions, objects, [where.file, message, remediation] of each finding]
  const cases: Array<[Array<[string, number]>, KubeObject[], Array<[string, string, string]>]> = [
    [[['asm-1-22', 22]], [memoryObject('networking.istio.io/v1', 'VirtualService', 'vs')], []],
    [[['asm-1-21', 21]], [memoryObject('networking.istio.io/v1', 'VirtualService', 'vs')], [['vs:apiVersion', 'VirtualService v1 is not served by asm-1-21 (served: v1alpha3, v1beta1)', 'change apiVersion to networking.istio.io/v1alpha3']]],
    // Two revisions: served by either is enough.
    [[['asm-1-21', 21], ['asm-1-22', 22]], [memoryObject('networking.istio.io/v1', 'VirtualService', 'vs')], []],
    [[['asm-1-24', 24]], [memoryObject('networking.istio.io/v1', 'Sidecar', 'sc')], [['sc:apiVersion', 'networking.istio.io/Sidecar is not a kind that asm-1-24 serves', 'remove the object, or upgrade to a revision that serves this kind']]],
    [[['asm-1-24', 24], ['asm-1-25', 25]], [memoryObject('networking.istio.io/v1beta1', 'Sidecar', 'sc')], [['sc:apiVersion', 'Sidecar v1beta1 is not served by asm-1-24, asm-1-25 (served: v1)', 'change apiVersion to networking.istio.io/v1']]],
    // A kind of the same name in another Istio group does not count as served.
    [[['asm-1-25', 25]], [memoryObject('telemetry.istio.io/v1', 'Sidecar', 'x')], [['x:apiVersion', 'telemetry.istio.io/Sidecar is not a kind that asm-1-25 serves', 'remove the object, or upgrade to a revision that serves this kind']]],
    [[['asm-1-25', 25]], [memoryObject('example.com/v1', 'VirtualService', 'vs'), memoryObject('v1', 'ConfigMap', 'cm')], []],
  ];
  cases.forEach(([revisions, objects, want], i) => {
    it(`case ${i + 1}: ${objects.map((o) => `${o.apiVersion} ${o.kind}`).join(', ')} on ${revisions.map(([n]) => n).join(', ')}`, () => {
      const got = istioApiUnservedRule.check(ctxFor(revisions, objects));
      assert.deepEqual(got.map((v) => [v.where?.file, v.message, v.remediation]), want);
    });
  });

  it('skips when no revision is installed', () => {
    assert.equal(istioApiUnservedRule.skip!(ctxFor([], [])), 'no revision is installed');
    assert.equal(istioApiUnservedRule.skip!(ctxFor([['asm-1-25', 25]], [])), undefined);
  });
});
