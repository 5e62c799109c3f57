/**
 * Property tests (fast-check) over random VALID intents (intent-arbitraries.ts). For each one:
 * the render is deterministic, every object validates against its schema (test/schemas/), no two
 * objects share a resourceKey, every revision gets the complete istiod object set, and the
 * guardrails find no error-severity violation in Meshplane's own output.
 *
 * Cost: each distinct intent is one jsonnet evaluation (~0.3-1 s), so the run count is small and
 * the seed fixed (reproducible in CI). Explore more with PROPERTY_RUNS=200 PROPERTY_SEED=<n>.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { check } from '../../src/guardrails/check.js';
import { render, type RenderResult } from '../../src/pipeline/render.js';
import { resourceKey } from '../../src/core/resource-key.js';
import type { KubeObject } from '../../src/core/types.js';
import type { ServiceMesh } from '../../src/intent/types.js';
import { emitYaml } from '../../src/pipeline/emit.js';
import { validateObject } from '../schemas/object-validators.js';
import { revisionChoices, validIntent } from './intent-arbitraries.js';
import { controlPlaneOf } from '../helpers/control-plane.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 16);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261125);
/** The clock of the check: fixed, so end-of-life findings do not change with the day the suite runs. */
const NOW = new Date('2026-11-25T00:00:00Z');

async function renderIntent(intent: ServiceMesh): Promise<RenderResult> {
  return render({ files: [{ path: 'mesh.yaml', text: stringify(intent) }], env: {} });
}

function objectsOf(r: RenderResult): KubeObject[] {
  return r.objects.map((o) => o.object);
}

/** The structural invariants (determinism, identity, control plane) over two renders' objects. */
function structuralProblems(revisions: readonly string[], objects: KubeObject[], again: KubeObject[]): string[] {
  const problems: string[] = [];
  if (emitYaml(objects) !== emitYaml(again)) problems.push('two renders of the same intent differ');
  const keys = objects.map(resourceKey);
  for (const k of new Set(keys.filter((k, i) => keys.indexOf(k) !== i))) problems.push(`resourceKey collision: ${k}`);
  for (const rev of revisions) {
    for (const [kind, name] of controlPlaneOf(rev)) {
      const o = objects.find((x) => x.kind === kind && x.metadata?.name === name);
      if (!o) problems.push(`${rev}: ${kind}/${name} is missing`);
      else if (o.metadata?.labels?.['istio.io/rev'] !== rev) problems.push(`${rev}: ${kind}/${name} lacks istio.io/rev=${rev}`);
    }
  }
  return problems;
}

/** Every invariant for one intent; returns the problems found (empty = the property holds). */
async function problemsOf(intent: ServiceMesh): Promise<string[]> {
  const first = await renderIntent(intent);
  const second = await renderIntent(structuredClone(intent));
  const problems = structuralProblems(intent.spec.istio?.revisions ?? [], objectsOf(first), objectsOf(second));
  for (const o of objectsOf(first)) {
    const v = await validateObject(o);
    if (v.status === 'no-schema') problems.push(`${resourceKey(o)} (${o.apiVersion}): no schema to validate it against`);
    if (v.status === 'invalid') problems.push(`${resourceKey(o)}: ${v.schema}: ${v.message}`);
  }
  for (const v of check(first, { now: NOW }).violations) {
    if (v.severity === 'error') problems.push(`check: error[${v.ruleId}] ${v.resource}: ${v.message}`);
  }
  return problems;
}

describe('the intent arbitrary', () => {
  it('covers single revisions and canary pairs of the catalog', () => {
    const choices = revisionChoices();
    assert.ok(choices.some((c) => c.revisions.length === 1));
    assert.ok(choices.some((c) => c.revisions.length === 2));
    assert.ok(choices.every((c) => c.kubeMinors.length > 0));
  });

  it('generates varied intents', () => {
    const samples = fc.sample(validIntent(), { numRuns: 40, seed: SEED });
    assert.ok(samples.some((s) => (s.spec.istio?.revisions.length ?? 0) === 2), 'some canary pairs');
    assert.ok(samples.some((s) => s.spec.tags !== undefined), 'some tags');
    assert.ok(samples.some((s) => s.spec.monitoring?.grafana === 'grafana-operator'), 'some dashboards');
  });

  it('the invariants catch broken renders (so the property can fail)', async () => {
    const [intent] = fc.sample(validIntent(), { numRuns: 1, seed: SEED }) as [ServiceMesh];
    const revs = intent.spec.istio?.revisions ?? [];
    const objects = objectsOf(await renderIntent(intent));
    assert.deepEqual(structuralProblems(revs, objects, objects), [], 'the real render passes');
    const rev = revs[0] as string;
    const isIstiod = (o: KubeObject): boolean => o.kind === 'Deployment' && o.metadata?.name === `istiod-${rev}`;
    const unlabelled = objects.map((o) => (isIstiod(o) ? { ...o, metadata: { ...o.metadata, labels: {} } } : o));
    const cases: Array<[string, KubeObject[], KubeObject[], RegExp]> = [
      ['a duplicated object', [...objects, objects[0] as KubeObject], [...objects, objects[0] as KubeObject], /resourceKey collision/],
      ['a missing istiod Deployment', objects.filter((o) => !isIstiod(o)), objects.filter((o) => !isIstiod(o)), /Deployment\/istiod-.* is missing/],
      ['an istiod Deployment without its revision label', unlabelled, unlabelled, /lacks istio\.io\/rev/],
      ['a second render that differs', objects, objects.slice(1), /two renders .* differ/],
    ];
    for (const [name, a, b, want] of cases) assert.match(structuralProblems(revs, a, b).join('\n'), want, name);
  });
});

describe('properties of random valid intents', () => {
  it(`render is deterministic, schema-valid, collision-free, complete per revision, and passes the guardrails (${RUNS} intents, seed ${SEED})`, { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(validIntent(), async (intent) => {
        const problems = await problemsOf(intent);
        assert.deepEqual(problems, [], `intent:\n${stringify(intent)}`);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
