/**
 * Unit tests of autoscaling-min-below-two built from objects in memory (the registry's fixtures
 * render templates, so they are slow and cover few branches): every intent autoscaling block,
 * each way a source HPA is recognised as a mesh component's, and the messages and positions.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, LocatedObject, SourcePosition } from '../core/types.js';
import { autoscalingMinBelowTwoRule } from './autoscaling-min-below-two.js';
import type { RuleContext } from './types.js';

const REMEDIATION = 'set minReplicas to 2 or more (the add-on rejects lower values because the PodDisruptionBudget would block every node drain)';
const INTENT = 'meshplane.io/ServiceMesh/_cluster/m';

function ctx(spec: Record<string, unknown>, objects: LocatedObject[] = []): RuleContext {
  const intent = { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'm' }, spec };
  const pos = (file: string): SourcePosition => ({ file, line: 1, column: 1 });
  return {
    render: { intent },
    objects,
    locate: (o: LocatedObject, path: Array<string | number>) => pos(`${String(o.object.metadata?.name)}:${path.join('.')}`),
    locateIntent: (path: Array<string | number>) => pos(`mesh:${path.join('.')}`),
  } as unknown as RuleContext;
}

function hpa(namespace: string | undefined, target: string, min: unknown, opts: { origin?: 'source' | 'rendered'; kind?: string } = {}): LocatedObject {
  const spec: Record<string, unknown> = { scaleTargetRef: { kind: 'Deployment', name: target } };
  if (min !== undefined) spec.minReplicas = min;
  const object = { apiVersion: 'autoscaling/v2', kind: opts.kind ?? 'HorizontalPodAutoscaler', metadata: { name: 'h', ...(namespace ? { namespace } : {}) }, spec } as KubeObject;
  return { object, origin: { kind: opts.origin ?? 'source', file: 'hpa.yaml', line: 1, column: 1 } as LocatedObject['origin'] };
}

/** [resource, where.file, message] of each violation. */
const run = (c: RuleContext): Array<[string, string, string]> => {
  const vs = autoscalingMinBelowTwoRule.check(c);
  for (const v of vs) {
    assert.equal(v.remediation, REMEDIATION);
    assert.deepEqual([v.ruleId, v.severity], ['autoscaling-min-below-two', 'error']);
  }
  return vs.map((v) => [v.resource, v.where?.file ?? '', v.message]);
};

