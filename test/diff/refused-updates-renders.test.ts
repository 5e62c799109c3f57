/**
 * The refused-update registry (src/diff/refused-updates.ts) against real renders: which immutable
 * fields two renders of one mesh can really change on an object kept under the same identity, and
 * what `meshplane diff` then says. The other half: the immutable Kubernetes fields the registry
 * leaves out (Deployment and DaemonSet spec.selector, RoleBinding and ClusterRoleBinding roleRef,
 * Service clusterIP and friends, immutable ConfigMaps) never differ between
 * renders, over a spread of intents, so leaving them out loses nothing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { crdsFor, loadCatalog } from '../../src/catalog/catalog.js';
import { resourceKey } from '../../src/core/resource-key.js';
import { sameData } from '../../src/core/same-data.js';
import type { KubeObject } from '../../src/core/types.js';
import { diffObjects } from '../../src/diff/diff-objects.js';
import { FLUX_FORCE, findRefusedUpdates } from '../../src/diff/refused-updates.js';
import { render } from '../../src/pipeline/render.js';

type Spec = Record<string, unknown>;

/** A mesh on `revisions` with an external ingress gateway, an egress gateway and the CNI agent, plus `extra`. */
function mesh(revisions: string[], extra: Spec = {}, name = 'prod'): Spec {
  return {
    apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name },
    spec: {
      mode: 'Istio',
      istio: {
        revisions,
        components: {
          ingressGateways: [{ mode: 'External', enabled: true }, { mode: 'Internal', enabled: true }],
          egressGateways: [{ name: 'egress-partners', enabled: true, namespace: 'partner-egress', gatewayConfigurationName: 'partner-egress' }],
          proxyRedirectionMechanism: 'CNIChaining',
        },
      },
      cluster: { kubernetesVersion: '1.32' },
      ...extra,
    },
  };
}

/** Waves early and critical, `moved` of them on asm-1-30, with the restart hook. */
function waves(moved: number, hook: Spec = { enabled: true }): Spec {
  return {
    tags: { 'wave-early': moved >= 1 ? 'asm-1-30' : 'asm-1-29', 'wave-critical': moved >= 2 ? 'asm-1-30' : 'asm-1-29' },
    upgrade: { restartHook: hook, waves: [{ tag: 'wave-early', namespaces: ['docs', 'search'] }, { tag: 'wave-critical', namespaces: ['payments'] }] },
  };
}

async function objects(doc: Spec): Promise<KubeObject[]> {
  const result = await render({ files: [{ path: 'mesh.yaml', text: stringify(doc) }], env: { KUBE_VERSION: 'v1.32.3', now: new Date('2026-06-01T00:00:00Z') } });
  return result.objects.map((o) => o.object);
}

const byKey = (objs: KubeObject[]): Map<string, KubeObject> => new Map(objs.map((o) => [resourceKey(o), o]));
const spec = (o: KubeObject): Spec => ((o as { spec?: Spec }).spec ?? {});

/** The render with Flux's force annotation taken off every Job: the hook Jobs as they were rendered before it. */
function withoutFluxForce(objs: KubeObject[]): KubeObject[] {
  return objs.map((o) => {
    if (o.kind !== 'Job') return o;
    const annotations = { ...o.metadata?.annotations };
    delete annotations[FLUX_FORCE];
    return { ...o, metadata: { ...o.metadata, annotations } } as KubeObject;
  });
}

// Pairs of intents whose renders keep an object under one identity while an immutable field of it
// changes: what a user can really do, and what the registry says about it.
const producible: Array<{ name: string; base: Spec; head: Spec; key: string; ruleId: string; refusedFor: 'both' | 'none' }> = [
  {
    name: 'a second wave moves to the canary: the restart hook Job\'s command names more namespaces',
    base: mesh(['asm-1-29', 'asm-1-30'], waves(1)), head: mesh(['asm-1-29', 'asm-1-30'], waves(2)),
    key: 'batch/Job/kube-system/meshplane-restart-prod', ruleId: 'job-template', refusedFor: 'none',
  },
  {
    name: 'the restart hook image changes (a Meshplane release, or upgrade.restartHook.image)',
    base: mesh(['asm-1-29', 'asm-1-30'], waves(1)), head: mesh(['asm-1-29', 'asm-1-30'], waves(1, { enabled: true, image: 'registry.example/meshplane:9.9.9' })),
    key: 'batch/Job/kube-system/meshplane-restart-prod', ruleId: 'job-template', refusedFor: 'none',
  },
  {
    name: 'the preflight hook image changes (a Meshplane release, or policy.preflightImage)',
    base: mesh(['asm-1-30'], { policy: { preflightHook: true } }), head: mesh(['asm-1-30'], { policy: { preflightHook: true, preflightImage: 'registry.example/meshplane:9.9.9' } }),
    key: 'batch/Job/kube-system/meshplane-preflight-prod', ruleId: 'job-template', refusedFor: 'none',
  },
  {
    name: 'monitoring.grafanaInstanceSelector changes: every GrafanaDashboard\'s instanceSelector',
    base: mesh(['asm-1-30'], { monitoring: { grafana: 'grafana-operator', grafanaInstanceSelector: { dashboards: 'grafana' } } }),
    head: mesh(['asm-1-30'], { monitoring: { grafana: 'grafana-operator', grafanaInstanceSelector: { dashboards: 'shared' } } }),
    key: 'grafana.integreatly.org/GrafanaDashboard/aks-istio-system/istio-mesh', ruleId: 'grafanadashboard-instance-selector', refusedFor: 'both',
  },
];

