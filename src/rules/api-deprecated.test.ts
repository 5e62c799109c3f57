/**
 * api-deprecated on objects in memory: which entry applies at which Kubernetes minor, that each
 * finding points at the object's `apiVersion` field, and the remediation for an API that nothing
 * replaces (the registry's fixtures only reach APIs that have a replacement).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadGuardrailData, type KubeApiEntry } from '../catalog/guardrails.js';
import type { KubeObject } from '../core/types.js';
import { memoryContext, memoryObject } from '../../test/helpers/rule-context.js';
import { apiDeprecatedRule } from './api-deprecated.js';

const ENTRIES: KubeApiEntry[] = [
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kinds: ['FlowSchema'], removedIn: '1.32', deprecatedIn: '1.29', replacement: 'flowcontrol.apiserver.k8s.io/v1', replacementSince: '1.29', source: 'x' },
  { apiVersion: 'policy/v1beta1', kinds: ['PodSecurityPolicy'], removedIn: '1.25', deprecatedIn: '1.21', replacement: 'none (use Pod Security Admission)', source: 'x' },
  // "none" as a later word is not "no replacement".
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], removedIn: '1.25', deprecatedIn: '1.21', replacement: 'batch/v1 (none of the fields change)', source: 'x' },
  // Deprecated (1.30) before its replacement is served (1.33), as kubernetes/api v0.29.0
  // networking/v1alpha1/zz_generated.prerelease-lifecycle.go and v0.33.0 networking/v1 have it.
  { apiVersion: 'networking.k8s.io/v1alpha1', kinds: ['IPAddress'], removedIn: '1.33', deprecatedIn: '1.30', replacement: 'networking.k8s.io/v1', replacementSince: '1.33', source: 'x' },
];
const FLOW = memoryObject('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', 'fs');
const PSP = memoryObject('policy/v1beta1', 'PodSecurityPolicy', 'psp');
const CRON = memoryObject('batch/v1beta1', 'CronJob', 'cj');
const OTHER = memoryObject('apps/v1', 'Deployment', 'd');
const IP = memoryObject('networking.k8s.io/v1alpha1', 'IPAddress', 'ip');

describe('api-deprecated on objects in memory', () => {
  // [Kubernetes minor, objects, [where.file, remediation] of each finding]
  const cases: Array<[number, KubeObject[], Array<[string, string]>]> = [
    [28, [FLOW, PSP, OTHER], []],
    [29, [FLOW, OTHER], [['fs:apiVersion', 'move the object to flowcontrol.apiserver.k8s.io/v1 (served since 1.29) before the cluster reaches 1.32']]],
    [21, [PSP], [['psp:apiVersion', 'no API replaces it (use Pod Security Admission); remove the object before the cluster reaches 1.25']]],
    [21, [CRON], [['cj:apiVersion', 'move the object to batch/v1 (none of the fields change) before the cluster reaches 1.25']]],
    [32, [FLOW], []],
    // The replacement is not served yet: the advice must not send the object to an API 1.30 refuses.
    [29, [IP], []],
    [30, [IP], [['ip:apiVersion', 'move the object to networking.k8s.io/v1 once the cluster reaches 1.33 (1.30 does not serve it yet); 1.33 no longer serves networking.k8s.io/v1alpha1']]],
    [32, [IP], [['ip:apiVersion', 'move the object to networking.k8s.io/v1 once the cluster reaches 1.33 (1.32 does not serve it yet); 1.33 no longer serves networking.k8s.io/v1alpha1']]],
    [33, [IP], []],
  ];
  for (const [minor, objects, want] of cases) {
    it(`1.${minor}: ${objects.map((o) => o.kind).join(', ')}`, () => {
      const got = apiDeprecatedRule.check(memoryContext(minor, ENTRIES, objects));
      assert.deepEqual(got.map((v) => [v.where?.file, v.remediation]), want);
      for (const v of got) assert.match(v.message, /^\S+ \S+ is deprecated on Kubernetes 1\.\d+ and removed in 1\.\d+$/);
    });
  }
});

describe('api-deprecated with the shipped catalog: coordination.k8s.io/v1beta1 LeaseCandidate', () => {
  // kubernetes/api v0.36.0 coordination/v1beta1/zz_generated.prerelease-lifecycle.go: deprecated 1.36,
  // removed 1.39, no replacement; kube-apiserver 1.36 already warns about it.
  const lease = memoryObject('coordination.k8s.io/v1beta1', 'LeaseCandidate', 'lc');
  const cases: Array<[number, number]> = [[35, 0], [36, 1], [38, 1], [39, 0]];
  for (const [minor, n] of cases) {
    it(`1.${minor}: ${n} warning${n === 1 ? '' : 's'}`, () => {
      const got = apiDeprecatedRule.check(memoryContext(minor, loadGuardrailData().kubernetesApis, [lease]));
      assert.equal(got.length, n);
      if (n) assert.match(got[0]?.remediation ?? '', /^no API replaces it \(kubernetes\/api v0\.36\.0 names no successor yet; .*\); remove the object before the cluster reaches 1\.39$/);
    });
  }
});
