import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceMesh, ServiceMeshSpec } from '../intent/types.js';
import { NAMESPACES } from './resolve.js';
import { DEFAULT_EGRESS_NAMESPACE, gatewayAutoscaling, INTERNAL_LB_ANNOTATION, resolveEgressGateways, resolveIngressGateways } from './resolve-gateways.js';

function mesh(components: NonNullable<NonNullable<ServiceMeshSpec['istio']>['components']>, gateways: ServiceMeshSpec['gateways'] = {}): ServiceMesh {
  return { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'm' }, spec: { mode: 'Istio', istio: { revisions: ['asm-1-28'], components }, gateways } };
}

describe('gatewayAutoscaling', () => {
  const cases: Array<{ name: string; given: Parameters<typeof gatewayAutoscaling>[0]; want: ReturnType<typeof gatewayAutoscaling> }> = [
    { name: 'unset → add-on defaults', given: undefined, want: { minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 80 } },
    { name: 'partial override keeps the other defaults', given: { maxReplicas: 9 }, want: { minReplicas: 2, maxReplicas: 9, targetCPUUtilizationPercentage: 80 } },
    { name: 'full override', given: { minReplicas: 3, maxReplicas: 4, targetCPUUtilizationPercentage: 60 }, want: { minReplicas: 3, maxReplicas: 4, targetCPUUtilizationPercentage: 60 } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(gatewayAutoscaling(c.given), c.want));
});

describe('resolveIngressGateways', () => {
  it('renders nothing without enabled gateways', () => {
    assert.deepEqual(resolveIngressGateways(mesh({ ingressGateways: [{ mode: 'External', enabled: false }] })), []);
    assert.deepEqual(resolveIngressGateways(mesh({})), []);
  });
  it('gives each enabled mode its name, defaults and, for internal, the internal-LB annotation', () => {
    const got = resolveIngressGateways(mesh({ ingressGateways: [{ mode: 'Internal', enabled: true }, { mode: 'External', enabled: true }] }));
    assert.deepEqual(got.map((g) => g.name), ['aks-istio-ingressgateway-external', 'aks-istio-ingressgateway-internal']);
    assert.deepEqual(got[0]?.serviceAnnotations, {});
    assert.deepEqual(got[1]?.serviceAnnotations, { [INTERNAL_LB_ANNOTATION]: 'true' });
    assert.equal(got[0]?.externalTrafficPolicy, null);
    assert.equal(got[0]?.autoscaling.minReplicas, 2);
  });
  it('applies spec.gateways.<mode> overrides; the internal-LB annotation cannot be overridden', () => {
    const got = resolveIngressGateways(mesh({ ingressGateways: [{ mode: 'Internal', enabled: true }] }, {
      internal: { serviceAnnotations: { 'service.beta.kubernetes.io/azure-pip-name': 'ip', [INTERNAL_LB_ANNOTATION]: 'false' }, externalTrafficPolicy: 'Local', autoscaling: { minReplicas: 3 } },
    }));
    assert.deepEqual(got[0]?.serviceAnnotations, { 'service.beta.kubernetes.io/azure-pip-name': 'ip', [INTERNAL_LB_ANNOTATION]: 'true' });
    assert.equal(got[0]?.externalTrafficPolicy, 'Local');
    assert.deepEqual(got[0]?.autoscaling, { minReplicas: 3, maxReplicas: 5, targetCPUUtilizationPercentage: 80 });
  });
  it('renders a duplicated mode once (the ingress-gateway-duplicate rule reports it)', () => {
    const got = resolveIngressGateways(mesh({ ingressGateways: [{ mode: 'External', enabled: true }, { mode: 'External', enabled: true }] }));
    assert.equal(got.length, 1);
  });
});

describe('resolveEgressGateways', () => {
  it('keeps enabled gateways, defaults the namespace, applies overrides by name', () => {
    const got = resolveEgressGateways(mesh({
      egressGateways: [
        { name: 'a', enabled: true, gatewayConfigurationName: 'gc-a' },
        { name: 'b', enabled: false, gatewayConfigurationName: 'gc-b' },
        { name: 'c', enabled: true, namespace: 'edge', gatewayConfigurationName: 'gc-c' },
      ],
    }, { egress: { c: { autoscaling: { maxReplicas: 8 } } } }));
    assert.deepEqual(got, [
      { name: 'a', namespace: 'aks-istio-egress', gatewayConfigurationName: 'gc-a', autoscaling: { minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 80 } },
      { name: 'c', namespace: 'edge', gatewayConfigurationName: 'gc-c', autoscaling: { minReplicas: 2, maxReplicas: 8, targetCPUUtilizationPercentage: 80 } },
    ]);
  });
  it('uses the same default namespace as the rest of the render', () => assert.equal(DEFAULT_EGRESS_NAMESPACE, NAMESPACES.egress));
});
