/**
 * The in-cluster guardrail (templates/policy.libsonnet) against the SAME fixtures as the static
 * rules: its CEL is evaluated with @marcbachmann/cel-js, as the API server would for CREATE, and
 * must deny exactly the objects that forbidden-kind and gateway-api-unsupported flag, admit every
 * other object, and honour the same unexpired exceptions.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Environment } from '@marcbachmann/cel-js';
import { JsonnetEngine } from '../../src/engine/template-engine.js';
import { resourceKey, apiGroup } from '../../src/core/resource-key.js';
import type { KubeObject, LocatedObject } from '../../src/core/types.js';
import { loadGuardrailData } from '../../src/catalog/guardrails.js';
import { collectSource } from '../../src/pipeline/collect.js';
import { applyDefaults } from '../../src/pipeline/defaults.js';
import { findIntent, validateIntent } from '../../src/pipeline/intent.js';
import { parseSourceFile, readSourceTree } from '../../src/pipeline/load.js';
import { forbiddenPolicy } from '../../src/pipeline/policy.js';
import { policyInput } from '../../src/pipeline/resolve.js';
import type { ServiceMesh } from '../../src/intent/types.js';
import { forbiddenKindRule } from '../../src/rules/forbidden-kind.js';
import { gatewayApiUnsupportedRule } from '../../src/rules/gateway-api-unsupported.js';
import type { Rule, RuleContext } from '../../src/rules/types.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { fixturesOf } from '../helpers/rule-fixtures.js';

const NOW = new Date('2026-06-15T00:00:00Z');
const RULES: Rule[] = [forbiddenKindRule, gatewayApiUnsupportedRule];
const env = new Environment({ unlistedVariablesAreDyn: true });

interface Policy {
  spec: {
    matchConstraints: { resourceRules: Array<{ apiGroups: string[]; operations: string[] }> };
    matchConditions?: Array<{ name: string; expression: string }>;
    variables: Array<{ name: string; expression: string }>;
    validations: Array<{ expression: string; messageExpression: string }>;
  };
}

let engine: JsonnetEngine;

before(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-policy-'));
  const policy = path.join(REPO_ROOT, 'templates', 'policy.libsonnet');
  await writeFile(path.join(dir, 'main.jsonnet'), `function(input) (import ${JSON.stringify(policy)})(input)\n`);
  engine = new JsonnetEngine({ templatesDir: dir });
});

async function renderPolicy(intent: ServiceMesh, kubeMinor = 32): Promise<KubeObject[]> {
  return (await engine.render({ policy: policyInput(intent, { now: NOW }, kubeMinor, []) })) as KubeObject[];
}

/**
 * An admission request as the API server hands it to a policy: `oldObject` is the stored object
 * on UPDATE and null on CREATE (admissionregistration/v1 types.go, kubernetes/api v0.30.0).
 */
interface Request { operation: 'CREATE' | 'UPDATE'; oldObject?: KubeObject }

/**
 * The admission decision: undefined when admitted, else the first denial message. As the API
 * server does, a request the resource rules or a match condition leave out is admitted unchecked.
 */
function decide(policy: Policy, object: KubeObject, request: Request = { operation: 'CREATE' }): string | undefined {
  const matched = policy.spec.matchConstraints.resourceRules.some((r) => r.operations.includes(request.operation) && r.apiGroups.includes(apiGroup(object.apiVersion)));
  if (!matched) return undefined;
  const admission = { object, oldObject: request.oldObject ?? null, request: { operation: request.operation } };
  if (!(policy.spec.matchConditions ?? []).every((c) => env.evaluate(c.expression, admission) === true)) return undefined;
  const variables: Record<string, unknown> = {};
  for (const v of policy.spec.variables) variables[v.name] = env.evaluate(v.expression, { ...admission, variables });
  const failed = policy.spec.validations.find((v) => env.evaluate(v.expression, { ...admission, variables }) !== true);
  return failed ? String(env.evaluate(failed.messageExpression, { ...admission, variables })) : undefined;
}

async function loadFixture(dir: string): Promise<{ intent: ServiceMesh; objects: LocatedObject[] }> {
  const docs = (await readSourceTree(dir)).flatMap(parseSourceFile);
  return { intent: applyDefaults(validateIntent(findIntent(docs)).intent), objects: collectSource(docs).objects };
}

