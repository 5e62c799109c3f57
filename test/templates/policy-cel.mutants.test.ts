/**
 * Kills the CEL mutants of templates/policy.libsonnet that scripts/mutate-cel.mjs found alive
 * (`npm run mutate cel`): the Istio GatewayClass clause (kind, controller name, and/or), GAMMA
 * routes with several parentRefs (exists, not all), and exceptions of one rule never waiving the
 * other; an exception that names one object (the name clause, issue 13), core-group kinds
 * (`object.apiVersion == 'v1'`) and a group matched as a whole group (the `/` after it).
 * Objects are written here; decisions come from evaluating the rendered CEL.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Environment } from '@marcbachmann/cel-js';
import { JsonnetEngine } from '../../src/engine/template-engine.js';
import { apiGroup } from '../../src/core/resource-key.js';
import type { KubeObject } from '../../src/core/types.js';
import { applyDefaults } from '../../src/pipeline/defaults.js';
import { findIntent, validateIntent } from '../../src/pipeline/intent.js';
import { parseSourceFile, readSourceTree } from '../../src/pipeline/load.js';
import { policyInput } from '../../src/pipeline/resolve.js';
import type { ServiceMesh } from '../../src/intent/types.js';
import { REPO_ROOT } from '../helpers/cli.js';

const NOW = new Date('2026-06-15T00:00:00Z');
const env = new Environment({ unlistedVariablesAreDyn: true });
type Policy = { spec: { matchConstraints: { resourceRules: Array<{ apiGroups: string[] }> }; variables: Array<{ name: string; expression: string }>; validations: Array<{ expression: string }> } };

let engine: JsonnetEngine;
let intent: ServiceMesh;
before(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-policy-mutants-'));
  await writeFile(path.join(dir, 'main.jsonnet'), `function(input) (import ${JSON.stringify(path.join(REPO_ROOT, 'templates', 'policy.libsonnet'))})(input)\n`);
  engine = new JsonnetEngine({ templatesDir: dir });
  const docs = (await readSourceTree(path.join(REPO_ROOT, 'examples', 'single-revision'))).flatMap(parseSourceFile);
  intent = applyDefaults(validateIntent(findIntent(docs)).intent);
});

/** The policy for `exceptions` (unexpired) and, when given, spec.policy.forbiddenKinds (`group/Kind`, core group as `core`). */
async function policyWith(exceptions: Array<{ rule: string; resource: string }>, forbiddenKinds?: string[]): Promise<Policy> {
  const listed = forbiddenKinds ? { forbiddenKinds } : {};
  const mesh = { ...intent, spec: { ...intent.spec, policy: { ...intent.spec.policy, ...listed, exceptions: exceptions.map((e) => ({ ...e, reason: 'test', expires: '2030-01-01' })) } } };
  const [policy] = (await engine.render({ policy: policyInput(mesh, { now: NOW }, 32, []) })) as unknown as Policy[];
  return policy!;
}

/** True when the policy denies creating `object`. */
function denies(policy: Policy, object: KubeObject): boolean {
  if (!policy.spec.matchConstraints.resourceRules.some((r) => r.apiGroups.includes(apiGroup(object.apiVersion)))) return false;
  const variables: Record<string, unknown> = {};
  for (const v of policy.spec.variables) variables[v.name] = env.evaluate(v.expression, { object, variables });
  return policy.spec.validations.some((v) => env.evaluate(v.expression, { object, variables }) !== true);
}

const GW = 'gateway.networking.k8s.io/v1';
const obj = (kind: string, spec: Record<string, unknown>, apiVersion = GW): KubeObject => ({ apiVersion, kind, metadata: { name: 'x', namespace: 'shop' }, spec } as KubeObject);

