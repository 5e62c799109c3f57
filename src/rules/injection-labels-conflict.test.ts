/**
 * injection-labels-conflict on objects in memory: both labels on one Namespace, whatever their
 * values, reported at the istio-injection label; a label set to null is no label.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { injectionContext, memoryNamespace } from '../../test/helpers/rule-context.js';
import { injectionLabelsConflictRule } from './injection-labels-conflict.js';

describe('injection-labels-conflict', () => {
  // [namespace labels, where.file and message of the finding, if any]
  const cases: Array<[Record<string, unknown>, [string, string] | undefined]> = [
    [{ 'istio-injection': 'enabled', 'istio.io/rev': 'prod' }, ['n:metadata.labels.istio-injection', 'namespace n has both istio-injection=enabled and istio.io/rev=prod']],
    [{ 'istio-injection': 'disabled', 'istio.io/rev': 'asm-1-27' }, ['n:metadata.labels.istio-injection', 'namespace n has both istio-injection=disabled and istio.io/rev=asm-1-27']],
    [{ 'istio.io/rev': 'prod' }, undefined],
    [{ 'istio-injection': 'enabled' }, undefined],
    // A label set to null is no label.
    [{ 'istio-injection': null, 'istio.io/rev': 'prod' }, undefined],
  ];
  for (const [labels, want] of cases) {
    it(JSON.stringify(labels), () => {
      const got = injectionLabelsConflictRule.check(injectionContext([memoryNamespace('n', labels)], [], []));
      assert.deepEqual(got.map((v) => [v.where?.file, v.message]), want ? [want] : []);
      for (const v of got) assert.equal(v.remediation, 'remove the istio-injection label; keep istio.io/rev');
    });
  }
});