describe('refused updates that real renders produce', () => {
  for (const c of producible) {
    it(c.name, async () => {
      const [base, head] = [await objects(c.base), await objects(c.head)];
      const [b, h] = [byKey(base), byKey(head)];
      const before = b.get(c.key);
      const after = h.get(c.key);
      assert.ok(before && after, `${c.key} is rendered on both sides`);
      const got = diffObjects(base, head).refusedUpdates.filter((r) => r.key === c.key);
      if (c.refusedFor === 'both') {
        assert.deepEqual(got.map((r) => r.ruleId), [c.ruleId]);
        assert.match(got[0]?.fix ?? '', /Force=true,Replace=true together .*, Flux spec\.force: true on the Kustomization$/);
        return;
      }
      // The Job's template really changes, and the API server would refuse it as an update...
      assert.ok(!sameData(spec(before).template, spec(after).template), 'the pod template differs');
      // ...but both tools delete and create it instead: an Argo CD hook with BeforeHookCreation, and
      // Flux's force annotation. Without the annotation (the render before it), a Flux sync fails.
      assert.deepEqual(got, [], 'neither Argo CD nor Flux updates this Job in place');
      const old = findRefusedUpdates(byKey(withoutFluxForce(base)), byKey(withoutFluxForce(head))).filter((r) => r.key === c.key);
      assert.deepEqual(old.map((r) => r.ruleId), [c.ruleId]);
      assert.match(old[0]?.message ?? '', /only a Flux sync fails, as Argo CD deletes this hook before it creates it again/);
      assert.match(old[0]?.fix ?? '', /kubectl delete jobs\.batch -n kube-system meshplane-\w+-prod\), or have the sync recreate it: Flux spec\.force: true on the Kustomization$/);
    });
  }

  it('every hook Job carries both the Argo CD hook policy and Flux\'s force annotation', async () => {
    const jobs = (await objects(mesh(['asm-1-29', 'asm-1-30'], { ...waves(1), policy: { preflightHook: true } }))).filter((o) => o.kind === 'Job');
    assert.deepEqual(jobs.map((j) => j.metadata?.name).sort(), ['meshplane-preflight-prod', 'meshplane-restart-prod']);
    for (const j of jobs) {
      assert.match(j.metadata?.annotations?.['argocd.argoproj.io/hook-delete-policy'] ?? '', /\bBeforeHookCreation\b/);
      assert.equal(j.metadata?.annotations?.[FLUX_FORCE], 'enabled');
    }
  });
});

// The spread of intents for the invariant below: revisions (one, a canary, the other), ingress
// modes, egress gateway namespace and configuration, CNI or init containers, monitoring, hooks and
// waves, security and the mesh name. Every pair of them is compared.
const spread: Array<[string, Spec]> = [
  ['asm-1-29', mesh(['asm-1-29'])],
  ['asm-1-30', mesh(['asm-1-30'])],
  ['canary', mesh(['asm-1-29', 'asm-1-30'])],
  ['internal only', (() => { const m = mesh(['asm-1-30']); ((m.spec as Spec).istio as { components: Spec }).components.ingressGateways = [{ mode: 'Internal', enabled: true }]; return m; })()],
  ['egress elsewhere', (() => { const m = mesh(['asm-1-30']); ((m.spec as Spec).istio as { components: Spec }).components.egressGateways = [{ name: 'egress-partners', enabled: true, namespace: 'other-egress', gatewayConfigurationName: 'other' }]; return m; })()],
  ['init containers', (() => { const m = mesh(['asm-1-30']); ((m.spec as Spec).istio as { components: Spec }).components.proxyRedirectionMechanism = 'InitContainers'; return m; })()],
  ['monitoring', mesh(['asm-1-30'], { monitoring: { prometheus: 'prometheus-operator', grafana: 'grafana-operator', grafanaInstanceSelector: { a: 'b' } } })],
  ['azure monitoring', mesh(['asm-1-30'], { monitoring: { prometheus: 'azure-managed' } })],
  ['preflight', mesh(['asm-1-30'], { policy: { preflightHook: true } })],
  ['one wave', mesh(['asm-1-29', 'asm-1-30'], waves(1))],
  ['two waves', mesh(['asm-1-29', 'asm-1-30'], waves(2))],
  ['security', mesh(['asm-1-30'], { security: { mtls: 'STRICT', defaultDeny: true } })],
  ['renamed mesh', mesh(['asm-1-30'], {}, 'other')],
];

