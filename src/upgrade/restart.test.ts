import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LivePodInfo } from './rollout.js';
import { istiodVerdict, restartPatch, rfc3339, selectorMatches, workloadsToRestart, type DeploymentState, type IstiodVerdict, type LabelSelector, type WorkloadInfo } from './restart.js';

describe('selectorMatches (metav1.LabelSelector semantics)', () => {
  const cases: Array<[string, LabelSelector, Record<string, string>, boolean]> = [
    ['matchLabels all equal', { matchLabels: { app: 'a', tier: 'x' } }, { app: 'a', tier: 'x', extra: '1' }, true],
    ['matchLabels one differs', { matchLabels: { app: 'a', tier: 'x' } }, { app: 'a', tier: 'y' }, false],
    ['In', { matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'b'] }] }, { app: 'b' }, true],
    ['In, key missing', { matchExpressions: [{ key: 'app', operator: 'In', values: ['a'] }] }, {}, false],
    ['NotIn, key missing', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['a'] }] }, {}, true],
    ['NotIn, value listed', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['a'] }] }, { app: 'a' }, false],
    ['Exists', { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, { app: '' }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, { app: 'a' }, false],
    ['labels and expressions both hold', { matchLabels: { app: 'a' }, matchExpressions: [{ key: 'v', operator: 'Exists' }] }, { app: 'a', v: '1' }, true],
    ['empty selector picks nothing', {}, { app: 'a' }, false],
  ];
  for (const [name, sel, labels, want] of cases) it(name, () => assert.equal(selectorMatches(sel, labels), want));
});

function pod(namespace: string, name: string, labels: Record<string, string>, revision: string | undefined, phase = 'Running'): LivePodInfo {
  const annotations: Record<string, string> = revision ? { 'sidecar.istio.io/status': JSON.stringify({ containers: ['istio-proxy'], revision }) } : {};
  return { namespace, name, labels, annotations, containers: [], phase, ready: true };
}

describe('workloadsToRestart', () => {
  const w = (kind: WorkloadInfo['kind'], namespace: string, name: string, app: string): WorkloadInfo => ({ kind, namespace, name, selector: { matchLabels: { app } } });
  const workloads = [w('Deployment', 'shop', 'web', 'web'), w('StatefulSet', 'shop', 'db', 'db'), w('DaemonSet', 'shop', 'agent', 'agent'), w('Deployment', 'other', 'web', 'web'), w('Deployment', 'shop', 'opt', 'opt'), w('Deployment', 'shop', 'done', 'done')];
  const pods = [
    pod('shop', 'web-1', { app: 'web' }, 'asm-1-29'),
    pod('shop', 'web-2', { app: 'web' }, 'asm-1-28'),
    pod('shop', 'db-0', { app: 'db' }, undefined),
    pod('shop', 'agent-x', { app: 'agent' }, 'asm-1-29'),
    pod('other', 'web-9', { app: 'web' }, 'asm-1-29'),
    pod('shop', 'opt-1', { app: 'opt', 'sidecar.istio.io/inject': 'false' }, undefined),
    pod('shop', 'done-1', { app: 'done' }, 'asm-1-28', 'Succeeded'),
  ];
  it('picks workloads with a pod on another revision or without a sidecar, sorted by namespace, kind, name', () => {
    assert.deepEqual(workloadsToRestart(workloads, pods, 'asm-1-29'), [
      { kind: 'Deployment', namespace: 'shop', name: 'web', stalePods: ['web-2'] },
      { kind: 'StatefulSet', namespace: 'shop', name: 'db', stalePods: ['db-0'] },
    ]);
  });
  it('never restarts a hostNetwork workload: istiod does not inject it (inject.go injectRequired, 1.20.8 and 1.30.2)', () => {
    const hostAgent: LivePodInfo = { ...pod('shop', 'node-agent-1', { app: 'node-agent' }, undefined), hostNetwork: true };
    assert.deepEqual(workloadsToRestart([w('DaemonSet', 'shop', 'node-agent', 'node-agent')], [hostAgent], 'asm-1-29'), []);
  });
  it('skips everything when every pod runs the target', () => {
    assert.deepEqual(workloadsToRestart(workloads, pods.filter((p) => p.name !== 'web-2' && p.name !== 'db-0'), 'asm-1-29'), []);
  });
  it('another target flips the verdict', () => {
    assert.deepEqual(workloadsToRestart(workloads, pods, 'asm-1-28').map((r) => `${r.namespace}/${r.name}`), ['other/web', 'shop/agent', 'shop/web', 'shop/db']);
  });
});

describe('restartPatch (kubectl objectrestarter.go: restartedAt = time.Now().Format(time.RFC3339))', () => {
  it('RFC 3339 at second precision', () => assert.equal(rfc3339(new Date('2026-12-02T15:30:07.123Z')), '2026-12-02T15:30:07Z'));
  it('only the pod template annotation', () => {
    assert.deepEqual(restartPatch(new Date('2026-12-02T15:30:07Z')), { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-12-02T15:30:07Z' } } } } });
  });
});

describe('istiodVerdict (kubectl rollout status for a Deployment, one replica enough)', () => {
  const cases: Array<[string, DeploymentState, IstiodVerdict['state']]> = [
    ['one updated, available replica', { generation: 2, observedGeneration: 2, specReplicas: 1, updatedReplicas: 1, availableReplicas: 1 }, 'available'],
    ['two of three available during a rollout', { generation: 3, observedGeneration: 3, specReplicas: 3, updatedReplicas: 1, availableReplicas: 2 }, 'available'],
    ['spec change not yet observed', { generation: 3, observedGeneration: 2, specReplicas: 1, updatedReplicas: 1, availableReplicas: 1 }, 'waiting'],
    ['no status at all (just created)', { generation: 1 }, 'waiting'],
    ['pod created, not available', { generation: 1, observedGeneration: 1, specReplicas: 1, updatedReplicas: 1, availableReplicas: 0 }, 'waiting'],
    ['old pods available, no updated pod yet', { generation: 2, observedGeneration: 2, specReplicas: 1, updatedReplicas: 0, availableReplicas: 1 }, 'waiting'],
    ['progress deadline exceeded', { generation: 1, observedGeneration: 1, specReplicas: 1, updatedReplicas: 1, availableReplicas: 0, progressingReason: 'ProgressDeadlineExceeded' }, 'stuck'],
  ];
  for (const [name, state, want] of cases) {
    it(name, () => assert.equal(istiodVerdict(state).state, want));
  }
  it('describes the counts', () => {
    assert.equal(istiodVerdict({ generation: 2, observedGeneration: 2, specReplicas: 1, updatedReplicas: 1, availableReplicas: 0 }).detail, 'generation 2, observed 2; 1 updated, 0 available of 1 desired');
  });
});
