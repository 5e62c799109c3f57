/**
 * The head's guardrail results in a diff preview: the same rule engine as `meshplane check`, on
 * the rendered head, with the clock and KUBE_API_VERSIONS passed through, and a note counting
 * the findings that spec.policy.exceptions waived (so a reviewer knows some were).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { render } from '../pipeline/render.js';
import { headGuardrails } from './guardrails.js';

/** A mesh that forbids EnvoyFilter, with `filters` of them in `shop` and (optionally) an exception for them. */
async function head(filters: number, exceptionExpires?: string) {
  const exception = exceptionExpires
    ? `    exceptions:\n      - rule: forbidden-kind\n        resource: networking.istio.io/EnvoyFilter/shop/*\n        reason: header filter until the app sets them\n        expires: "${exceptionExpires}"\n`
    : '';
  const mesh = `apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata:\n  name: t\nspec:\n  mode: Istio\n  istio:\n    revisions: [asm-1-28]\n  cluster:\n    kubernetesVersion: "1.32"\n  policy:\n    forbiddenKinds:\n      - networking.istio.io/EnvoyFilter\n${exception}`;
  const objects = Array.from({ length: filters }, (_, i) => `apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata: {name: f${i}, namespace: shop}\nspec: {configPatches: []}\n`).join('---\n');
  return render({ files: [{ path: 'mesh.yaml', text: mesh }, ...(filters > 0 ? [{ path: 'apps/filters.yaml', text: objects }] : [])], env: { now: new Date('2026-06-15T00:00:00Z') } });
}

const NOW = new Date('2026-06-15T00:00:00Z');
const forbidden = (g: ReturnType<typeof headGuardrails>) => g.violations.filter((v) => v.ruleId === 'forbidden-kind').map((v) => `${v.severity} ${v.resource}`);

describe('headGuardrails', () => {
  it('no head (the app folder is gone on that side): ran, nothing found, no note', () => {
    assert.deepEqual(headGuardrails(undefined, { now: NOW }), { ran: true, violations: [] });
  });

  it('reports the forbidden objects of the head as errors, without a note when nothing is waived', async () => {
    const g = headGuardrails(await head(1), { now: NOW });
    assert.equal(g.ran, true);
    assert.deepEqual(forbidden(g), ['error networking.istio.io/EnvoyFilter/shop/f0']);
    assert.equal(Object.hasOwn(g, 'note'), false);
  });

  const waived: Array<[number, string]> = [[1, '1 finding waived by spec.policy.exceptions'], [2, '2 findings waived by spec.policy.exceptions']];
  for (const [n, note] of waived) {
    it(`counts ${n} waived finding(s) in the note, and does not list them`, async () => {
      const g = headGuardrails(await head(n, '2027-01-01'), { now: NOW });
      assert.deepEqual(forbidden(g), []);
      assert.equal(g.note, note);
    });
  }

  it('judges expiry by the clock it is given: after the expiry day the finding is back, and nothing is waived', async () => {
    const g = headGuardrails(await head(1, '2026-06-15'), { now: new Date('2026-06-16T00:00:00Z') });
    assert.deepEqual(forbidden(g), ['error networking.istio.io/EnvoyFilter/shop/f0']);
    assert.equal(g.note, undefined);
  });

  it('passes KUBE_API_VERSIONS on: an API the cluster does not serve is reported only when the versions are known', async () => {
    const h = await head(0);
    const unavailable = (g: ReturnType<typeof headGuardrails>) => g.violations.filter((v) => v.ruleId === 'api-unavailable').length;
    assert.equal(unavailable(headGuardrails(h, { now: NOW })), 0, 'unknown versions: the rule is skipped');
    assert.ok(unavailable(headGuardrails(h, { now: NOW, kubeApiVersions: ['v1'] })) > 0, 'a cluster serving only v1 lacks the apps/v1 Deployments');
  });
});