/** What the API server refuses to change on each kind, as data to compare (kubernetes/kubernetes pkg/apis/.../validation). */
const IMMUTABLE: Record<string, (o: KubeObject) => unknown> = {
  'apps/Deployment': (o) => spec(o).selector,
  'apps/DaemonSet': (o) => spec(o).selector,
  'apps/StatefulSet': (o) => spec(o).selector,
  'rbac.authorization.k8s.io/RoleBinding': (o) => (o as { roleRef?: unknown }).roleRef,
  'rbac.authorization.k8s.io/ClusterRoleBinding': (o) => (o as { roleRef?: unknown }).roleRef,
  'core/Service': (o) => [spec(o).clusterIP, spec(o).clusterIPs, spec(o).ipFamilies, spec(o).loadBalancerClass, spec(o).type === 'ExternalName'],
  'core/ConfigMap': (o) => ((o as { immutable?: boolean }).immutable ? (o as { data?: unknown }).data : null),
  'apiextensions.k8s.io/CustomResourceDefinition': (o) => [spec(o).group, spec(o).scope, (spec(o).names as Spec | undefined)?.kind, (spec(o).names as Spec | undefined)?.plural],
};
const typeOf = (o: KubeObject): string => `${String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/')[0] : 'core'}/${String(o.kind)}`;

describe('immutable fields the registry leaves out', () => {
  it('never differ between two renders of one object, over a spread of intents', async () => {
    const renders = await Promise.all(spread.map(async ([name, doc]) => [name, byKey(await objects(doc))] as const));
    const seen = new Set<string>();
    const differ: string[] = [];
    for (const [an, a] of renders) {
      for (const [bn, b] of renders) {
        if (an >= bn) continue;
        for (const [key, before] of a) {
          const pick = IMMUTABLE[typeOf(before)];
          const after = b.get(key);
          if (!pick || !after) continue;
          seen.add(typeOf(before));
          if (!sameData(pick(before), pick(after))) differ.push(`${key}: ${an} → ${bn}`);
        }
      }
    }
    assert.deepEqual(differ, []);
    // The comparison reached every kind it names that Meshplane renders on both sides of a pair.
    assert.deepEqual([...seen].sort(), Object.keys(IMMUTABLE).filter((k) => k !== 'apps/StatefulSet').sort());
  });

  // A CRD update whose spec.versions leaves out a version named in status.storedVersions (every
  // version that was ever its storage version) is refused (kubernetes/apiextensions-apiserver
  // v0.36.0 pkg/apis/apiextensions/validation/validation.go ValidateCustomResourceDefinitionStoredVersions).
  // The diff cannot see status, so this holds on the catalog instead: whichever minors a cluster went
  // through up to minor n, the CRDs of n - 1 (a rollback, the only step down Meshplane renders) still
  // serve every storage version any minor up to n used.
  it('a rollback by one Istio minor keeps serving every storage version the CRDs had until then', () => {
    const catalog = loadCatalog();
    const minors = [...new Set(catalog.revisions.map((r) => Number(/^asm-1-(\d+)$/.exec(r.name)?.[1])))].sort((a, b) => a - b);
    const dropped: string[] = [];
    for (const n of minors.slice(1)) {
      const back = new Map(crdsFor(catalog, n - 1).map((c) => [`${c.plural}.${c.group}`, c.versions]));
      for (const m of minors.filter((x) => x <= n)) {
        for (const c of crdsFor(catalog, m)) {
          const versions = back.get(`${c.plural}.${c.group}`);
          if (versions && !versions.includes(c.storage)) dropped.push(`${c.plural}.${c.group}: ${c.storage} (storage at 1.${m}) not served at 1.${n - 1}`);
        }
      }
    }
    assert.deepEqual(dropped, []);
    assert.ok(minors.length >= 2);
  });
});
