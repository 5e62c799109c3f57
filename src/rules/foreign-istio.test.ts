/**
 * foreign-istio on objects in memory: which source objects mean a self-managed Istio (the
 * install.istio.io and sailoperator.io groups, CRDs of *.istio.io groups, istiod Deployments by
 * either label, sidecar-injector webhooks by name prefix) and which look alike but are not;
 * objects the mesh rendered itself are never reported.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, LocatedObject } from '../core/types.js';
import { memoryContext } from '../../test/helpers/rule-context.js';
import type { RuleContext } from './types.js';
import { foreignIstioRule } from './foreign-istio.js';

const obj = (apiVersion: string, kind: string, name: string, rest: Record<string, unknown> = {}, labels?: Record<string, string>): KubeObject =>
  ({ apiVersion, kind, metadata: { name, ...(labels ? { labels } : {}) }, ...rest }) as KubeObject;
const crd = (group: string): KubeObject => obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', `x.${group}`, { spec: { group } });

describe('foreign-istio on objects in memory', () => {
  // [case, object, message of the finding, or undefined]
  const cases: Array<[string, KubeObject, string | undefined]> = [
    ['an IstioOperator', obj('install.istio.io/v1alpha1', 'IstioOperator', 'io'), 'install.istio.io/IstioOperator installs its own Istio control plane'],
    ['a Sail operator Istio', obj('sailoperator.io/v1', 'Istio', 'default'), 'sailoperator.io/Istio installs its own Istio control plane'],
    ['another istio.io group is no installer', obj('networking.istio.io/v1', 'Gateway', 'gw'), undefined],
    ['a CRD of an istio.io group', crd('networking.istio.io'), 'a CustomResourceDefinition of networking.istio.io: the Istio CRDs are installed by the mesh, not by the source'],
    ['a CRD of a group that ends in istio.io without the dot', crd('notistio.io'), undefined],
    ['a CRD without a group', obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'x', { spec: {} }), undefined],
    ['spec.group on another kind', obj('example.com/v1', 'Widget', 'w', { spec: { group: 'networking.istio.io' } }), undefined],
    ['an istiod Deployment by app', obj('apps/v1', 'Deployment', 'istiod', {}, { app: 'istiod' }), 'an istiod Deployment: a self-managed control plane beside the add-on\'s'],
    ['an istiod Deployment by istio=pilot', obj('apps/v1', 'Deployment', 'pilot', {}, { istio: 'pilot' }), 'an istiod Deployment: a self-managed control plane beside the add-on\'s'],
    ['an istiod label on a Service', obj('v1', 'Service', 'istiod', {}, { app: 'istiod' }), undefined],
    ['another Deployment', obj('apps/v1', 'Deployment', 'web', {}, { app: 'web', istio: 'ingressgateway' }), undefined],
    ['a sidecar-injector webhook', obj('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'istio-sidecar-injector-1-20'), 'an Istio sidecar-injector webhook outside the mesh\'s own'],
    ['another webhook', obj('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'my-istio-sidecar-injector'), undefined],
    ['a validating webhook of that name', obj('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'istio-sidecar-injector'), undefined],
    // A malformed object without metadata (schema-invalid reports it) is judged without crashing.
    ['a webhook without metadata', { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration' } as KubeObject, undefined],
  ];
  for (const [name, object, want] of cases) {
    it(name, () => {
      const got = foreignIstioRule.check(memoryContext(30, [], [object]));
      assert.deepEqual(got.map((v) => v.message), want === undefined ? [] : [want]);
      for (const v of got) assert.match(v.remediation, /^remove the self-managed Istio from the source/);
    });
  }

  it('ignores objects the mesh rendered', () => {
    const ctx = memoryContext(30, [], [obj('install.istio.io/v1alpha1', 'IstioOperator', 'io')]);
    const rendered = ctx.objects.map((o) => ({ ...o, origin: { kind: 'rendered' } }) as unknown as LocatedObject);
    assert.deepEqual(foreignIstioRule.check({ ...ctx, objects: rendered } as RuleContext), []);
  });
});
