/**
 * Tests written to kill mutants no other test killed (each was applied by hand, seen to survive
 * the old suite and to fail here, then reverted):
 * - the policy CEL exception ignoring the object name (templates/policy.libsonnet, waiver());
 * - forbidden-kind matching the kind without its API group (rule and CEL);
 * - the revision × Kubernetes range check with `<=` turned into `<` (or `>=` into `>`).
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Environment } from '@marcbachmann/cel-js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { loadGuardrailData } from '../../src/catalog/guardrails.js';
import { check } from '../../src/guardrails/check.js';
import { render } from '../../src/pipeline/render.js';
import { apiGroup } from '../../src/core/resource-key.js';
import type { KubeObject, LocatedObject } from '../../src/core/types.js';
import { JsonnetEngine } from '../../src/engine/template-engine.js';
import type { ServiceMesh } from '../../src/intent/types.js';
import { forbiddenPolicy } from '../../src/pipeline/policy.js';
import { policyInput } from '../../src/pipeline/resolve.js';
import { forbiddenKindRule } from '../../src/rules/forbidden-kind.js';
import type { RuleContext } from '../../src/rules/types.js';
import { REPO_ROOT } from '../helpers/cli.js';

const NOW = new Date('2026-06-15T00:00:00Z');
const cel = new Environment({ unlistedVariablesAreDyn: true });

interface Policy {
  spec: { matchConstraints: { resourceRules: Array<{ apiGroups: string[]; operations: string[] }> }; variables: Array<{ name: string; expression: string }>; validations: Array<{ expression: string }> };
}

const mesh = (exceptions: Array<{ rule: string; resource: string }> = []): ServiceMesh => ({
  apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'm' },
  spec: { mode: 'Istio', istio: { revisions: ['asm-1-30'] }, policy: { exceptions: exceptions.map((e) => ({ ...e, reason: 'test', expires: '2030-01-01' })) } },
});

let engine: JsonnetEngine;
before(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-mutants-'));
  await writeFile(path.join(dir, 'main.jsonnet'), `function(input) (import ${JSON.stringify(path.join(REPO_ROOT, 'templates', 'policy.libsonnet'))})(input)\n`);
  engine = new JsonnetEngine({ templatesDir: dir });
});

async function policyOf(intent: ServiceMesh): Promise<Policy> {
  const [p] = (await engine.render({ policy: policyInput(intent, { now: NOW }, 32, []) })) as Policy[];
  assert.ok(p, 'the policy is rendered');
  return p;
}

/** True when the API server would admit CREATE of `object` under the policy (evaluated as it does, with cel-js). */
function admits(p: Policy, object: KubeObject): boolean {
  if (!p.spec.matchConstraints.resourceRules.some((r) => r.operations.includes('CREATE') && r.apiGroups.includes(apiGroup(object.apiVersion)))) return true;
  const variables: Record<string, unknown> = {};
  for (const v of p.spec.variables) variables[v.name] = cel.evaluate(v.expression, { object, variables });
  return p.spec.validations.every((v) => cel.evaluate(v.expression, { object, variables }) === true);
}

const envoyFilter = (name: string, ns = 'shop'): KubeObject => ({ apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name, namespace: ns } });

describe('mutant: the CEL exception ignores the object name', () => {
  it('an exception for one EnvoyFilter admits it and no other of the same namespace', async () => {
    const p = await policyOf(mesh([{ rule: 'forbidden-kind', resource: 'networking.istio.io/EnvoyFilter/shop/allowed' }]));
    assert.equal(admits(p, envoyFilter('allowed')), true);
    assert.equal(admits(p, envoyFilter('other')), false);
    assert.equal(admits(p, envoyFilter('allowed', 'elsewhere')), false);
  });
});

describe('mutant: forbidden-kind matches the kind without its API group', () => {
  const objects: Array<{ object: KubeObject; forbidden: boolean }> = [
    { object: envoyFilter('x'), forbidden: true },
    { object: { apiVersion: 'example.io/v1', kind: 'EnvoyFilter', metadata: { name: 'x', namespace: 'shop' } }, forbidden: false },
    { object: { apiVersion: 'telemetry.example.com/v1', kind: 'Telemetry', metadata: { name: 'x', namespace: 'shop' } }, forbidden: false },
    { object: { apiVersion: 'v1', kind: 'WorkloadEntry', metadata: { name: 'x', namespace: 'shop' } }, forbidden: false },
    // Groups the policy does match (they hold forbidden kinds), with a kind forbidden only in another group.
    { object: { apiVersion: 'networking.istio.io/v1', kind: 'Telemetry', metadata: { name: 'x', namespace: 'shop' } }, forbidden: false },
    { object: { apiVersion: 'telemetry.istio.io/v1', kind: 'EnvoyFilter', metadata: { name: 'x', namespace: 'shop' } }, forbidden: false },
  ];
  it('the static rule flags networking.istio.io/EnvoyFilter and no same-named kind of another group', () => {
    const located: LocatedObject[] = objects.map((o) => ({ object: o.object, origin: { kind: 'source', file: 'a.yaml', document: 0 } as never }));
    const kinds = forbiddenPolicy(mesh(), loadGuardrailData().forbiddenKinds).kinds;
    assert.ok(kinds.some((k) => k.kind === 'Telemetry') || kinds.some((k) => k.kind === 'WorkloadEntry'), 'the default list names a kind the test reuses in another group');
    const ctx = { objects: located, forbiddenKinds: kinds, locate: () => ({ file: 'a.yaml', line: 1, column: 1 }), locateObject: () => ({ file: 'a.yaml', line: 1, column: 1 }) } as unknown as RuleContext;
    assert.deepEqual(forbiddenKindRule.check(ctx).map((v) => v.resource), ['networking.istio.io/EnvoyFilter/shop/x']);
  });
  it('the admission policy denies networking.istio.io/EnvoyFilter and admits the others', async () => {
    const p = await policyOf(mesh());
    for (const o of objects) assert.equal(admits(p, o.object), !o.forbidden, `${o.object.apiVersion} ${o.object.kind}`);
  });
});

describe('mutant: the revision × Kubernetes range boundary', () => {
  const revision = loadCatalog().revisions.find((r) => r.name === 'asm-1-28');
  const minor = (v: string): number => Number(v.split('.')[1]);
  async function incompatible(kube: number): Promise<boolean> {
    const text = `apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: m}\nspec:\n  mode: Istio\n  istio: {revisions: [asm-1-28]}\n  cluster: {kubernetesVersion: "1.${kube}"}\n`;
    const report = check(await render({ files: [{ path: 'mesh.yaml', text }], env: {} }), { now: NOW });
    return report.violations.some((v) => v.ruleId === 'revision-kubernetes-incompatible');
  }
  it('the catalog has a range for asm-1-28', () => assert.ok(revision && minor(revision.kubernetes.max) > minor(revision.kubernetes.min)));
  it('both ends of the supported range are accepted, one past either end is not', { timeout: 60_000 }, async () => {
    const lo = minor(revision!.kubernetes.min);
    const hi = minor(revision!.kubernetes.max);
    assert.deepEqual([await incompatible(lo - 1), await incompatible(lo), await incompatible(hi), await incompatible(hi + 1)], [true, false, false, true]);
  });
});
