/**
 * api-unavailable's skip condition: the rule runs only when KUBE_API_VERSIONS lists at least one
 * API (the registry's fixtures always set it, so they never reach the skip).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
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
