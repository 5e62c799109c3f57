/**
 * api-unavailable's skip condition: the rule runs only when KUBE_API_VERSIONS lists at least one
 * API (the registry's fixtures always set it, so they never reach the skip); and, on objects in
 * memory, that each finding points at the object's `apiVersion` field (the fixtures only check
 * that a line is given).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/types.js';
import { memoryContext, memoryObject } from '../../test/helpers/rule-context.js';
import type { RuleContext } from './types.js';
import { apiUnavailableRule } from './api-unavailable.js';

describe('api-unavailable skip', () => {
  // [KUBE_API_VERSIONS as parsed, skipped?]
  const cases: Array<[string[] | undefined, boolean]> = [
    [undefined, true],
    [[], true],
    [['v1'], false],
    [['v1', 'apps/v1/Deployment'], false],
  ];
  for (const [kubeApiVersions, skipped] of cases) {
    it(`${JSON.stringify(kubeApiVersions)}: ${skipped ? 'skipped' : 'runs'}`, () => {
      const reason = apiUnavailableRule.skip!({ kubeApiVersions } as unknown as RuleContext);
      if (skipped) assert.match(reason ?? '', /^KUBE_API_VERSIONS is not set \(Argo CD sets it; export it to check against a cluster\)$/);
      else assert.equal(reason, undefined);
    });
  }
});

describe('api-unavailable on objects in memory', () => {
  const served = ['v1', 'apps/v1/Deployment'];
  // [objects, where.file of each finding]
  const cases: Array<[KubeObject[], string[]]> = [
    [[memoryObject('v1', 'ConfigMap', 'cm'), memoryObject('apps/v1', 'Deployment', 'd')], []],
    // apps/v1 is listed kind by kind: a StatefulSet is not served.
    [[memoryObject('apps/v1', 'StatefulSet', 's')], ['s:apiVersion']],
    [[memoryObject('example.com/v1', 'Widget', 'w'), memoryObject('v1', 'Service', 'svc')], ['w:apiVersion']],
  ];
  for (const [objects, want] of cases) {
    it(objects.map((o) => `${o.apiVersion} ${o.kind}`).join(', '), () => {
      const ctx = { ...memoryContext(30, [], objects), kubeApiVersions: served } as RuleContext;
      const got = apiUnavailableRule.check(ctx);
      assert.deepEqual(got.map((v) => v.where?.file), want);
      for (const v of got) assert.match(v.message, /^the cluster does not serve \S+ \S+, and no CustomResourceDefinition in the render defines it$/);
    });
  }
});