describe('autoscaling-min-below-two: the intent', () => {
  const cases: Array<{ name: string; spec: Record<string, unknown>; want: Array<[string, string, string]> }> = [
    { name: 'control plane at 1', spec: { controlPlane: { autoscaling: { minReplicas: 1 } } }, want: [[INTENT, 'mesh:spec.controlPlane.autoscaling.minReplicas', 'minReplicas is 1']] },
    { name: 'control plane at 2', spec: { controlPlane: { autoscaling: { minReplicas: 2 } } }, want: [] },
    { name: 'a non-number is left to the schema', spec: { controlPlane: { autoscaling: { minReplicas: '1' } } }, want: [] },
    { name: 'no autoscaling at all', spec: {}, want: [] },
    { name: 'external gateway at 0', spec: { gateways: { external: { autoscaling: { minReplicas: 0 } } } }, want: [[INTENT, 'mesh:spec.gateways.external.autoscaling.minReplicas', 'minReplicas is 0']] },
    { name: 'internal gateway at 1', spec: { gateways: { internal: { autoscaling: { minReplicas: 1 } } } }, want: [[INTENT, 'mesh:spec.gateways.internal.autoscaling.minReplicas', 'minReplicas is 1']] },
    {
      name: 'egress gateways, in name order',
      spec: { gateways: { egress: { zed: { autoscaling: { minReplicas: 1 } }, abe: { autoscaling: { minReplicas: 1 } }, ok: { autoscaling: { minReplicas: 3 } } } } },
      want: [
        [INTENT, 'mesh:spec.gateways.egress.abe.autoscaling.minReplicas', 'minReplicas is 1'],
        [INTENT, 'mesh:spec.gateways.egress.zed.autoscaling.minReplicas', 'minReplicas is 1'],
      ],
    },
    { name: 'an egress gateway written as null', spec: { gateways: { egress: { gone: null } } }, want: [] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(run(ctx(c.spec)), c.want));
});

describe('autoscaling-min-below-two: HPAs in the source', () => {
  const EGRESS = { istio: { components: { egressGateways: [{ name: 'out', namespace: 'edge' }, { name: 'plain' }] } } };
  const msg = (m: string): string => `HorizontalPodAutoscaler of a mesh component has minReplicas ${m}`;
  const cases: Array<{ name: string; o: LocatedObject; spec?: Record<string, unknown>; want: Array<[string, string, string]> }> = [
    { name: 'in the system namespace', o: hpa('aks-istio-system', 'x', 1), want: [['autoscaling/HorizontalPodAutoscaler/aks-istio-system/h', 'h:spec.minReplicas', msg('1')]] },
    { name: 'in the ingress namespace', o: hpa('aks-istio-ingress', 'x', 1), want: [['autoscaling/HorizontalPodAutoscaler/aks-istio-ingress/h', 'h:spec.minReplicas', msg('1')]] },
    { name: 'in the egress namespace', o: hpa('aks-istio-egress', 'x', 0), want: [['autoscaling/HorizontalPodAutoscaler/aks-istio-egress/h', 'h:spec.minReplicas', msg('0')]] },
    { name: "in an egress gateway's own namespace", o: hpa('edge', 'x', 1), spec: EGRESS, want: [['autoscaling/HorizontalPodAutoscaler/edge/h', 'h:spec.minReplicas', msg('1')]] },
    { name: "an egress gateway's namespace only when it is declared", o: hpa('edge', 'x', 1), want: [] },
    { name: 'targeting istiod from elsewhere', o: hpa('apps', 'istiod-asm-1-28', 1), want: [['autoscaling/HorizontalPodAutoscaler/apps/h', 'h:spec.minReplicas', msg('1')]] },
    { name: 'targeting an ingress gateway', o: hpa('apps', 'aks-istio-ingressgateway-external-asm-1-28', 1), want: [['autoscaling/HorizontalPodAutoscaler/apps/h', 'h:spec.minReplicas', msg('1')]] },
    { name: 'targeting an egress gateway by name', o: hpa('apps', 'out-asm-1-28', 1), spec: EGRESS, want: [['autoscaling/HorizontalPodAutoscaler/apps/h', 'h:spec.minReplicas', msg('1')]] },
    { name: 'without namespace, targeting istiod', o: hpa(undefined, 'istiod-asm-1-28', 1), want: [['autoscaling/HorizontalPodAutoscaler/_cluster/h', 'h:spec.minReplicas', msg('1')]] },
    { name: 'minReplicas unset means 1', o: hpa('aks-istio-system', 'x', undefined), want: [['autoscaling/HorizontalPodAutoscaler/aks-istio-system/h', 'h:spec.minReplicas', msg('unset (1)')]] },
    { name: 'minReplicas 2 is fine', o: hpa('aks-istio-system', 'x', 2), want: [] },
    { name: 'a non-number minReplicas is left to the schema', o: hpa('aks-istio-system', 'x', '1'), want: [] },
    { name: 'an application HPA', o: hpa('apps', 'web', 1), spec: EGRESS, want: [] },
    { name: 'a target that only contains a mesh prefix', o: hpa('apps', 'my-istiod-x', 1), want: [] },
    { name: 'a rendered HPA (the add-on owns it)', o: hpa('aks-istio-system', 'x', 1, { origin: 'rendered' }), want: [] },
    { name: 'istio without components', o: hpa('apps', 'web', 1), spec: { istio: {} }, want: [] },
    { name: 'no egress gateway declared: no gateway name to match', o: hpa('apps', 'undefined-asm-1-28', 1), want: [] },
    { name: 'no scale target', o: { ...hpa('apps', 'x', 1), object: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'apps' }, spec: { minReplicas: 1 } } as KubeObject }, want: [] },
    { name: 'another kind', o: hpa('aks-istio-system', 'x', 1, { kind: 'Deployment' }), want: [] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(run(ctx(c.spec ?? {}, [c.o])), c.want));

  it('reports the intent first, then the HPAs in source order', () => {
    const got = run(ctx({ controlPlane: { autoscaling: { minReplicas: 1 } } }, [hpa('aks-istio-system', 'x', 1), hpa('apps', 'web', 1), hpa('aks-istio-ingress', 'y', 0)]));
    assert.deepEqual(got.map((g) => g[0]), [INTENT, 'autoscaling/HorizontalPodAutoscaler/aks-istio-system/h', 'autoscaling/HorizontalPodAutoscaler/aks-istio-ingress/h']);
  });
});
