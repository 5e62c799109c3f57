/**
 * The order a reviewer sees changes in when a PR comment is cut: security-relevant types first
 * (the groups and types the module lists, each for a stated reason), then changed, removed,
 * added, then by key.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceDiff } from './diff-objects.js';
import { isSecurityRelevant, reviewOrder, typeOfKey } from './review-order.js';

describe('isSecurityRelevant', () => {
  const cases: Array<[string, boolean]> = [
    ['security.istio.io/PeerAuthentication/aks-istio-system/default', true],
    ['security.istio.io/AuthorizationPolicy/shop/deny-all', true],
    ['security.istio.io/RequestAuthentication/shop/jwt', true],
    ['admissionregistration.k8s.io/MutatingWebhookConfiguration/_cluster/istio-sidecar-injector-asm-1-30', true],
    ['admissionregistration.k8s.io/ValidatingAdmissionPolicy/_cluster/p', true],
    ['rbac.authorization.k8s.io/ClusterRoleBinding/_cluster/istiod', true],
    ['rbac.authorization.k8s.io/Role/shop/r', true],
    ['core/Secret/aks-istio-system/cacerts', true],
    ['core/ServiceAccount/aks-istio-system/istiod', true],
    ['core/Namespace/_cluster/shop', true],
    ['networking.k8s.io/NetworkPolicy/shop/n', true],
    ['networking.istio.io/EnvoyFilter/shop/f', true],
    ['apiextensions.k8s.io/CustomResourceDefinition/_cluster/peerauthentications.security.istio.io', true],
    // Not security-relevant: same kind name in another group, or another kind in a listed type's group.
    ['core/ConfigMap/aks-istio-system/istio-asm-1-30', false],
    ['apps/Deployment/aks-istio-system/istiod-asm-1-30', false],
    ['networking.istio.io/VirtualService/shop/v', false],
    ['networking.k8s.io/Ingress/shop/i', false],
    ['example.io/Secret/shop/s', false],
    ['example.io/Telemetry/shop/t', false],
    ['security.istio.io.example.com/Thing/shop/t', false],
  ];
  for (const [key, want] of cases) it(`${key} → ${want}`, () => assert.equal(isSecurityRelevant(key), want));
});

describe('typeOfKey', () => {
  const cases: Array<[string, string]> = [['apps/Deployment/ns/d', 'apps/Deployment'], ['core/Namespace/_cluster/shop', 'core/Namespace'], ['core', 'core/'], ['', '/']];
  for (const [key, want] of cases) it(`${JSON.stringify(key)} → ${want}`, () => assert.equal(typeOfKey(key), want));
});

describe('reviewOrder', () => {
  const r = (key: string, change: ResourceDiff['change']): ResourceDiff => ({ key, change, lines: [], additions: 0, deletions: 0 });
  const cases: Array<{ name: string; input: ResourceDiff[]; want: string[] }> = [
    {
      name: 'security first, then changed, removed, added',
      input: [r('core/ConfigMap/a/x', 'added'), r('core/ConfigMap/a/y', 'removed'), r('core/ConfigMap/a/z', 'changed'), r('core/Secret/a/s', 'added')],
      want: ['core/Secret/a/s', 'core/ConfigMap/a/z', 'core/ConfigMap/a/y', 'core/ConfigMap/a/x'],
    },
    {
      name: 'inside security: changed, removed, added',
      input: [r('security.istio.io/AuthorizationPolicy/a/p', 'added'), r('rbac.authorization.k8s.io/Role/a/r', 'removed'), r('core/Namespace/_cluster/n', 'changed')],
      want: ['core/Namespace/_cluster/n', 'rbac.authorization.k8s.io/Role/a/r', 'security.istio.io/AuthorizationPolicy/a/p'],
    },
    {
      name: 'same rank and change: by key, in both directions',
      input: [r('core/ConfigMap/a/c', 'changed'), r('core/ConfigMap/a/a', 'changed'), r('core/ConfigMap/a/b', 'changed'), r('apps/Deployment/a/d', 'changed')],
      want: ['apps/Deployment/a/d', 'core/ConfigMap/a/a', 'core/ConfigMap/a/b', 'core/ConfigMap/a/c'],
    },
    {
      name: 'a removal before an addition even when its key sorts later',
      input: [r('a/A/n/x', 'added'), r('z/Z/n/x', 'removed')],
      want: ['z/Z/n/x', 'a/A/n/x'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const before = c.input.map((x) => x.key);
      assert.deepEqual(reviewOrder(c.input).map((x) => x.key), c.want);
      assert.deepEqual(c.input.map((x) => x.key), before, 'the input is not reordered');
    });
  }
});
