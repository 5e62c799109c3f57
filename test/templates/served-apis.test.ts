/**
 * Every built-in apiVersion/kind Meshplane renders is served by default at every Kubernetes minor
 * its revision supports (catalog/revisions.yaml kubernetes and kubernetesLts, min to max), and is
 * neither removed nor deprecated there (catalog/kubernetes-apis.yaml). The table of what
 * Kubernetes serves by default is written from Kubernetes' own source, not from the templates:
 * the first kubernetes/api release tag whose <group>/<version>/types.go has the kind (tags v0.17.0
 * to v0.36.0; "1.16" means the kind is already there at v0.17.0, the oldest tag read), and only
 * GA group/versions, which kube-apiserver enables by default (kubernetes/kubernetes
 * pkg/controlplane/instance.go stableAPIGroupVersionsEnabledByDefault; every beta first served
 * from 1.24 on, and every alpha, is off by default: betaAPIGroupVersionsDisabledByDefault,
 * alphaAPIGroupVersionsDisabledByDefault, read at commit 0138c82).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { kubeMinor, loadCatalog } from '../../src/catalog/catalog.js';
import { loadGuardrailData } from '../../src/catalog/guardrails.js';
import { render } from '../../src/pipeline/render.js';
import { apiEntry, isDeprecated, isRemoved } from '../../src/rules/support/kube-apis.js';
import { EXAMPLES_DIR } from '../helpers/examples.js';

/**
 * Built-in `apiVersion kind` → first minor that serves it by default. Why these: every built-in
 * kind the templates render (an unknown one fails the test, so a new one must be added here with
 * its tag).
 */
const SERVED_SINCE: Record<string, string> = {
  'v1 ConfigMap': '1.16',
  'v1 Namespace': '1.16',
  'v1 Secret': '1.16',
  'v1 Service': '1.16',
  'v1 ServiceAccount': '1.16',
  'apps/v1 DaemonSet': '1.16',
  'apps/v1 Deployment': '1.16',
  'batch/v1 Job': '1.16',
  'rbac.authorization.k8s.io/v1 ClusterRole': '1.16',
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding': '1.16',
  'rbac.authorization.k8s.io/v1 Role': '1.16',
  'rbac.authorization.k8s.io/v1 RoleBinding': '1.16',
  'apiextensions.k8s.io/v1 CustomResourceDefinition': '1.16',
  'admissionregistration.k8s.io/v1 MutatingWebhookConfiguration': '1.16',
  'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration': '1.16',
  // policy/v1/types.go first at v0.21.0; autoscaling/v2/types.go first at v0.23.0.
  'policy/v1 PodDisruptionBudget': '1.21',
  'autoscaling/v2 HorizontalPodAutoscaler': '1.23',
  // admissionregistration/v1/types.go has ValidatingAdmissionPolicy(Binding) from v0.30.0 on.
  'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy': '1.30',
  'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding': '1.30',
};

/**
 * API groups served by CustomResourceDefinitions, not by Kubernetes itself. Why this list and not
 * a list of built-in groups: a kind of any other group must be in SERVED_SINCE, so a template that
 * starts rendering a new built-in group (networking.k8s.io, scheduling.k8s.io, …) fails here
 * instead of going unchecked. The `*.istio.io` groups are Istio's CRDs; the others: Gateway API
 * (gateway.networking.k8s.io), Prometheus Operator and Azure Monitor's copy of it
 * (monitoring.coreos.com, azmonitoring.coreos.com), Grafana Operator (grafana.integreatly.org),
 * Secrets Store CSI driver (secrets-store.csi.x-k8s.io).
 */
const CRD_GROUPS = new Set(['gateway.networking.k8s.io', 'monitoring.coreos.com', 'azmonitoring.coreos.com', 'grafana.integreatly.org', 'secrets-store.csi.x-k8s.io']);

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? (apiVersion.split('/')[0] as string) : '');
/** True for a group Kubernetes itself serves (everything that is not a CRD's group above). */
const isBuiltIn = (group: string) => !CRD_GROUPS.has(group) && !group.endsWith('.istio.io');

/** examples/full (everything Meshplane renders) with the hooks on, for one revision and minor. */
function meshText(revision: string, minor: number): string {
  const mesh = parse(readFileSync(path.join(EXAMPLES_DIR, 'full', 'mesh.yaml'), 'utf8')) as {
    spec: { istio: { revisions: string[] }; cluster: { kubernetesVersion: string }; policy?: Record<string, unknown> };
  };
  mesh.spec.istio.revisions = [revision];
  mesh.spec.cluster.kubernetesVersion = `1.${minor}`;
  mesh.spec.policy = { preflightHook: true };
  return stringify(mesh);
}

/** Each revision with every Kubernetes minor it supports (standard tier and LTS). */
function targets(): Array<[string, number[]]> {
  return loadCatalog().revisions.map((r) => {
    const ranges = [r.kubernetes, r.kubernetesLts].filter((x): x is { min: string; max: string } => x !== undefined);
    const minors = new Set<number>();
    for (const { min, max } of ranges) for (let m = kubeMinor(min); m <= kubeMinor(max); m++) minors.add(m);
    return [r.name, [...minors].sort((a, b) => a - b)];
  });
}

describe('rendered built-in APIs are served by default at every supported Kubernetes minor', () => {
  const apis = loadGuardrailData().kubernetesApis;
  for (const [revision, minors] of targets()) {
    it(`${revision}: Kubernetes 1.${minors[0]} to 1.${minors[minors.length - 1]}`, async () => {
      for (const minor of minors) {
        const result = await render({ files: [{ path: 'mesh.yaml', text: meshText(revision, minor) }], env: { now: new Date('2026-12-01T00:00:00Z') } });
        const rendered = new Set(result.objects.map(({ object: o }) => `${o.apiVersion} ${o.kind}`));
        for (const id of rendered) {
          const [apiVersion, kind] = id.split(' ') as [string, string];
          if (!isBuiltIn(groupOf(apiVersion))) continue;
          const since = SERVED_SINCE[id];
          assert.ok(since, `${revision} on 1.${minor} renders ${id}, which the table does not know: add it with its kubernetes/api tag`);
          assert.ok(kubeMinor(since) <= minor, `${revision} on 1.${minor} renders ${id}, served by default only from ${since}`);
          const e = apiEntry(apis, { apiVersion, kind, metadata: { name: 'x' } });
          assert.ok(!e || (!isRemoved(e, minor) && !isDeprecated(e, minor)), `${id} is removed or deprecated on 1.${minor}`);
        }
        // The admission policy is there exactly where admissionregistration.k8s.io/v1 serves it.
        assert.equal(rendered.has('admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy'), minor >= 30, `ValidatingAdmissionPolicy on 1.${minor}`);
      }
    });
  }
});
