/**
 * windows-workload-in-mesh on objects in memory: which workloads count as meshed (the pod
 * template's istio.io/rev, or a source Namespace with istio.io/rev and injection not disabled;
 * `sidecar.istio.io/inject: "false"` opts out), which node selections name Windows (nodeSelector
 * and required or preferred node affinity with operator In, on either OS label), and the field
 * each finding points at. The registry's fixtures reach two of these paths and only check that a
 * line is given.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/types.js';
import { memoryContext } from '../../test/helpers/rule-context.js';
import { windowsWorkloadInMeshRule } from './windows-workload-in-mesh.js';

const ns = (name: string, labels: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }) as KubeObject;
/** A Deployment in namespace `namespace` whose pod template has `labels` and pod spec `spec`. */
const deploy = (name: string, namespace: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): KubeObject =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec: { template: { metadata: { labels }, spec } } }) as KubeObject;
const inTerm = (key: string, operator: string, values: string[]): Record<string, unknown> => ({ matchExpressions: [{ key: 'other', operator: 'In', values: ['x'] }, { key, operator, values }] });
const required = (...terms: Array<Record<string, unknown>>): Record<string, unknown> => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
const preferred = (...terms: Array<Record<string, unknown>>): Record<string, unknown> => ({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms.map((preference) => ({ weight: 1, preference })) } } });

const MESHED = ns('shop', { 'istio.io/rev': 'asm-1-28' });
const SPEC = 'spec.template.spec';
const WIN = { 'kubernetes.io/os': 'windows' };

describe('windows-workload-in-mesh on objects in memory', () => {
  // [case, objects, where.file of each finding ("<name>:<field path>")]
  const cases: Array<[string, KubeObject[], string[]]> = [
    ['nodeSelector in a meshed namespace', [MESHED, deploy('w', 'shop', { nodeSelector: WIN })], [`w:${SPEC}.nodeSelector.kubernetes.io/os`]],
    ['the beta OS label', [MESHED, deploy('w', 'shop', { nodeSelector: { 'beta.kubernetes.io/os': 'windows' } })], [`w:${SPEC}.nodeSelector.beta.kubernetes.io/os`]],
    ['Linux nodes', [MESHED, deploy('l', 'shop', { nodeSelector: { 'kubernetes.io/os': 'linux' } })], []],
    ['windows under another label key', [MESHED, deploy('l', 'shop', { nodeSelector: { 'example.com/os': 'windows' } })], []],
    ['required affinity, second term, second expression', [MESHED, deploy('w', 'shop', required(inTerm('kubernetes.io/os', 'In', ['linux']), inTerm('kubernetes.io/os', 'In', ['linux', 'windows'])))], [`w:${SPEC}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.1.matchExpressions.1`]],
    ['preferred affinity', [MESHED, deploy('w', 'shop', preferred(inTerm('kubernetes.io/os', 'In', ['windows'])))], [`w:${SPEC}.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution.0.preference.matchExpressions.1`]],
    ['affinity that excludes Windows (NotIn)', [MESHED, deploy('l', 'shop', required(inTerm('kubernetes.io/os', 'NotIn', ['windows'])))], []],
    ['pod template with istio.io/rev, namespace not meshed', [deploy('w', 'plain', { nodeSelector: WIN }, { 'istio.io/rev': 'asm-1-28' })], [`w:${SPEC}.nodeSelector.kubernetes.io/os`]],
    ['namespace not in the source, no revision label on the pods', [deploy('w', 'plain', { nodeSelector: WIN })], []],
    ['meshed namespace, injection disabled', [ns('shop', { 'istio.io/rev': 'asm-1-28', 'istio-injection': 'disabled' }), deploy('w', 'shop', { nodeSelector: WIN })], []],
    ['namespace with only istio-injection: enabled (the add-on ignores it)', [ns('shop', { 'istio-injection': 'enabled' }), deploy('w', 'shop', { nodeSelector: WIN })], []],
    ['pods opted out of injection', [MESHED, deploy('w', 'shop', { nodeSelector: WIN }, { 'sidecar.istio.io/inject': 'false' })], []],
    ['a meshed namespace does not mesh another one', [MESHED, deploy('w', 'other', { nodeSelector: WIN })], []],
    [
      'a bare Pod and a CronJob',
      [
        MESHED,
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { nodeSelector: WIN } } as KubeObject,
        { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'shop' }, spec: { jobTemplate: { spec: { template: { spec: { nodeSelector: WIN } } } } } } as KubeObject,
      ],
      ['p:spec.nodeSelector.kubernetes.io/os', 'c:spec.jobTemplate.spec.template.spec.nodeSelector.kubernetes.io/os'],
    ],
    // A malformed workload without metadata (schema-invalid reports it) is judged without crashing.
    [
      'a workload without metadata',
      [{ apiVersion: 'apps/v1', kind: 'Deployment', spec: { template: { metadata: { labels: { 'istio.io/rev': 'asm-1-28' } }, spec: { nodeSelector: WIN } } } } as KubeObject],
      [`undefined:${SPEC}.nodeSelector.kubernetes.io/os`],
    ],
  ];
  for (const [name, objects, want] of cases) {
    it(name, () => {
      const got = windowsWorkloadInMeshRule.check(memoryContext(32, [], objects));
      assert.deepEqual(got.map((v) => v.where?.file), want);
      if (objects.every((o) => o.metadata === undefined)) assert.deepEqual(got.map((v) => v.message), ['Deployment  is meshed and selects Windows nodes (kubernetes.io/os=windows)']);
      for (const v of got) {
        assert.match(v.message, /^(Deployment|Pod|CronJob) [wpc]? is meshed and selects Windows nodes \((beta\.)?kubernetes\.io\/os=windows\)$/);
        assert.match(v.remediation, /Linux nodes.*sidecar\.istio\.io\/inject: "false"/);
      }
    });
  }
});
