/**
 * ingress-gateway-duplicate: the add-on runs at most one External and one Internal ingress
 * gateway ("Too many ingresses for type"); every later entry of a mode already seen is reported
 * at its own index and names the first entry of that mode.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { intentContext } from '../../test/helpers/rule-context.js';
import type { RuleContext } from './types.js';
import { ingressGatewayDuplicateRule } from './ingress-gateway-duplicate.js';

const ctxWith = (modes: string[] | undefined): RuleContext => {
  const ctx = intentContext(['asm-1-28'], []);
  const spec = ctx.render.intent.spec as unknown as Record<string, Record<string, unknown>>;
  if (modes) spec.istio = { ...spec.istio, components: { ingressGateways: modes.map((mode) => ({ mode, enabled: true })) } };
  return ctx;
};

describe('ingress-gateway-duplicate', () => {
  // [modes of spec.istio.components.ingressGateways, [where.file, message, remediation] of each finding]
  const cases: Array<[string[] | undefined, Array<[string, string, string]>]> = [
    [undefined, []],
    [['External', 'Internal'], []],
    [['External', 'Internal', 'External'], [['mesh:spec.istio.components.ingressGateways.2', 'a second External ingress gateway (the first is entry 0); the add-on runs one per mode ("Too many ingresses for type")', 'remove this entry; use spec.gateways.external to tune the one External gateway']]],
    [['Internal', 'External', 'Internal', 'Internal'], [
      ['mesh:spec.istio.components.ingressGateways.2', 'a second Internal ingress gateway (the first is entry 0); the add-on runs one per mode ("Too many ingresses for type")', 'remove this entry; use spec.gateways.internal to tune the one Internal gateway'],
      ['mesh:spec.istio.components.ingressGateways.3', 'a second Internal ingress gateway (the first is entry 0); the add-on runs one per mode ("Too many ingresses for type")', 'remove this entry; use spec.gateways.internal to tune the one Internal gateway'],
    ]],
  ];
  for (const [modes, want] of cases) {
    it(JSON.stringify(modes), () => {
      const got = ingressGatewayDuplicateRule.check(ctxWith(modes));
      assert.deepEqual(got.map((v) => [v.where?.file, v.message, v.remediation]), want);
    });
  }
});
