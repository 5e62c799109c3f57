/**
 * Explicit (non-golden) expectations for two contracts the goldens alone protected:
 * - the injection webhooks' namespace and object selectors, written out here from Istio's own
 *   chart at the tag the asm-1-30 revision renders: istio/istio 1.30.2
 *   manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml, "Case 1"
 *   (rev.namespace.*) and "Case 2" (rev.object.*) for a revision or tag value;
 * - the Argo CD sync waves of the security, monitoring and policy components, read from the wave
 *   table of docs/argocd.md (the documented contract), never from our output.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { render } from '../../src/pipeline/render.js';
import type { KubeObject } from '../../src/core/types.js';
import { readSourceTree } from '../../src/pipeline/load.js';
import { REPO_ROOT } from '../helpers/cli.js';

const COMPONENT = 'meshplane.io/component';
const WAVE = 'argocd.argoproj.io/sync-wave';

async function objectsOf(example: string): Promise<KubeObject[]> {
  const r = await render({ files: await readSourceTree(path.join(REPO_ROOT, 'examples', example)), env: {} });
  return r.objects.filter((o) => o.origin.kind !== 'source').map((o) => o.object);
}

/** The two injection webhooks Istio's chart renders for revision (or tag) `rev`. */
function upstreamSelectors(rev: string): Array<{ name: string; namespaceSelector: unknown; objectSelector: unknown }> {
  return [
    {
      name: 'rev.namespace.sidecar-injector.istio.io',
      namespaceSelector: { matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: [rev] }, { key: 'istio-injection', operator: 'DoesNotExist' }] },
      objectSelector: { matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] }] },
    },
    {
      name: 'rev.object.sidecar-injector.istio.io',
      namespaceSelector: { matchExpressions: [{ key: 'istio.io/rev', operator: 'DoesNotExist' }, { key: 'istio-injection', operator: 'DoesNotExist' }] },
      objectSelector: { matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] }, { key: 'istio.io/rev', operator: 'In', values: [rev] }] },
    },
  ];
}

describe('injection webhook selectors (istio/istio 1.30.2 mutatingwebhook.yaml)', () => {
  it('each revision webhook and each tag webhook selects exactly as Istio\'s chart does', async () => {
    const objects = await objectsOf('canary');
    const hooks = objects.filter((o) => o.kind === 'MutatingWebhookConfiguration');
    // examples/canary: revisions asm-1-29 and asm-1-30, tags prod-stable and prod-canary.
    const expected: Record<string, string> = {
      'istio-sidecar-injector-asm-1-29-aks-istio-system': 'asm-1-29',
      'istio-sidecar-injector-asm-1-30-aks-istio-system': 'asm-1-30',
      'istio-revision-tag-prod-stable-aks-istio-system': 'prod-stable',
      'istio-revision-tag-prod-canary-aks-istio-system': 'prod-canary',
    };
    assert.deepEqual(hooks.map((h) => h.metadata?.name).sort(), Object.keys(expected).sort());
    for (const h of hooks) {
      const rev = expected[h.metadata?.name ?? ''] as string;
      const got = (h.webhooks as Array<{ name: string; namespaceSelector: unknown; objectSelector: unknown }>).map((w) => ({ name: w.name, namespaceSelector: w.namespaceSelector, objectSelector: w.objectSelector }));
      assert.deepEqual(got, upstreamSelectors(rev), h.metadata?.name);
    }
  });

  it('a tag webhook sends pods to its target revision\'s istiod', async () => {
    const objects = await objectsOf('canary');
    const tag = objects.find((o) => o.kind === 'MutatingWebhookConfiguration' && o.metadata?.name === 'istio-revision-tag-prod-stable-aks-istio-system');
    const services = (tag?.webhooks as Array<{ clientConfig: { service: { name: string; namespace: string } } }>).map((w) => w.clientConfig.service);
    assert.deepEqual(services.map((s) => `${s.namespace}/${s.name}`), ['aks-istio-system/istiod-asm-1-29', 'aks-istio-system/istiod-asm-1-29']);
  });
});

/** The documented wave of each component whose row the table names. */
function documentedWaves(): Record<string, number> {
  const doc = readFileSync(path.join(REPO_ROOT, 'docs', 'argocd.md'), 'utf8');
  const rows = [...doc.matchAll(/^\| (-?\d+) \| (.+) \|$/gm)].map((m) => ({ wave: Number(m[1]), what: m[2] as string }));
  const waveOf = (re: RegExp): number => {
    const row = rows.find((r) => re.test(r.what));
    assert.ok(row, `docs/argocd.md has a wave row matching ${re}`);
    return row.wave;
  };
  return {
    security: waveOf(/^mesh-wide security/),
    monitoring: waveOf(/^monitoring/),
    policy: waveOf(/guardrail admission policy/),
  };
}

describe('sync waves of security, monitoring and policy (docs/argocd.md)', () => {
  it('every object of these components carries its documented wave', async () => {
    const waves = documentedWaves();
    const objects = await objectsOf('full');
    for (const [component, wave] of Object.entries(waves)) {
      const mine = objects.filter((o) => o.metadata?.labels?.[COMPONENT] === component);
      assert.ok(mine.length > 0, `examples/full renders ${component} objects`);
      for (const o of mine) assert.equal(o.metadata?.annotations?.[WAVE], String(wave), `${component}: ${o.kind}/${o.metadata?.name}`);
    }
  });

  it('the documented order holds: policy before security before monitoring', () => {
    const w = documentedWaves();
    assert.ok(w.policy < w.security && w.security < w.monitoring);
  });
});
