/**
 * injection-revision-missing on objects in memory: istio.io/rev on a Namespace or a pod template
 * naming neither an installed revision nor a tag, reported at that label; rendered objects are the
 * mesh's own and are skipped.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, LocatedObject } from '../core/types.js';
import { injectionContext, memoryNamespace } from '../../test/helpers/rule-context.js';
import type { RuleContext } from './types.js';
import { injectionRevisionMissingRule } from './injection-revision-missing.js';

describe('injection-revision-missing', () => {
  const deploy = (name: string, rev: string): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'a' }, spec: { template: { metadata: { labels: { 'istio.io/rev': rev } } } } }) as KubeObject;
  const USE = 'use one of asm-1-27, prod, or add the revision/tag to mesh.yaml';
  // [objects, installed revisions, tags, [where.file, message, remediation] of each finding]
  const cases: Array<[string, KubeObject[], string[], string[], Array<[string, string, string]>]> = [
    ['valid revision and tag', [memoryNamespace('a', { 'istio.io/rev': 'asm-1-27' }), deploy('d', 'prod')], ['asm-1-27'], ['prod'], []],
    ['a namespace naming another revision', [memoryNamespace('a', { 'istio.io/rev': 'asm-1-26' })], ['asm-1-27'], ['prod'], [['a:metadata.labels.istio.io/rev', 'istio.io/rev is "asm-1-26", which is neither an installed revision nor a revision tag (installed: asm-1-27, prod); no sidecar would be injected', USE]]],
    ['a pod template naming an unknown tag', [deploy('d', 'canary')], ['asm-1-27'], ['prod'], [['d:spec.template.metadata.labels.istio.io/rev', 'istio.io/rev is "canary", which is neither an installed revision nor a revision tag (installed: asm-1-27, prod); no sidecar would be injected', USE]]],
    ['nothing installed', [memoryNamespace('a', { 'istio.io/rev': 'asm-1-27' })], [], [], [['a:metadata.labels.istio.io/rev', 'istio.io/rev is "asm-1-27", which is neither an installed revision nor a revision tag (installed: none); no sidecar would be injected', 'install a revision in mesh.yaml (spec.istio.revisions)']]],
    ['no label, and a kind that has no pod template', [memoryNamespace('a', {}), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { 'istio.io/rev': 'x' } } } as KubeObject], ['asm-1-27'], [], []],
    ['a Namespace of another group is no Namespace', [{ apiVersion: 'example.com/v1', kind: 'Namespace', metadata: { name: 'x', labels: { 'istio.io/rev': 'x' } } } as KubeObject], ['asm-1-27'], [], []],
  ];
  for (const [name, objects, revisions, tags, want] of cases) {
    it(name, () => {
      const got = injectionRevisionMissingRule.check(injectionContext(objects, revisions, tags));
      assert.deepEqual(got.map((v) => [v.where?.file, v.message, v.remediation]), want);
    });
  }

  it('skips objects the mesh rendered', () => {
    const ctx = injectionContext([memoryNamespace('a', { 'istio.io/rev': 'gone' })], ['asm-1-27'], []);
    const rendered = ctx.objects.map((o) => ({ ...o, origin: { kind: 'rendered' } }) as unknown as LocatedObject);
    assert.deepEqual(injectionRevisionMissingRule.check({ ...ctx, objects: rendered } as RuleContext), []);
  });
});
