/**
 * The API-removal catalog (catalog/kubernetes-apis.yaml) against its published contract, and the
 * helpers api-removed and api-deprecated decide with.
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
  ['1.16', 'apps/v1beta1', ['Deployment', 'StatefulSet', 'ReplicaSet']],
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
  const cases: ReadonlyArray<[Pick<KubeApiEntry, 'replacement' | 'replacementSince'>, string]> = [
    [{ replacement: 'a/v1', replacementSince: '1.21' }, 'move the object to a/v1 (served since 1.21)'],
    [{ replacement: 'a/v1' }, 'move the object to a/v1'],
    [{ replacement: 'none (use Pod Security Admission)' }, 'no API replaces it (use Pod Security Admission); remove the object'],
    // Why these: each pins one part of the "none (…)" pattern — no space before the parenthesis,
    // no parenthesis at all, a parenthesis inside the note, "none" only as the first word.
    [{ replacement: 'none(use X)' }, 'no API replaces it (use X); remove the object'],
    [{ replacement: 'none' }, 'no API replaces it (); remove the object'],
    [{ replacement: 'none (PSP (policy/v1beta1) is gone)' }, 'no API replaces it (PSP (policy/v1beta1) is gone); remove the object'],
    [{ replacement: 'none (none left)' }, 'no API replaces it (none left); remove the object'],
    [{ replacement: 'a/v1 (none of the fields change)' }, 'move the object to a/v1 (none of the fields change)'],
  ];
  for (const [r, want] of cases) it(want, () => assert.equal(removalRemedy({ ...base, ...r }), want));
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
