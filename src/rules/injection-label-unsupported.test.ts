/**
 * injection-label-unsupported on objects in memory: only a Namespace's istio-injection=enabled is
 * reported, at that label, and the remediation names the first revision tag, else the default
 * revision (the registry's fixtures only check that a line is given).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/types.js';
import { injectionContext, memoryNamespace } from '../../test/helpers/rule-context.js';
import { injectionLabelUnsupportedRule } from './injection-label-unsupported.js';

describe('injection-label-unsupported', () => {
  // [objects, tags, default revision, [where.file, message, remediation] of each finding]
  const cases: Array<[KubeObject[], string[], string | undefined, Array<[string, string, string]>]> = [
    [[memoryNamespace('a', { 'istio-injection': 'enabled' })], ['prod', 'canary'], 'asm-1-27', [['a:metadata.labels.istio-injection', 'namespace a is labelled istio-injection=enabled, which the managed add-on does not support: its pods would get no sidecar', 'replace the label with istio.io/rev: prod (a revision or revision tag of this mesh)']]],
    [[memoryNamespace('a', { 'istio-injection': 'enabled' })], [], 'asm-1-27', [['a:metadata.labels.istio-injection', 'namespace a is labelled istio-injection=enabled, which the managed add-on does not support: its pods would get no sidecar', 'replace the label with istio.io/rev: asm-1-27 (a revision or revision tag of this mesh)']]],
    [[memoryNamespace('a', { 'istio-injection': 'enabled' })], [], undefined, [['a:metadata.labels.istio-injection', 'namespace a is labelled istio-injection=enabled, which the managed add-on does not support: its pods would get no sidecar', 'replace the label with istio.io/rev: asm-1-NN (a revision or revision tag of this mesh)']]],
    [[memoryNamespace('a', { 'istio-injection': 'disabled' }), memoryNamespace('b', { 'istio.io/rev': 'prod' })], ['prod'], undefined, []],
    // Only Namespaces: the label on another kind means nothing to the injector.
    [[{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { 'istio-injection': 'enabled' } } } as KubeObject], [], undefined, []],
  ];
  cases.forEach(([objects, tags, def, want], i) => {
    it(`case ${i + 1}`, () => {
      const got = injectionLabelUnsupportedRule.check(injectionContext(objects, [], tags, def));
      assert.deepEqual(got.map((v) => [v.where?.file, v.message, v.remediation]), want);
    });
  });
});
