/**
 * catalog/kubernetes-apis.yaml against everything kubernetes/api says is leaving, kind by kind.
 * The facts are a stored extract (./k8s-api-lifecycle.extract.json, written by
 * scripts/extract-k8s-api-lifecycle.mjs from the release tags v0.17.0 ... v0.36.0; it names its
 * source and the date it was read), so a kind the catalog misses fails here without anyone
 * having to think of it. The hand-written table in src/rules/api-removed.test.ts stays as the
 * second, independent reading.
 *
 * The catalog's own rules (its header) turn a record into an entry: removedIn is the lifecycle
 * Removed minor, or the first tag whose register.go no longer has the kind when that comes first;
 * deprecatedIn is the Deprecated minor capped at removedIn (removedIn without one). Listed: every
 * kind removed from 1.16 to 1.36, and every kind deprecated by 1.36 whose removal is scheduled.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { kubeMinor } from '../../src/catalog/catalog.js';
import { loadGuardrailData } from '../../src/catalog/guardrails.js';
import { REPO_ROOT } from '../helpers/cli.js';

interface ExtractRecord {
  apiVersion: string;
  kind: string;
  registered?: [string, string];
  lifecycle?: { at: string; introduced?: string; deprecated?: string; removed?: string; replacement?: string };
}

const extract = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test', 'contracts', 'k8s-api-lifecycle.extract.json'), 'utf8')) as { source: string; read: string; records: ExtractRecord[] };
const NEWEST_TAG = 'v0.36.0';
const NEWEST_MINOR = 36;
const tagMinor = (tag: string): number => Number(tag.split('.')[1]);

/**
 * Kinds kubernetes/api registers that no manifest can create, so the catalog leaves them out.
 * Why each (all read at the tags named):
 * - request-only bodies: AdmissionReview (sent to webhooks), APIGroupDiscovery (a discovery
 *   response), DeploymentRollback, Scale and Eviction (bodies of the rollback, scale and
 *   eviction subresources);
 * - v1 EphemeralContainers: the body of the pods/ephemeralcontainers subresource (core/v1/types.go
 *   v0.21.0 says so), never a resource of its own;
 * - extensions/v1beta1 ReplicationControllerDummy: a placeholder type (types.go v0.17.0), registered
 *   only so the group could serve replicationcontrollers/scale;
 * - batch JobTemplate: the template embedded in a CronJob; kube-apiserver's batch storage serves
 *   jobs and cronjobs, never jobtemplates (kubernetes/kubernetes pkg/registry/batch/rest/storage_batch.go).
 */
const NOT_A_RESOURCE = new Set([
  'admission.k8s.io/v1beta1 AdmissionReview',
  'apidiscovery.k8s.io/v2beta1 APIGroupDiscovery',
  'apps/v1beta1 DeploymentRollback',
  'apps/v1beta1 Scale',
  'apps/v1beta2 Scale',
  'extensions/v1beta1 DeploymentRollback',
  'extensions/v1beta1 Scale',
  'policy/v1beta1 Eviction',
  'v1 EphemeralContainers',
  'extensions/v1beta1 ReplicationControllerDummy',
  'batch/v1beta1 JobTemplate',
  'batch/v2alpha1 JobTemplate',
]);

/**
 * Catalog entries dated from another source because kubernetes/api dates them too late or not at
 * all (the catalog's header and comments say why). scheduling.k8s.io/v1alpha1 PriorityClass has no
 * lifecycle functions and its types stayed until v0.35.0, long after 1.17 stopped serving it.
 */
const DATED_ELSEWHERE = new Set(['scheduling.k8s.io/v1alpha1 PriorityClass']);
/** Catalog entries read from other repositories (kubernetes/apiextensions-apiserver, kube-aggregator) or only from Pluto (rbac v1alpha1: types still in k8s.io/api, no lifecycle functions). */
const OTHER_SOURCES = /^(apiextensions\.k8s\.io\/|apiregistration\.k8s\.io\/|rbac\.authorization\.k8s\.io\/v1alpha1 )/;

/** The catalog entry a record calls for (removedIn, deprecatedIn), or undefined when it calls for none. */
function expected(r: ExtractRecord): { removedIn: string; deprecatedIn: string } | undefined {
  const candidates: number[] = [];
  if (r.lifecycle?.removed) candidates.push(kubeMinor(r.lifecycle.removed));
  if (r.registered && r.registered[1] !== NEWEST_TAG) candidates.push(tagMinor(r.registered[1]) + 1);
  if (candidates.length === 0) return undefined;
  const removed = Math.min(...candidates);
  const deprecated = r.lifecycle?.deprecated ? Math.min(kubeMinor(r.lifecycle.deprecated), removed) : removed;
  if (removed < 16) return undefined;
  if (removed > NEWEST_MINOR && deprecated > NEWEST_MINOR) return undefined;
  return { removedIn: `1.${removed}`, deprecatedIn: `1.${deprecated}` };
}

const catalog = loadGuardrailData().kubernetesApis;
const byId = new Map<string, (typeof catalog)[number]>(catalog.flatMap((e) => e.kinds.map((k) => [`${e.apiVersion} ${k}`, e] as const)));
const records = extract.records.filter((r) => !NOT_A_RESOURCE.has(`${r.apiVersion} ${r.kind}`));

describe('catalog/kubernetes-apis.yaml against the stored kubernetes/api extract', () => {
  it('the extract names its source, tags and read date, and holds the kinds it is about', () => {
    assert.match(extract.source, /kubernetes\/api .*v0\.17\.0 \.\.\. v0\.36\.0 .*register\.go and zz_generated\.prerelease-lifecycle\.go/);
    assert.match(extract.read, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(extract.records.length > 100, `${extract.records.length} records`);
    for (const id of NOT_A_RESOURCE) assert.ok(extract.records.some((r) => `${r.apiVersion} ${r.kind}` === id), `${id} is in the extract (else drop it from NOT_A_RESOURCE)`);
  });

  for (const r of records) {
    const want = expected(r);
    if (!want) continue;
    const id = `${r.apiVersion} ${r.kind}`;
    it(`${id}: removed in ${want.removedIn}, deprecated in ${want.deprecatedIn}`, () => {
      const e = byId.get(id);
      assert.ok(e, `catalog/kubernetes-apis.yaml has no entry for ${id} (kubernetes/api ${r.lifecycle ? `lifecycle at ${r.lifecycle.at}` : `register.go last at ${r.registered?.[1]}`})`);
      if (DATED_ELSEWHERE.has(id)) {
        assert.ok(kubeMinor(e.removedIn) <= kubeMinor(want.removedIn), 'dated elsewhere, never later than the source');
        return;
      }
      assert.deepEqual({ removedIn: e.removedIn, deprecatedIn: e.deprecatedIn }, want);
    });
  }

  it('lists no kind the source does not call for', () => {
    const called = new Set(records.filter((r) => expected(r)).map((r) => `${r.apiVersion} ${r.kind}`));
    const extra = [...byId.keys()].filter((id) => !called.has(id) && !OTHER_SOURCES.test(id));
    assert.deepEqual(extra, []);
  });
});
