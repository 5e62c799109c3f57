/**
 * forbidden-kind on objects in memory: an object is forbidden when its API group AND kind are on
 * the list in force (a kind of the same name in another group is not), the core group is written
 * `core`, and each finding names group/Kind.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ForbiddenKind } from '../catalog/guardrails.js';
import type { KubeObject } from '../core/types.js';
import { memoryContext, memoryObject } from '../../test/helpers/rule-context.js';
import type { RuleContext } from './types.js';
import { forbiddenKindRule } from './forbidden-kind.js';

const LIST: ForbiddenKind[] = [
  { group: 'networking.istio.io', kind: 'EnvoyFilter' },
  { group: 'telemetry.istio.io', kind: 'Telemetry' },
  { group: 'core', kind: 'ConfigMap' },
];

describe('forbidden-kind on objects in memory', () => {
  // [case, objects, [resource, message] of each finding]
  const cases: Array<[string, KubeObject[], Array<[string, string]>]> = [
    ['a listed group and kind', [memoryObject('networking.istio.io/v1alpha3', 'EnvoyFilter', 'ef')], [['networking.istio.io/EnvoyFilter/ns/ef', 'networking.istio.io/EnvoyFilter is a kind the managed Istio add-on does not allow']]],
    ['the same kind in another group', [memoryObject('example.com/v1', 'EnvoyFilter', 'ef'), memoryObject('networking.istio.io/v1', 'Telemetry', 't')], []],
    ['the core group, written core', [memoryObject('v1', 'ConfigMap', 'cm')], [['core/ConfigMap/ns/cm', 'core/ConfigMap is a kind the managed Istio add-on does not allow']]],
    ['kinds match case-sensitively', [memoryObject('telemetry.istio.io/v1', 'telemetry', 't')], []],
    ['only the listed objects among others', [memoryObject('apps/v1', 'Deployment', 'd'), memoryObject('telemetry.istio.io/v1', 'Telemetry', 't')], [['telemetry.istio.io/Telemetry/ns/t', 'telemetry.istio.io/Telemetry is a kind the managed Istio add-on does not allow']]],
  ];
  for (const [name, objects, want] of cases) {
    it(name, () => {
      const ctx = { ...memoryContext(30, [], objects), forbiddenKinds: LIST } as RuleContext;
      const got = forbiddenKindRule.check(ctx);
      assert.deepEqual(got.map((v) => [v.resource, v.message]), want);
      for (const v of got) assert.match(v.remediation, /^remove the object; .*spec\.policy\.exceptions entry naming this rule and resource, with a reason and an expiry date$/);
    });
  }

  it('an empty list forbids nothing', () => {
    const ctx = { ...memoryContext(30, [], [memoryObject('networking.istio.io/v1alpha3', 'EnvoyFilter', 'ef')]), forbiddenKinds: [] } as RuleContext;
    assert.deepEqual(forbiddenKindRule.check(ctx), []);
  });
});
