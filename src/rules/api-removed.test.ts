/**
 * The API-removal catalog (catalog/kubernetes-apis.yaml) against Kubernetes' own source and the
 * published deprecation guide, and the helpers api-removed and api-deprecated decide with.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kubeMinor } from '../catalog/catalog.js';
import { readDataFile } from '../catalog/data-file.js';
import { loadGuardrailData, type KubeApiEntry } from '../catalog/guardrails.js';
import { memoryContext, memoryObject } from '../../test/helpers/rule-context.js';
import { apiRemovedRule, removalRemedy } from './api-removed.js';
import { apiEntry, isDeprecated, isRemoved } from './support/kube-apis.js';

const file = readDataFile<{ sources: Record<string, string>; apis: KubeApiEntry[] }>('kubernetes-apis.yaml');
const entries = loadGuardrailData().kubernetesApis;

/**
 * Every removal the Kubernetes "Deprecated API Migration Guide" lists (sections v1.16 … v1.32,
 * read 2026-12-02), plus the 1.16 blog's PodSecurityPolicy: [removed in, apiVersion, kinds].
 * Written down from the guide, not from the catalog, so a dropped or mis-dated entry fails.
 */
const GUIDE: ReadonlyArray<readonly [string, string, readonly string[]]> = [
  ['1.16', 'extensions/v1beta1', ['NetworkPolicy', 'DaemonSet', 'Deployment', 'ReplicaSet', 'PodSecurityPolicy']],
  // The guide also names apps/v1beta1 ReplicaSet, a kind apps/v1beta1 never had (kubernetes/api
  // v0.17.0 apps/v1beta1/types.go); the catalog follows the source there.
  ['1.16', 'apps/v1beta1', ['Deployment', 'StatefulSet']],
  ['1.16', 'apps/v1beta2', ['DaemonSet', 'Deployment', 'StatefulSet', 'ReplicaSet']],
  ['1.22', 'admissionregistration.k8s.io/v1beta1', ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']],
  ['1.22', 'apiextensions.k8s.io/v1beta1', ['CustomResourceDefinition']],
  ['1.22', 'apiregistration.k8s.io/v1beta1', ['APIService']],
  ['1.22', 'authentication.k8s.io/v1beta1', ['TokenReview']],
  ['1.22', 'authorization.k8s.io/v1beta1', ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SubjectAccessReview']],
  ['1.22', 'certificates.k8s.io/v1beta1', ['CertificateSigningRequest']],
  ['1.22', 'coordination.k8s.io/v1beta1', ['Lease']],
  ['1.22', 'extensions/v1beta1', ['Ingress']],
  ['1.22', 'networking.k8s.io/v1beta1', ['Ingress', 'IngressClass']],
  ['1.22', 'rbac.authorization.k8s.io/v1beta1', ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']],
  ['1.22', 'scheduling.k8s.io/v1beta1', ['PriorityClass']],
  ['1.22', 'storage.k8s.io/v1beta1', ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment']],
  ['1.25', 'batch/v1beta1', ['CronJob']],
  ['1.25', 'discovery.k8s.io/v1beta1', ['EndpointSlice']],
  ['1.25', 'events.k8s.io/v1beta1', ['Event']],
  ['1.25', 'autoscaling/v2beta1', ['HorizontalPodAutoscaler']],
  ['1.25', 'policy/v1beta1', ['PodDisruptionBudget', 'PodSecurityPolicy']],
  ['1.25', 'node.k8s.io/v1beta1', ['RuntimeClass']],
  ['1.26', 'flowcontrol.apiserver.k8s.io/v1beta1', ['FlowSchema', 'PriorityLevelConfiguration']],
  ['1.26', 'autoscaling/v2beta2', ['HorizontalPodAutoscaler']],
  ['1.27', 'storage.k8s.io/v1beta1', ['CSIStorageCapacity']],
  ['1.29', 'flowcontrol.apiserver.k8s.io/v1beta2', ['FlowSchema', 'PriorityLevelConfiguration']],
  ['1.32', 'flowcontrol.apiserver.k8s.io/v1beta3', ['FlowSchema', 'PriorityLevelConfiguration']],
];

/**
 * What kubernetes/api says, kind by kind: [apiVersion, kind, removedIn, deprecatedIn]. Read from
 * the release tags v0.17.0 ... v0.36.0 of github.com/kubernetes/api, not from the catalog:
 * `removedIn` is the kind's APILifecycleRemoved in <group>/<version>/zz_generated.prerelease-lifecycle.go
 * (kube-apiserver refuses to serve it from that minor, k8s.io/apiserver pkg/server/deleted_kinds.go),
 * or the first tag whose types.go no longer has the kind when that comes earlier; `deprecatedIn`
 * is its APILifecycleDeprecated (the minor from which kube-apiserver warns, pkg/endpoints/deprecation),
 * capped at the removal, or the removal itself for a type with no lifecycle functions. Listed:
 * every kind removed by 1.36 and every kind deprecated by 1.36 whose removal v0.36.0 schedules.
 * Left out on purpose (see the catalog's header): request-only and subresource kinds, the
 * scheduling.k8s.io/v1alpha1 PriorityClass types (no lifecycle functions; removed long before
 * v0.36.0 deleted them).
 */
const UPSTREAM: ReadonlyArray<readonly [string, string, string, string]> = [
  // kubernetes/apiextensions-apiserver and kubernetes/kube-aggregator v0.19.0, same file name.
  ['apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', '1.22', '1.16'],
  ['apiregistration.k8s.io/v1beta1', 'APIService', '1.22', '1.19'],
  ['apps/v1beta1', 'ControllerRevision', '1.16', '1.8'],
  ['apps/v1beta1', 'Deployment', '1.16', '1.8'],
  ['apps/v1beta1', 'StatefulSet', '1.16', '1.8'],
  ['apps/v1beta2', 'ControllerRevision', '1.16', '1.9'],
  ['apps/v1beta2', 'DaemonSet', '1.16', '1.9'],
  ['apps/v1beta2', 'Deployment', '1.16', '1.9'],
  ['apps/v1beta2', 'ReplicaSet', '1.16', '1.9'],
  ['apps/v1beta2', 'StatefulSet', '1.16', '1.9'],
  ['extensions/v1beta1', 'DaemonSet', '1.16', '1.8'],
  ['extensions/v1beta1', 'Deployment', '1.16', '1.8'],
  ['extensions/v1beta1', 'NetworkPolicy', '1.16', '1.9'],
  ['extensions/v1beta1', 'PodSecurityPolicy', '1.16', '1.11'],
  ['extensions/v1beta1', 'ReplicaSet', '1.16', '1.8'],
  ['auditregistration.k8s.io/v1alpha1', 'AuditSink', '1.19', '1.19'],
  ['settings.k8s.io/v1alpha1', 'PodPreset', '1.20', '1.20'],
  ['batch/v2alpha1', 'CronJob', '1.21', '1.21'],
  ['discovery.k8s.io/v1alpha1', 'EndpointSlice', '1.21', '1.21'],
  ['flowcontrol.apiserver.k8s.io/v1alpha1', 'FlowSchema', '1.21', '1.20'],
  ['flowcontrol.apiserver.k8s.io/v1alpha1', 'PriorityLevelConfiguration', '1.21', '1.20'],
  ['admissionregistration.k8s.io/v1beta1', 'MutatingWebhookConfiguration', '1.22', '1.16'],
  ['admissionregistration.k8s.io/v1beta1', 'ValidatingWebhookConfiguration', '1.22', '1.16'],
  ['authentication.k8s.io/v1beta1', 'TokenReview', '1.22', '1.19'],
  ['authorization.k8s.io/v1beta1', 'LocalSubjectAccessReview', '1.22', '1.19'],
  ['authorization.k8s.io/v1beta1', 'SelfSubjectAccessReview', '1.22', '1.19'],
  ['authorization.k8s.io/v1beta1', 'SelfSubjectRulesReview', '1.22', '1.19'],
  ['authorization.k8s.io/v1beta1', 'SubjectAccessReview', '1.22', '1.19'],
  ['certificates.k8s.io/v1beta1', 'CertificateSigningRequest', '1.22', '1.19'],
  ['coordination.k8s.io/v1beta1', 'Lease', '1.22', '1.19'],
  ['extensions/v1beta1', 'Ingress', '1.22', '1.14'],
  ['networking.k8s.io/v1beta1', 'Ingress', '1.22', '1.19'],
  ['networking.k8s.io/v1beta1', 'IngressClass', '1.22', '1.19'],
  ['rbac.authorization.k8s.io/v1beta1', 'ClusterRole', '1.22', '1.17'],
  ['rbac.authorization.k8s.io/v1beta1', 'ClusterRoleBinding', '1.22', '1.17'],
  ['rbac.authorization.k8s.io/v1beta1', 'Role', '1.22', '1.17'],
  ['rbac.authorization.k8s.io/v1beta1', 'RoleBinding', '1.22', '1.17'],
  ['scheduling.k8s.io/v1beta1', 'PriorityClass', '1.22', '1.14'],
  ['storage.k8s.io/v1beta1', 'CSIDriver', '1.22', '1.19'],
  ['storage.k8s.io/v1beta1', 'CSINode', '1.22', '1.17'],
  ['storage.k8s.io/v1beta1', 'StorageClass', '1.22', '1.19'],
  ['storage.k8s.io/v1beta1', 'VolumeAttachment', '1.22', '1.19'],
  ['storage.k8s.io/v1alpha1', 'CSIStorageCapacity', '1.24', '1.21'],
  ['storage.k8s.io/v1alpha1', 'VolumeAttachment', '1.24', '1.21'],
  ['autoscaling/v2beta1', 'HorizontalPodAutoscaler', '1.25', '1.22'],
  ['batch/v1beta1', 'CronJob', '1.25', '1.21'],
  ['discovery.k8s.io/v1beta1', 'EndpointSlice', '1.25', '1.21'],
  ['events.k8s.io/v1beta1', 'Event', '1.25', '1.22'],
  ['node.k8s.io/v1beta1', 'RuntimeClass', '1.25', '1.22'],
  ['policy/v1beta1', 'PodDisruptionBudget', '1.25', '1.21'],
  ['policy/v1beta1', 'PodSecurityPolicy', '1.25', '1.21'],
  ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.26', '1.23'],
  ['flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema', '1.26', '1.23'],
  ['flowcontrol.apiserver.k8s.io/v1beta1', 'PriorityLevelConfiguration', '1.26', '1.23'],
  ['resource.k8s.io/v1alpha1', 'PodScheduling', '1.27', '1.27'],
  ['resource.k8s.io/v1alpha1', 'ResourceClaim', '1.27', '1.27'],
  ['resource.k8s.io/v1alpha1', 'ResourceClaimTemplate', '1.27', '1.27'],
  ['resource.k8s.io/v1alpha1', 'ResourceClass', '1.27', '1.27'],
  ['storage.k8s.io/v1beta1', 'CSIStorageCapacity', '1.27', '1.24'],
  ['flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema', '1.29', '1.26'],
  ['flowcontrol.apiserver.k8s.io/v1beta2', 'PriorityLevelConfiguration', '1.29', '1.26'],
  ['networking.k8s.io/v1alpha1', 'ClusterCIDR', '1.29', '1.28'],
  ['resource.k8s.io/v1alpha2', 'PodSchedulingContext', '1.31', '1.31'],
  ['resource.k8s.io/v1alpha2', 'ResourceClaim', '1.31', '1.31'],
  ['resource.k8s.io/v1alpha2', 'ResourceClaimParameters', '1.31', '1.31'],
  ['resource.k8s.io/v1alpha2', 'ResourceClaimTemplate', '1.31', '1.31'],
  ['resource.k8s.io/v1alpha2', 'ResourceClass', '1.31', '1.31'],
  ['resource.k8s.io/v1alpha2', 'ResourceClassParameters', '1.31', '1.31'],
  ['resource.k8s.io/v1alpha2', 'ResourceSlice', '1.31', '1.31'],
  ['admissionregistration.k8s.io/v1alpha1', 'ValidatingAdmissionPolicy', '1.32', '1.29'],
  ['admissionregistration.k8s.io/v1alpha1', 'ValidatingAdmissionPolicyBinding', '1.32', '1.29'],
  ['authentication.k8s.io/v1alpha1', 'SelfSubjectReview', '1.32', '1.29'],
  ['coordination.k8s.io/v1alpha1', 'LeaseCandidate', '1.32', '1.32'],
  ['flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', '1.32', '1.29'],
  ['flowcontrol.apiserver.k8s.io/v1beta3', 'PriorityLevelConfiguration', '1.32', '1.29'],
  ['resource.k8s.io/v1alpha3', 'PodSchedulingContext', '1.32', '1.32'],
  ['authentication.k8s.io/v1beta1', 'SelfSubjectReview', '1.33', '1.30'],
  ['networking.k8s.io/v1alpha1', 'IPAddress', '1.33', '1.30'],
  ['networking.k8s.io/v1alpha1', 'ServiceCIDR', '1.33', '1.30'],
  ['admissionregistration.k8s.io/v1beta1', 'ValidatingAdmissionPolicy', '1.34', '1.31'],
  ['admissionregistration.k8s.io/v1beta1', 'ValidatingAdmissionPolicyBinding', '1.34', '1.31'],
  ['resource.k8s.io/v1alpha3', 'DeviceClass', '1.34', '1.34'],
  ['resource.k8s.io/v1alpha3', 'ResourceClaim', '1.34', '1.34'],
  ['resource.k8s.io/v1alpha3', 'ResourceClaimTemplate', '1.34', '1.34'],
  ['resource.k8s.io/v1alpha3', 'ResourceSlice', '1.34', '1.34'],
  ['certificates.k8s.io/v1alpha1', 'PodCertificateRequest', '1.35', '1.35'],
  ['storage.k8s.io/v1alpha1', 'VolumeAttributesClass', '1.35', '1.32'],
  ['storagemigration.k8s.io/v1alpha1', 'StorageVersionMigration', '1.35', '1.33'],
  ['scheduling.k8s.io/v1alpha1', 'Workload', '1.36', '1.36'],
  ['certificates.k8s.io/v1alpha1', 'ClusterTrustBundle', '1.37', '1.34'],
  ['networking.k8s.io/v1beta1', 'IPAddress', '1.37', '1.34'],
  ['networking.k8s.io/v1beta1', 'ServiceCIDR', '1.37', '1.34'],
  ['storage.k8s.io/v1beta1', 'VolumeAttributesClass', '1.37', '1.34'],
  ['admissionregistration.k8s.io/v1alpha1', 'MutatingAdmissionPolicy', '1.38', '1.35'],
  ['admissionregistration.k8s.io/v1alpha1', 'MutatingAdmissionPolicyBinding', '1.38', '1.35'],
  ['coordination.k8s.io/v1alpha2', 'LeaseCandidate', '1.38', '1.35'],
  ['resource.k8s.io/v1beta1', 'DeviceClass', '1.38', '1.35'],
  ['resource.k8s.io/v1beta1', 'ResourceClaim', '1.38', '1.35'],
  ['resource.k8s.io/v1beta1', 'ResourceClaimTemplate', '1.38', '1.35'],
  ['resource.k8s.io/v1beta1', 'ResourceSlice', '1.38', '1.35'],
  ['coordination.k8s.io/v1beta1', 'LeaseCandidate', '1.39', '1.36'],
  ['resource.k8s.io/v1alpha3', 'DeviceTaintRule', '1.39', '1.36'],
  ['resource.k8s.io/v1beta2', 'DeviceClass', '1.39', '1.36'],
  ['resource.k8s.io/v1beta2', 'ResourceClaim', '1.39', '1.36'],
  ['resource.k8s.io/v1beta2', 'ResourceClaimTemplate', '1.39', '1.36'],
  ['resource.k8s.io/v1beta2', 'ResourceSlice', '1.39', '1.36'],
];

/**
 * The first kubernetes/api release tag whose <group>/<version>/types.go has the replacement kind:
 * [replacement apiVersion, kind, minor]. '1.17' means it is already there at v0.17.0, the oldest
 * tag read, so the catalog's earlier `replacementSince` (from the guide) can only be bounded.
 */
const REPLACEMENT_FROM: ReadonlyArray<readonly [string, string, string]> = [
  ['admissionregistration.k8s.io/v1', 'MutatingAdmissionPolicy', '1.36'],
  ['admissionregistration.k8s.io/v1', 'MutatingAdmissionPolicyBinding', '1.36'],
  ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', '1.17'],
  ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', '1.30'],
  ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicyBinding', '1.30'],
  ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', '1.17'],
  ['apps/v1', 'ControllerRevision', '1.17'],
  ['apps/v1', 'DaemonSet', '1.17'],
  ['apps/v1', 'Deployment', '1.17'],
  ['apps/v1', 'ReplicaSet', '1.17'],
  ['apps/v1', 'StatefulSet', '1.17'],
  ['authentication.k8s.io/v1', 'SelfSubjectReview', '1.28'],
  ['authentication.k8s.io/v1', 'TokenReview', '1.17'],
  ['authorization.k8s.io/v1', 'LocalSubjectAccessReview', '1.17'],
  ['authorization.k8s.io/v1', 'SelfSubjectAccessReview', '1.17'],
  ['authorization.k8s.io/v1', 'SelfSubjectRulesReview', '1.17'],
  ['authorization.k8s.io/v1', 'SubjectAccessReview', '1.17'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler', '1.23'],
  ['batch/v1', 'CronJob', '1.21'],
  ['certificates.k8s.io/v1', 'CertificateSigningRequest', '1.19'],
  ['certificates.k8s.io/v1beta1', 'ClusterTrustBundle', '1.33'],
  ['certificates.k8s.io/v1beta1', 'PodCertificateRequest', '1.35'],
  ['coordination.k8s.io/v1', 'Lease', '1.17'],
  ['coordination.k8s.io/v1alpha2', 'LeaseCandidate', '1.32'],
  ['coordination.k8s.io/v1beta1', 'LeaseCandidate', '1.33'],
  ['discovery.k8s.io/v1', 'EndpointSlice', '1.21'],
  ['events.k8s.io/v1', 'Event', '1.19'],
  ['flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', '1.29'],
  ['flowcontrol.apiserver.k8s.io/v1', 'PriorityLevelConfiguration', '1.29'],
  ['networking.k8s.io/v1', 'IPAddress', '1.33'],
  ['networking.k8s.io/v1', 'Ingress', '1.19'],
  ['networking.k8s.io/v1', 'IngressClass', '1.19'],
  ['networking.k8s.io/v1', 'NetworkPolicy', '1.17'],
  ['networking.k8s.io/v1', 'ServiceCIDR', '1.33'],
  ['node.k8s.io/v1', 'RuntimeClass', '1.20'],
  ['policy/v1', 'PodDisruptionBudget', '1.21'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', '1.17'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', '1.17'],
  ['rbac.authorization.k8s.io/v1', 'Role', '1.17'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', '1.17'],
  ['resource.k8s.io/v1', 'DeviceClass', '1.34'],
  ['resource.k8s.io/v1', 'ResourceClaim', '1.34'],
  ['resource.k8s.io/v1', 'ResourceClaimTemplate', '1.34'],
  ['resource.k8s.io/v1', 'ResourceSlice', '1.34'],
  ['resource.k8s.io/v1beta2', 'DeviceTaintRule', '1.36'],
  ['scheduling.k8s.io/v1', 'PriorityClass', '1.17'],
  ['scheduling.k8s.io/v1alpha2', 'Workload', '1.36'],
  ['storage.k8s.io/v1', 'CSIDriver', '1.18'],
  ['storage.k8s.io/v1', 'CSINode', '1.17'],
  ['storage.k8s.io/v1', 'CSIStorageCapacity', '1.24'],
  ['storage.k8s.io/v1', 'StorageClass', '1.17'],
  ['storage.k8s.io/v1', 'VolumeAttachment', '1.17'],
  ['storage.k8s.io/v1', 'VolumeAttributesClass', '1.34'],
  ['storagemigration.k8s.io/v1beta1', 'StorageVersionMigration', '1.35'],
];

const object = (apiVersion: string, kind: string) => ({ apiVersion, kind, metadata: { name: 'x' } });

describe('catalog/kubernetes-apis.yaml: the published removals', () => {
  for (const [removedIn, apiVersion, kinds] of GUIDE) {
    for (const kind of kinds) {
      it(`${apiVersion} ${kind} is removed in ${removedIn}`, () => {
        const e = apiEntry(entries, object(apiVersion, kind));
        assert.ok(e, `no catalog entry for ${apiVersion} ${kind}`);
        assert.equal(e.removedIn, removedIn);
      });
    }
  }
});

describe('catalog/kubernetes-apis.yaml: kubernetes/api (and apiextensions-apiserver, kube-aggregator) lifecycle, kind by kind', () => {
  for (const [apiVersion, kind, removedIn, deprecatedIn] of UPSTREAM) {
    it(`${apiVersion} ${kind}: removed in ${removedIn}, deprecated in ${deprecatedIn}`, () => {
      const e = apiEntry(entries, object(apiVersion, kind));
      assert.ok(e, `no catalog entry for ${apiVersion} ${kind}`);
      assert.deepEqual([e.removedIn, e.deprecatedIn], [removedIn, deprecatedIn]);
    });
  }

  it('lists no kubernetes/api kind the source does not remove', () => {
    const known = new Set(UPSTREAM.map(([v, k]) => `${v} ${k}`));
    // Why these: entries whose dates come from other sources (see the catalog's header).
    const elsewhere = new Set(['rbac.authorization.k8s.io/v1alpha1', 'scheduling.k8s.io/v1alpha1 PriorityClass']);
    const extra = entries.flatMap((e) => e.kinds.map((k) => `${e.apiVersion} ${k}`)).filter((id) => !known.has(id) && !elsewhere.has(id) && !elsewhere.has(id.split(' ')[0] as string));
    assert.deepEqual(extra, []);
  });
});

describe('catalog/kubernetes-apis.yaml: replacements, from kubernetes/api types.go', () => {
  for (const [replacement, kind, from] of REPLACEMENT_FROM) {
    it(`${replacement} ${kind} is served from ${from === '1.17' ? '1.17 or earlier' : from}`, () => {
      const using = entries.filter((e) => e.replacement === replacement && e.kinds.includes(kind));
      assert.ok(using.length > 0, `no entry moves ${kind} to ${replacement}`);
      for (const e of using) {
        if (from === '1.17') assert.ok(kubeMinor(e.replacementSince ?? '') <= 17, `${e.apiVersion}: ${e.replacementSince}`);
        else assert.equal(e.replacementSince, from, e.apiVersion);
      }
    });
  }

  it('names a replacement the table knows for every entry with a replacementSince (apiextensions and apiregistration aside)', () => {
    const known = new Set(REPLACEMENT_FROM.map(([v, k]) => `${v} ${k}`));
    const unknown = entries
      .filter((e) => e.replacementSince && !/^(apiextensions|apiregistration)\.k8s\.io\//.test(e.apiVersion))
      .flatMap((e) => e.kinds.map((k) => `${e.replacement} ${k}`))
      .filter((id) => !known.has(id));
    assert.deepEqual(unknown, []);
  });
});

describe('catalog/kubernetes-apis.yaml: every entry', () => {
  it('is the same data the rules load', () => assert.deepEqual(file.apis, entries));

  it('names each apiVersion/kind once', () => {
    const ids = entries.flatMap((e) => e.kinds.map((k) => `${e.apiVersion} ${k}`));
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), []);
  });

  for (const e of entries) {
    describe(`${e.apiVersion} ${e.kinds.join(', ')}`, () => {
      it('has removedIn (1.16 or later) and a deprecatedIn not after it', () => {
        assert.match(e.removedIn, /^1\.\d+$/);
        assert.ok(kubeMinor(e.removedIn) >= 16, 'removals since 1.16 only');
        assert.match(e.deprecatedIn, /^1\.\d+$/);
        assert.ok(kubeMinor(e.deprecatedIn) <= kubeMinor(e.removedIn));
      });

      it('has a replacement (an apiVersion with the minor that serves it, or "none (…)")', () => {
        if (/^none \(.+\)$/.test(e.replacement)) {
          assert.equal(e.replacementSince, undefined);
          return;
        }
        assert.match(e.replacement, /^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/);
        assert.notEqual(e.replacement, e.apiVersion);
        assert.match(e.replacementSince ?? '', /^1\.\d+$/);
      });

      it('has a source that the file describes, for the release that removed it', () => {
        assert.ok(e.source, 'source');
        assert.ok(file.sources[e.source], `sources has no "${e.source}"`);
        assert.match(file.sources[e.source] ?? '', /read \d{4}-\d{2}-\d{2}/, 'the source says when it was read');
        const release = /-v(?<v>1\.\d+)$/.exec(e.source)?.groups?.v;
        if (release) assert.equal(e.removedIn, release, 'a release-specific source dates the removal');
      });

      it('names the kubernetes/api file and tag when read from there', () => {
        if (!e.source.startsWith('k8s-')) return assert.equal(e.upstream, undefined);
        assert.match(e.upstream ?? '', /^([a-z]+\/)*v\d+((alpha|beta)\d+)?\/(zz_generated\.prerelease-lifecycle\.go@v0\.\d+\.0|types\.go: )/);
      });
    });
  }
});

describe('isRemoved / isDeprecated', () => {
  const pdb: KubeApiEntry = { apiVersion: 'policy/v1beta1', kinds: ['PodDisruptionBudget'], removedIn: '1.25', deprecatedIn: '1.21', replacement: 'policy/v1', replacementSince: '1.21', source: 'x' };
  const cases: ReadonlyArray<[number, boolean, boolean]> = [
    [20, false, false],
    [21, false, true],
    [24, false, true],
    [25, true, false],
    [33, true, false],
  ];
  for (const [minor, removed, deprecated] of cases) {
    it(`1.${minor}: removed ${removed}, deprecated ${deprecated}`, () => {
      assert.equal(isRemoved(pdb, minor), removed);
      assert.equal(isDeprecated(pdb, minor), deprecated);
    });
  }
});

describe('removalRemedy', () => {
  const base = { apiVersion: 'a/v1beta1', kinds: ['K'], removedIn: '1.25', deprecatedIn: '1.21', source: 'x' };
  // [replacement fields, target minor, remediation]
  const cases: ReadonlyArray<[Pick<KubeApiEntry, 'replacement' | 'replacementSince'>, number, string]> = [
    [{ replacement: 'a/v1', replacementSince: '1.21' }, 25, 'move the object to a/v1 (served since 1.21)'],
    [{ replacement: 'a/v1', replacementSince: '1.25' }, 25, 'move the object to a/v1 (served since 1.25)'],
    // The replacement comes after the removal (resource.k8s.io/v1alpha2, removed 1.31; v1 from 1.34):
    // the target does not serve it yet, and the advice says so.
    [{ replacement: 'a/v1', replacementSince: '1.34' }, 32, 'move the object to a/v1 once the cluster reaches 1.34 (1.32 does not serve it yet)'],
    [{ replacement: 'a/v1' }, 25, 'move the object to a/v1'],
    [{ replacement: 'none (use Pod Security Admission)' }, 25, 'no API replaces it (use Pod Security Admission); remove the object'],
    // Why these: each pins one part of the "none (…)" pattern — no space before the parenthesis,
    // no parenthesis at all, a parenthesis inside the note, "none" only as the first word.
    [{ replacement: 'none(use X)' }, 25, 'no API replaces it (use X); remove the object'],
    [{ replacement: 'none' }, 25, 'no API replaces it (); remove the object'],
    [{ replacement: 'none (PSP (policy/v1beta1) is gone)' }, 25, 'no API replaces it (PSP (policy/v1beta1) is gone); remove the object'],
    [{ replacement: 'none (none left)' }, 25, 'no API replaces it (none left); remove the object'],
    [{ replacement: 'a/v1 (none of the fields change)' }, 25, 'move the object to a/v1 (none of the fields change)'],
  ];
  for (const [r, minor, want] of cases) it(`1.${minor}: ${want}`, () => assert.equal(removalRemedy({ ...base, ...r }, minor), want));
});

describe('api-removed on objects in memory', () => {
  const flow: KubeApiEntry = { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kinds: ['FlowSchema'], removedIn: '1.32', deprecatedIn: '1.29', replacement: 'flowcontrol.apiserver.k8s.io/v1', replacementSince: '1.29', source: 'x' };
  const fs = memoryObject(flow.apiVersion, 'FlowSchema', 'fs');
  const other = memoryObject('apps/v1', 'Deployment', 'd');
  // [Kubernetes minor, [where.file of each finding]]: the finding points at the apiVersion field.
  const cases: Array<[number, string[]]> = [
    [31, []],
    [32, ['fs:apiVersion']],
  ];
  for (const [minor, want] of cases) {
    it(`1.${minor}`, () => {
      const got = apiRemovedRule.check(memoryContext(minor, [flow], [fs, other]));
      assert.deepEqual(got.map((v) => v.where?.file), want);
    });
  }
});