/** Resources the static rules flag (a partial context: these two rules read only objects and forbidden kinds). */
function flagged(intent: ServiceMesh, objects: LocatedObject[]): Set<string> {
  const ctx = { objects, forbiddenKinds: forbiddenPolicy(intent, loadGuardrailData().forbiddenKinds).kinds, locate: () => ({ file: 'f', line: 1, column: 1 }) } as unknown as RuleContext;
  return new Set(RULES.flatMap((r) => r.check(ctx)).map((v) => v.resource));
}

function denied(policy: Policy, objects: LocatedObject[]): Set<string> {
  return new Set(objects.filter((o) => decide(policy, o.object) !== undefined).map((o) => resourceKey(o.object)));
}

function withExceptions(intent: ServiceMesh, resources: string[], expires: string): ServiceMesh {
  const exceptions = resources.map((resource) => ({ rule: resource.startsWith('gateway.networking.k8s.io/') ? 'gateway-api-unsupported' : 'forbidden-kind', resource, reason: 'test', expires }));
  return { ...intent, spec: { ...intent.spec, policy: { ...intent.spec.policy, exceptions } } };
}

const fixtures = RULES.flatMap((r) => fixturesOf(r.id));

describe('admission policy CEL on the static rules\' fixtures', () => {
  it('has fixtures to run', () => assert.ok(fixtures.length >= 4));

  for (const f of fixtures) {
    describe(`${f.ruleId} ${f.expect}/${f.name}`, () => {
      it('denies exactly what the static rules flag, with a message naming the rule', async () => {
        const { intent, objects } = await loadFixture(f.dir);
        const [policy] = (await renderPolicy(intent)) as unknown as Policy[];
        assert.ok(policy, 'the policy is rendered on Kubernetes 1.32');
        const expected = flagged(intent, objects);
        assert.deepEqual([...denied(policy, objects)].sort(), [...expected].sort());
        if (f.expect === 'fail') assert.ok(expected.size > 0, 'a failing fixture has something to deny');
        for (const o of objects.filter((x) => expected.has(resourceKey(x.object)))) {
          assert.match(decide(policy, o.object) ?? '', /meshplane rule (forbidden-kind|gateway-api-unsupported)/);
        }
      });

      if (f.expect === 'fail') {
        it('admits the same objects once unexpired exceptions name them, and denies them again when the exceptions expired', async () => {
          const { intent, objects } = await loadFixture(f.dir);
          const keys = [...flagged(intent, objects)];
          const [open] = (await renderPolicy(withExceptions(intent, keys, '2026-06-15'))) as unknown as Policy[];
          assert.deepEqual([...denied(open!, objects)], []);
          const [closed] = (await renderPolicy(withExceptions(intent, keys, '2026-06-14'))) as unknown as Policy[];
          assert.deepEqual([...denied(closed!, objects)].sort(), keys.sort());
        });
      }
    });
  }

  it('a name wildcard exception admits every object of that kind in the namespace, and only there', async () => {
    const { intent } = await loadFixture(fixturesOf('forbidden-kind').find((f) => f.name === 'virtual-service')!.dir);
    const [policy] = (await renderPolicy(withExceptions(intent, ['networking.istio.io/EnvoyFilter/shop/*'], '2030-01-01'))) as unknown as Policy[];
    const filter = (ns: string): KubeObject => ({ apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'any', namespace: ns } });
    assert.equal(decide(policy!, filter('shop')), undefined);
    assert.match(decide(policy!, filter('other')) ?? '', /forbidden-kind/);
  });

  describe('UPDATE', () => {
    const filter = (meta: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'legacy', namespace: 'shop', ...meta }, spec: {} });
    const gateway = (meta: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'web', namespace: 'shop', ...meta }, spec: { gatewayClassName: 'istio' } });
    const deleting = { deletionTimestamp: '2026-06-14T10:00:00Z' };
    // Why these cases: a finalizer-only UPDATE of an object being deleted (the garbage collector
    // removing foregroundDeletion) must pass, or the object stays Terminating; any other UPDATE
    // (one that changes the spec of an object being deleted included), and a CREATE whose body
    // claims a deletionTimestamp, must still be denied.
    const cases: Array<{ name: string; object: KubeObject; request: Request; denied: boolean }> = [
      { name: 'a forbidden kind, being deleted, its finalizer removed', object: filter(deleting), request: { operation: 'UPDATE', oldObject: filter({ ...deleting, finalizers: ['foregroundDeletion'] }) }, denied: false },
      { name: 'an Istio Gateway, being deleted, its finalizer removed', object: gateway(deleting), request: { operation: 'UPDATE', oldObject: gateway({ ...deleting, finalizers: ['foregroundDeletion'] }) }, denied: false },
      { name: 'a forbidden kind, not being deleted, relabelled', object: filter({ labels: { a: 'b' } }), request: { operation: 'UPDATE', oldObject: filter() }, denied: true },
      { name: 'an Istio Gateway, not being deleted, given a finalizer', object: gateway({ finalizers: ['x.example/f'] }), request: { operation: 'UPDATE', oldObject: gateway() }, denied: true },
      { name: 'a forbidden kind created with a deletionTimestamp in its body', object: filter(deleting), request: { operation: 'CREATE' }, denied: true },
      // An object being deleted can be held for ever by a finalizer nobody removes, and the API
      // server still accepts spec changes to it (it refuses only new finalizers: apimachinery
      // v0.36.0 pkg/api/validation/objectmeta.go ValidateObjectMetaAccessorUpdate), while Istio
      // keeps programming it (istio 1.30.2 pilot/pkg/config/kube/gateway and pkg/kube/kclient
      // never look at deletionTimestamp). So an UPDATE that changes the spec must still be checked:
      // otherwise a Gateway of another class, held and deleted, could be switched to Istio's.
      { name: 'a Gateway of another class, being deleted and held by a finalizer, switched to class istio', object: gateway({ ...deleting, finalizers: ['x.example/f'] }), request: { operation: 'UPDATE', oldObject: { ...gateway({ ...deleting, finalizers: ['x.example/f'] }), spec: { gatewayClassName: 'other' } } }, denied: true },
      { name: 'an HTTPRoute being deleted and held by a finalizer, re-pointed at a mesh Service', object: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'shop', ...deleting, finalizers: ['x.example/f'] }, spec: { parentRefs: [{ group: '', kind: 'Service', name: 'reviews' }] } }, request: { operation: 'UPDATE', oldObject: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'shop', ...deleting, finalizers: ['x.example/f'] }, spec: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'web' }] } } }, denied: true },
      { name: 'a forbidden kind, being deleted and held by a finalizer, its spec changed', object: { ...filter({ ...deleting, finalizers: ['x.example/f'] }), spec: { workloadSelector: { labels: { app: 'x' } } } }, request: { operation: 'UPDATE', oldObject: filter({ ...deleting, finalizers: ['x.example/f'] }) }, denied: true },
      { name: 'a forbidden kind without a spec, being deleted, its finalizer removed', object: { apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'bare', namespace: 'shop', ...deleting } }, request: { operation: 'UPDATE', oldObject: { apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'bare', namespace: 'shop', ...deleting, finalizers: ['foregroundDeletion'] } } }, denied: false },
    ];
    for (const c of cases) {
      it(`${c.denied ? 'denies' : 'admits'} ${c.name}`, async () => {
        const { intent } = await loadFixture(fixturesOf('forbidden-kind')[0]!.dir);
        const [policy] = (await renderPolicy(intent)) as unknown as Policy[];
        const message = decide(policy!, c.object, c.request);
        if (c.denied) assert.match(message ?? '', /meshplane rule (forbidden-kind|gateway-api-unsupported)/);
        else assert.equal(message, undefined);
      });
    }
  });

  it('is left out below Kubernetes 1.30 (admissionregistration.k8s.io/v1 policies are not served)', async () => {
    const { intent } = await loadFixture(fixturesOf('forbidden-kind')[0]!.dir);
    assert.deepEqual(await renderPolicy(intent, 29), []);
    const objects = await renderPolicy(intent, 30);
    assert.deepEqual(objects.map((o) => `${o.apiVersion} ${o.kind}`), ['admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding']);
  });
});
