/**
 * Admission webhooks, field by field: selectors, failurePolicy, rules and service, compared with
 * how istio/istio's charts install them (facts below, written from the chart files named beside
 * each case at tags 1.20.8 and 1.30.2, where these fields are the same, except
 * admissionReviewVersions: ["v1beta1", "v1"] in mutatingwebhook.yaml,
 * validatingwebhookconfiguration.yaml, revision-tags.yaml and base default.yaml at 1.20.8,
 * 1.21.5 and 1.22.7, ["v1"] from 1.23.6). The injector is named istio-sidecar-injector-<rev>,
 * with -<namespace> appended when the namespace is not istio-system (mutatingwebhook.yaml, every
 * tag 1.20.8 to 1.30.2); so is a tag's webhook istio-revision-tag-<tag> (revision-tags.yaml to
 * 1.27.9, revision-tags-mwc.yaml from 1.28.0, which istioctl tag set renders with the Istio
 * namespace as the release namespace). Explicit assertions, so a golden refresh cannot hide a change here.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/core/types.js';
import { find, renderMesh } from '../helpers/mesh-render.js';

interface Requirement { key: string; operator: string; values?: string[] }
interface Webhook {
  name: string;
  failurePolicy?: string;
  sideEffects: string;
  admissionReviewVersions: string[];
  namespaceSelector?: { matchExpressions: Requirement[] };
  objectSelector?: { matchExpressions: Requirement[] };
  rules: Array<{ operations: string[]; apiGroups: string[]; apiVersions: string[]; resources: string[] }>;
  clientConfig: { service: { name: string; namespace: string; path: string; port?: number }; caBundle?: string };
}
type Config = KubeObject & { webhooks: Webhook[] };

const NS = 'aks-istio-system';

/**
 * The two injection webhooks istio-discovery renders for a revision (templates/mutatingwebhook.yaml)
 * and for a revision tag (templates/revision-tags-mwc.yaml): `selector` is the revision or tag
 * name, `service` the istiod Service the tag points at.
 */
function upstreamInjection(selector: string, service: string, reviewVersions: string[] = ['v1']): Webhook[] {
  const common = {
    failurePolicy: 'Fail',
    sideEffects: 'None',
    admissionReviewVersions: reviewVersions,
    rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
    clientConfig: { service: { name: service, namespace: NS, path: '/inject', port: 443 } },
  };
  return [
    {
      ...common,
      name: 'rev.namespace.sidecar-injector.istio.io',
      namespaceSelector: { matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: [selector] }, { key: 'istio-injection', operator: 'DoesNotExist' }] },
      objectSelector: { matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] }] },
    },
    {
      ...common,
      name: 'rev.object.sidecar-injector.istio.io',
      namespaceSelector: { matchExpressions: [{ key: 'istio.io/rev', operator: 'DoesNotExist' }, { key: 'istio-injection', operator: 'DoesNotExist' }] },
      objectSelector: { matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] }, { key: 'istio.io/rev', operator: 'In', values: [selector] }] },
    },
  ];
}

/** The config groups every validator checks, all versions, CREATE and UPDATE. */
const VALIDATED = [{ operations: ['CREATE', 'UPDATE'], apiGroups: ['security.istio.io', 'networking.istio.io', 'telemetry.istio.io', 'extensions.istio.io'], apiVersions: ['*'], resources: ['*'] }];

/** Only the fields the facts speak about (reinvocationPolicy etc. are not compared here). */
function pick(w: Webhook): Webhook {
  const out: Webhook = { name: w.name, sideEffects: w.sideEffects, admissionReviewVersions: w.admissionReviewVersions, rules: w.rules, clientConfig: w.clientConfig };
  if (w.failurePolicy !== undefined) out.failurePolicy = w.failurePolicy;
  if (w.namespaceSelector !== undefined) out.namespaceSelector = w.namespaceSelector;
  if (w.objectSelector !== undefined) out.objectSelector = w.objectSelector;
  return out;
}