describe('policy CEL: Gateway API objects Istio would program', () => {
  it('GatewayClass: denied only for Istio\'s controller, and only as a GatewayClass', async () => {
    const p = await policyWith([]);
    const cases: Array<[string, KubeObject, boolean]> = [
      ['Istio GatewayClass', obj('GatewayClass', { controllerName: 'istio.io/gateway-controller' }), true],
      ['another controller\'s GatewayClass', obj('GatewayClass', { controllerName: 'example.com/gateway' }), false],
      ['a GatewayClass with no controller', obj('GatewayClass', {}), false],
      ['a Gateway carrying Istio\'s controller name but another class', obj('Gateway', { controllerName: 'istio.io/gateway-controller', gatewayClassName: 'other' }), false],
      ['an Istio-class Gateway', obj('Gateway', { gatewayClassName: 'istio' }), true],
    ];
    for (const [name, o, want] of cases) assert.equal(denies(p, o), want, name);
  });

  // The policy sees a route after the API server applied the CRD's defaults: an omitted parentRef
  // group is written as gateway.networking.k8s.io (Gateway API apis/v1/shared_types.go
  // `+kubebuilder:default`), so the objects below carry the group as admission would see it.
  const gw = (name: string) => ({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name });
  it('routes: denied when ANY parentRef is a mesh parent (core Service or Istio ServiceEntry), admitted when none is', async () => {
    const p = await policyWith([]);
    const cases: Array<[string, unknown[], boolean]> = [
      ['a core Service second', [gw('gw'), { group: '', kind: 'Service', name: 'svc' }], true],
      ['an Istio ServiceEntry', [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'ext' }], true],
      ['Gateways only', [gw('gw'), gw('gw2')], false],
      ['a Service of the defaulted group (Istio refuses that parent)', [{ group: 'gateway.networking.k8s.io', kind: 'Service', name: 'svc' }], false],
      ['a ServiceEntry of another group', [{ group: 'example.com', kind: 'ServiceEntry', name: 'ext' }], false],
      ['a Service without a group (never after defaulting; Istio reads it as the default group)', [{ kind: 'Service', name: 'svc' }], false],
    ];
    for (const [name, parentRefs, want] of cases) assert.equal(denies(p, obj('HTTPRoute', { parentRefs })), want, name);
  });

  it('an exception of one rule never waives the other rule', async () => {
    const filter = obj('EnvoyFilter', {}, 'networking.istio.io/v1alpha3');
    const gwClass = obj('GatewayClass', { controllerName: 'istio.io/gateway-controller' });
    const p = await policyWith([
      { rule: 'gateway-api-unsupported', resource: 'networking.istio.io/EnvoyFilter/shop/x' },
      { rule: 'forbidden-kind', resource: 'gateway.networking.k8s.io/GatewayClass/_cluster/x' },
    ]);
    assert.equal(denies(p, filter), true, 'a gateway-api-unsupported exception does not admit a forbidden kind');
    assert.equal(denies(p, { ...gwClass, metadata: { name: 'x' } }), true, 'a forbidden-kind exception does not admit an Istio GatewayClass');
  });
});

describe('policy CEL: which objects a forbidden kind or an exception names', () => {
  const ef = (name: string, namespace = 'shop', apiVersion = 'networking.istio.io/v1alpha3'): KubeObject => ({ apiVersion, kind: 'EnvoyFilter', metadata: { name, namespace } }) as KubeObject;

  it('an exception naming one object admits that object only (not others of its kind and namespace)', async () => {
    const p = await policyWith([{ rule: 'forbidden-kind', resource: 'networking.istio.io/EnvoyFilter/shop/lua' }]);
    assert.equal(denies(p, ef('lua')), false, 'the named object');
    assert.equal(denies(p, ef('other')), true, 'another name in the same namespace');
    assert.equal(denies(p, ef('lua', 'billing')), true, 'the same name in another namespace');
  });

  it('a core-group kind (written core/Kind) matches apiVersion v1 only', async () => {
    const p = await policyWith([], ['core/ConfigMap']);
    const cm = (apiVersion: string): KubeObject => ({ apiVersion, kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' } }) as KubeObject;
    assert.equal(denies(p, cm('v1')), true, 'a core ConfigMap');
    assert.equal(denies(p, ef('x')), false, 'EnvoyFilter is no longer listed');
  });

  it('a group matches as a whole group, not as a prefix of a longer group', async () => {
    // Both groups are listed, so the policy's match constraints send objects of either to the CEL.
    const p = await policyWith([], ['example.com/Widget', 'example.com.au/Gadget']);
    const obj = (apiVersion: string, kind: string): KubeObject => ({ apiVersion, kind, metadata: { name: 'w', namespace: 'shop' } }) as KubeObject;
    assert.equal(denies(p, obj('example.com/v1', 'Widget')), true);
    assert.equal(denies(p, obj('example.com.au/v1', 'Gadget')), true);
    assert.equal(denies(p, obj('example.com.au/v1', 'Widget')), false, 'Widget is forbidden in example.com only');
  });
});

