/**
 * toWebhook: the istio.io/rev values a MutatingWebhookConfiguration's webhooks select, per
 * selector, as Istio's revision webhooks are shaped (istio/istio manifests/charts/istio-control/
 * istio-discovery/templates/mutatingwebhook.yaml at 1.28.0).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { revValuesOf, toWebhook } from './live-objects.js';

describe('revValuesOf: the istio.io/rev values a selector requires', () => {
  const cases: Array<[string, Parameters<typeof revValuesOf>[0], string[]]> = [
    ['an In expression', { matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: ['asm-1-27', 'canary'] }] }, ['asm-1-27', 'canary']],
    ['matchLabels', { matchLabels: { 'istio.io/rev': 'asm-1-27' } }, ['asm-1-27']],
    ['DoesNotExist selects no value (the object webhook\'s namespaceSelector)', { matchExpressions: [{ key: 'istio.io/rev', operator: 'DoesNotExist' }] }, []],
    ['NotIn selects no value', { matchExpressions: [{ key: 'istio.io/rev', operator: 'NotIn', values: ['x'] }] }, []],
    ['another label is not read', { matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'In', values: ['true'] }] }, []],
    ['no selector', undefined, []],
  ];
  for (const [name, selector, expect] of cases) it(name, () => assert.deepEqual(revValuesOf(selector), expect));
});

describe('toWebhook', () => {
  it('splits the values by selector: namespace webhook vs object webhook', () => {
    const w = toWebhook({
      metadata: { name: 'istio-sidecar-injector-1-26-3', labels: { 'istio.io/rev': '1-26-3' } },
      webhooks: [
        { name: 'rev.namespace.sidecar-injector.istio.io', namespaceSelector: { matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: ['1-26-3'] }, { key: 'istio-injection', operator: 'DoesNotExist' }] } },
        { name: 'rev.object.sidecar-injector.istio.io', namespaceSelector: { matchExpressions: [{ key: 'istio.io/rev', operator: 'DoesNotExist' }] }, objectSelector: { matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: ['1-26-3'] }] } },
      ],
    });
    assert.deepEqual(w.revSelected, { namespace: ['1-26-3'], object: ['1-26-3'] });
    assert.deepEqual(w.webhookNames, ['rev.namespace.sidecar-injector.istio.io', 'rev.object.sidecar-injector.istio.io']);
  });

  it('a webhook that does not select by istio.io/rev has no revSelected', () => {
    assert.equal(toWebhook({ metadata: { name: 'cert-manager-webhook' }, webhooks: [{ name: 'webhook.cert-manager.io' }] }).revSelected, undefined);
  });
});