describe('webhooks of a canary (asm-1-29 + asm-1-30, tags on both)', () => {
  let objects: KubeObject[] = [];
  before(async () => {
    objects = await renderMesh({ revisions: ['asm-1-29', 'asm-1-30'], kubernetesVersion: '1.33', tags: { stable: 'asm-1-29', canary: 'asm-1-30' } });
  });

  for (const rev of ['asm-1-29', 'asm-1-30']) {
    it(`istio-sidecar-injector-${rev}-${NS}: namespace and object selectors, failurePolicy Fail (mutatingwebhook.yaml)`, () => {
      const mwc = find<Config>(objects, 'MutatingWebhookConfiguration', `istio-sidecar-injector-${rev}-${NS}`);
      assert.deepEqual(mwc.webhooks.map(pick), upstreamInjection(rev, `istiod-${rev}`));
    });

    it(`istio-validator-${rev}-${NS}: one webhook, objectSelector on the revision, failurePolicy Ignore (validatingwebhookconfiguration.yaml)`, () => {
      const vwc = find<Config>(objects, 'ValidatingWebhookConfiguration', `istio-validator-${rev}-${NS}`);
      assert.deepEqual(vwc.webhooks.map(pick), [{
        name: 'rev.validation.istio.io',
        failurePolicy: 'Ignore',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        objectSelector: { matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: [rev] }] },
        rules: VALIDATED,
        clientConfig: { service: { name: `istiod-${rev}`, namespace: NS, path: '/validate' } },
      }]);
    });
  }

  for (const [tag, rev] of [['stable', 'asm-1-29'], ['canary', 'asm-1-30']] as const) {
    it(`istio-revision-tag-${tag}-${NS}: selects istio.io/rev=${tag}, served by istiod-${rev} (revision-tags-mwc.yaml)`, () => {
      const mwc = find<Config>(objects, 'MutatingWebhookConfiguration', `istio-revision-tag-${tag}-${NS}`);
      assert.deepEqual(mwc.webhooks.map(pick), upstreamInjection(tag, `istiod-${rev}`));
    });
  }

  it('istiod-default-validator: no selectors, failurePolicy Ignore, the default (newest) revision (base defaultrevision-validatingwebhookconfiguration.yaml)', () => {
    const vwc = find<Config>(objects, 'ValidatingWebhookConfiguration', 'istiod-default-validator');
    assert.deepEqual(vwc.webhooks.map(pick), [{
      name: 'validation.istio.io',
      failurePolicy: 'Ignore',
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
      rules: VALIDATED,
      clientConfig: { service: { name: 'istiod-asm-1-30', namespace: NS, path: '/validate' } },
    }]);
  });

  it('no webhook carries a caBundle (istiod writes it)', () => {
    const configs = objects.filter((o) => /WebhookConfiguration$/.test(o.kind)) as Config[];
    assert.equal(configs.length, 2 + 2 + 2 + 1);
    for (const c of configs) for (const w of c.webhooks) assert.equal(w.clientConfig.caBundle, undefined, `${c.metadata?.name} ${w.name}`);
  });
});

describe('webhooks of a canary from asm-1-22 to asm-1-23: AdmissionReview versions per the chart of each revision', () => {
  let objects: KubeObject[] = [];
  before(async () => {
    objects = await renderMesh({ revisions: ['asm-1-22', 'asm-1-23'], kubernetesVersion: '1.30', tags: { stable: 'asm-1-22', canary: 'asm-1-23' } });
  });
  // ["v1beta1", "v1"] at 1.22.7, ["v1"] at 1.23.6 (the files named in the header).
  const versions = { 'asm-1-22': ['v1beta1', 'v1'], 'asm-1-23': ['v1'] } as const;

  for (const rev of ['asm-1-22', 'asm-1-23'] as const) {
    it(`istio-sidecar-injector-${rev}-${NS} and istio-validator-${rev}-${NS} offer ${versions[rev].join(', ')}`, () => {
      const mwc = find<Config>(objects, 'MutatingWebhookConfiguration', `istio-sidecar-injector-${rev}-${NS}`);
      assert.deepEqual(mwc.webhooks.map(pick), upstreamInjection(rev, `istiod-${rev}`, [...versions[rev]]));
      const vwc = find<Config>(objects, 'ValidatingWebhookConfiguration', `istio-validator-${rev}-${NS}`);
      assert.deepEqual(vwc.webhooks.map((w) => w.admissionReviewVersions), [[...versions[rev]]]);
    });
  }

  for (const [tag, rev] of [['stable', 'asm-1-22'], ['canary', 'asm-1-23']] as const) {
    it(`istio-revision-tag-${tag}-${NS} offers what ${rev}'s chart offers (revision-tags.yaml)`, () => {
      const mwc = find<Config>(objects, 'MutatingWebhookConfiguration', `istio-revision-tag-${tag}-${NS}`);
      assert.deepEqual(mwc.webhooks.map(pick), upstreamInjection(tag, `istiod-${rev}`, [...versions[rev]]));
    });
  }

  it('istiod-default-validator follows the default (newest) revision, asm-1-23 (base default.yaml)', () => {
    const vwc = find<Config>(objects, 'ValidatingWebhookConfiguration', 'istiod-default-validator');
    assert.deepEqual(vwc.webhooks.map((w) => w.admissionReviewVersions), [['v1']]);
  });
});
