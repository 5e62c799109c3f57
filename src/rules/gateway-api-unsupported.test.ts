/**
 * gateway-api-unsupported on objects in memory: a GatewayClass of Istio's controller, a Gateway
 * whose class is `istio` or a GatewayClass of Istio's controller in the source, and a route
 * (HTTP, GRPC, TCP, TLS) with a Service parentRef in the core group are reported, each at the
 * field that makes it Istio's; look-alikes of other groups, controllers or parents are not.
 * Service parentRefs are written with `group: ""`: Gateway API's ParentReference defaults an
 * omitted group to gateway.networking.k8s.io (kubernetes-sigs/gateway-api apis/v1/shared_types.go,
 * `+kubebuilder:default`), so only the empty group names the core Service.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/types.js';
import { memoryContext } from '../../test/helpers/rule-context.js';
import { gatewayApiUnsupportedRule } from './gateway-api-unsupported.js';

const GW = 'gateway.networking.k8s.io/v1';
const obj = (kind: string, name: string, spec: Record<string, unknown>, apiVersion = GW): KubeObject => ({ apiVersion, kind, metadata: { name, namespace: 'shop' }, spec }) as KubeObject;
const ISTIO_CLASS = obj('GatewayClass', 'mine', { controllerName: 'istio.io/gateway-controller' });

describe('gateway-api-unsupported on objects in memory', () => {
  // [case, objects, [where.file, message] of each finding]
  const cases: Array<[string, KubeObject[], Array<[string, string]>]> = [
    ['an Istio GatewayClass', [ISTIO_CLASS], [['mine:spec.controllerName', 'GatewayClass is programmed by Istio (istio.io/gateway-controller)']]],
    ['another controller', [obj('GatewayClass', 'other', { controllerName: 'example.com/gw' })], []],
    ['a GatewayClass of another group', [obj('GatewayClass', 'x', { controllerName: 'istio.io/gateway-controller' }, 'example.com/v1')], []],
    ['a Gateway of class istio', [obj('Gateway', 'g', { gatewayClassName: 'istio' })], [['g:spec.gatewayClassName', 'Gateway of the Istio class "istio"']]],
    [
      'a Gateway of a source class of Istio\'s controller',
      [ISTIO_CLASS, obj('Gateway', 'g', { gatewayClassName: 'mine' })],
      [['mine:spec.controllerName', 'GatewayClass is programmed by Istio (istio.io/gateway-controller)'], ['g:spec.gatewayClassName', 'Gateway of the Istio class "mine"']],
    ],
    ['a Gateway of another class', [obj('GatewayClass', 'other', { controllerName: 'example.com/gw' }), obj('Gateway', 'g', { gatewayClassName: 'other' })], []],
    ['a Gateway without a class name', [obj('Gateway', 'g', {})], []],
    ['an Istio Gateway (networking.istio.io) is not Gateway API', [obj('Gateway', 'g', { gatewayClassName: 'istio' }, 'networking.istio.io/v1')], []],
    ['an HTTPRoute with a Service parent (second ref)', [obj('HTTPRoute', 'r', { parentRefs: [{ name: 'gw' }, { group: '', kind: 'Service', name: 'svc' }] })], [['r:spec.parentRefs.1', 'HTTPRoute with a Service parentRef is a GAMMA mesh route, which the add-on does not support']]],
    ['a GRPCRoute and a TCPRoute', [obj('GRPCRoute', 'a', { parentRefs: [{ group: '', kind: 'Service', name: 's' }] }), obj('TCPRoute', 'b', { parentRefs: [{ group: '', kind: 'Service', name: 's' }] })], [['a:spec.parentRefs.0', 'GRPCRoute with a Service parentRef is a GAMMA mesh route, which the add-on does not support'], ['b:spec.parentRefs.0', 'TCPRoute with a Service parentRef is a GAMMA mesh route, which the add-on does not support']]],
    ['a TLSRoute', [obj('TLSRoute', 't', { parentRefs: [{ group: '', kind: 'Service', name: 's' }] })], [['t:spec.parentRefs.0', 'TLSRoute with a Service parentRef is a GAMMA mesh route, which the add-on does not support']]],
    ['a Service kind of another group', [obj('HTTPRoute', 'r', { parentRefs: [{ group: 'example.com', kind: 'Service', name: 's' }] })], []],
    // Istio 1.30.3 NormalizeReference: an omitted group is gateway.networking.k8s.io, and
    // gateway.networking.k8s.io/Service or core/Service is no known type: Istio refuses that parent.
    ['a Service parent with the group omitted (defaults to gateway.networking.k8s.io: no such parent)', [obj('HTTPRoute', 'r', { parentRefs: [{ kind: 'Service', name: 's' }] })], []],
    ['a Service parent of the group "core" (no such group)', [obj('HTTPRoute', 'r', { parentRefs: [{ group: 'core', kind: 'Service', name: 's' }] })], []],
    // conversion.go allowedParentReferences also has Istio's ServiceEntry: a mesh route too.
    ['an HTTPRoute with a ServiceEntry parent', [obj('HTTPRoute', 'r', { parentRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'ext' }] })], [['r:spec.parentRefs.0', 'HTTPRoute with a ServiceEntry parentRef is a GAMMA mesh route, which the add-on does not support']]],
    // A list prints as its items in a template string: only strings may name a mesh parent.
    ['a group and kind given as lists (not a reference the API server would take)', [obj('HTTPRoute', 'r', { parentRefs: [{ group: [''], kind: 'Service', name: 's' }, { group: '', kind: ['Service'], name: 's' }] })], []],
    ['a ServiceEntry kind with the group omitted', [obj('HTTPRoute', 'r', { parentRefs: [{ kind: 'ServiceEntry', name: 'ext' }] })], []],
    ['a parent with the kind omitted (a Gateway) and the core group', [obj('HTTPRoute', 'r', { parentRefs: [{ group: '', name: 'gw' }] })], []],
    ['a route to a Gateway only, or without parentRefs', [obj('HTTPRoute', 'r', { parentRefs: [{ kind: 'Gateway', name: 'gw' }] }), obj('HTTPRoute', 'q', {})], []],
    ['a route kind that is not listed', [obj('UDPRoute', 'u', { parentRefs: [{ group: '', kind: 'Service', name: 's' }] })], []],
  ];
  for (const [name, objects, want] of cases) {
    it(name, () => {
      const got = gatewayApiUnsupportedRule.check(memoryContext(30, [], objects));
      assert.deepEqual(got.map((v) => [v.where?.file, v.message]), want);
      for (const v of got) assert.match(v.remediation, /^use the managed ingress gateways \(spec\.istio\.components\.ingressGateways\).*spec\.policy\.exceptions entry/);
    });
  }
});
