/**
 * Which workload `kubectl rollout restart` needs for a pod, from the pod's controller
 * ownerReference and labels only, and the restart text a finding carries.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { controllerOf, toPod } from '../live-objects.js';
import type { LivePod, PodController } from '../snapshot.js';
import { deploymentOfReplicaSet, restartText, SHOWN_WORKLOADS, workloadOf, workloadsOf, type PodWorkload } from './pod-workloads.js';

const pod = (name: string, controller?: PodController, labels: Record<string, string> = {}): LivePod =>
  ({ apiVersion: 'v1', kind: 'Pod', name, namespace: 'shop', labels, ...(controller ? { controller } : {}) });
const owner = (apiVersion: string, kind: string, name: string): PodController => ({ apiVersion, kind, name });
const hash = (h: string): Record<string, string> => ({ app: 'x', 'pod-template-hash': h });

describe('workloadOf: the workload a pod belongs to, from its own metadata', () => {
  const cases: Array<[string, LivePod, PodWorkload]> = [
    ['a Deployment\'s pod: ReplicaSet <deployment>-<pod-template-hash>', pod('cart-7d9f8b6c5d-x2x9k', owner('apps/v1', 'ReplicaSet', 'cart-7d9f8b6c5d'), hash('7d9f8b6c5d')), { ref: 'deployment/cart' }],
    ['a Deployment name with dashes keeps them', pod('cart-api-v2-5c8d7f-abcde', owner('apps/v1', 'ReplicaSet', 'cart-api-v2-5c8d7f'), hash('5c8d7f')), { ref: 'deployment/cart-api-v2' }],
    ['a StatefulSet names itself', pod('db-0', owner('apps/v1', 'StatefulSet', 'db')), { ref: 'statefulset/db' }],
    ['a DaemonSet names itself', pod('node-agent-q8k2m', owner('apps/v1', 'DaemonSet', 'node-agent')), { ref: 'daemonset/node-agent' }],
    ['an extensions/v1beta1 DaemonSet is still restartable (objectrestarter.go)', pod('old-agent-1', owner('extensions/v1beta1', 'DaemonSet', 'old-agent')), { ref: 'daemonset/old-agent' }],
    ['a Job\'s pod is not restartable', pod('report-29012345-7m2kq', owner('batch/v1', 'Job', 'report-29012345')), { ref: 'job/report-29012345', notRestartable: 'job' }],
    ['a pod without a controller is named itself', pod('debug'), { ref: 'pod/debug', notRestartable: 'unowned' }],
    ['a ReplicaSet whose name does not end in -<pod-template-hash> is not a Deployment\'s', pod('web-abc12', owner('apps/v1', 'ReplicaSet', 'web'), hash('5c8d7f')), { ref: 'replicaset/web', notRestartable: 'replicaset' }],
    ['a ReplicaSet whose pods carry no pod-template-hash is not a Deployment\'s', pod('legacy-rs-abc12', owner('apps/v1', 'ReplicaSet', 'legacy-rs-5c8d7f')), { ref: 'replicaset/legacy-rs-5c8d7f', notRestartable: 'replicaset' }],
    ['an Argo Rollout\'s ReplicaSet (rollouts-pod-template-hash, not pod-template-hash) is not a Deployment\'s', pod('web-6d4f-abc12', owner('apps/v1', 'ReplicaSet', 'web-6d4f'), { 'rollouts-pod-template-hash': '6d4f' }), { ref: 'replicaset/web-6d4f', notRestartable: 'replicaset' }],
    ['a ReplicaSet named exactly like the hash names no Deployment', pod('5c8d7f-abc12', owner('apps/v1', 'ReplicaSet', '5c8d7f')), { ref: 'replicaset/5c8d7f', notRestartable: 'replicaset' }],
    ['a StatefulSet of another group is addressed with its group, and is not restartable', pod('kv-0', owner('apps.kruise.io/v1beta1', 'StatefulSet', 'kv')), { ref: 'statefulset.apps.kruise.io/kv', notRestartable: 'other' }],
    ['a ReplicationController is not restartable', pod('rc-abc12', owner('v1', 'ReplicationController', 'rc')), { ref: 'replicationcontroller/rc', notRestartable: 'other' }],
    // The API server checks an ownerReference's kind and name only for being non-empty
    // (apimachinery pkg/api/validation/objectmeta.go validateOwnerReference, v0.36.3): whoever may
    // create a pod may write any text there, and none of it goes into a command.
    ['a StatefulSet name with a shell command in it is not quoted', pod('db-0', owner('apps/v1', 'StatefulSet', 'db; kubectl delete ns prod')), { ref: 'pod/db-0', notRestartable: 'unnamed' }],
    ['a StatefulSet name with a backtick is not quoted', pod('db-0', owner('apps/v1', 'StatefulSet', 'db`id`')), { ref: 'pod/db-0', notRestartable: 'unnamed' }],
    ['a ReplicaSet name with a space is not turned into a Deployment', pod('cart-abc-x', owner('apps/v1', 'ReplicaSet', 'cart $(id)-abc'), hash('abc')), { ref: 'pod/cart-abc-x', notRestartable: 'unnamed' }],
    ['a ReplicaSet whose prefix is no valid name names no Deployment', pod('cart-abc-x', owner('apps/v1', 'ReplicaSet', 'cart--abc'), hash('abc')), { ref: 'replicaset/cart--abc', notRestartable: 'replicaset' }],
    ['an upper-case name is no object name', pod('web-0', owner('apps/v1', 'DaemonSet', 'Web')), { ref: 'pod/web-0', notRestartable: 'unnamed' }],
    ['a kind with a backtick is not quoted', pod('kv-0', owner('example.com/v1', 'Kv`x`', 'kv')), { ref: 'pod/kv-0', notRestartable: 'unnamed' }],
    ['a group with a space is not quoted', pod('kv-0', owner('exa mple.com/v1', 'Kv', 'kv')), { ref: 'pod/kv-0', notRestartable: 'unnamed' }],
  ];
  for (const [name, p, expect] of cases) it(name, () => assert.deepEqual(workloadOf(p), expect));

  it('deploymentOfReplicaSet needs the hash label and a name ending in -<hash>', () => {
    assert.equal(deploymentOfReplicaSet('cart-7d9f8b6c5d', '7d9f8b6c5d'), 'cart');
    assert.equal(deploymentOfReplicaSet('cart-7d9f8b6c5d', undefined), undefined);
    assert.equal(deploymentOfReplicaSet('cart7d9f8b6c5d', '7d9f8b6c5d'), undefined);
  });
});

describe('the controller ownerReference of a pod as the API server sends it', () => {
  it('takes the reference marked controller: true, ignores the others', () => {
    const refs = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner-not-controller' }, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'cart-7d9f8b6c5d', controller: true }];
    assert.deepEqual(controllerOf(refs), { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'cart-7d9f8b6c5d' });
    assert.equal(controllerOf([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', controller: false }]), undefined);
    assert.equal(controllerOf(undefined), undefined);
  });

  it('toPod keeps it', () => {
    const p = toPod({ metadata: { name: 'db-0', namespace: 'shop', labels: {}, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true }] } });
    assert.deepEqual(p.controller, { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' });
    assert.equal(toPod({ metadata: { name: 'debug', namespace: 'shop' } }).controller, undefined);
  });
});

describe('restartText: the restart fix of a finding', () => {
  const rs = (d: string, h: string, suffix: string): LivePod => pod(`${d}-${h}-${suffix}`, owner('apps/v1', 'ReplicaSet', `${d}-${h}`), hash(h));
  const cases: Array<[string, LivePod[], string]> = [
    ['one Deployment, two of its pods, named once', [rs('cart', '7d9f8b6c5d', 'a1'), rs('cart', '7d9f8b6c5d', 'b2')], '`kubectl rollout restart -n shop deployment/cart`'],
    [
      'Deployments, StatefulSets and DaemonSets in one sorted command',
      [pod('db-0', owner('apps/v1', 'StatefulSet', 'db')), rs('cart', '7d9f8b6c5d', 'a1'), pod('agent-x', owner('apps/v1', 'DaemonSet', 'agent')), rs('api', '5c8d7f', 'c3')],
      '`kubectl rollout restart -n shop daemonset/agent deployment/api deployment/cart statefulset/db`',
    ],
    [
      'what rollout restart does not restart is named with what to do instead, never as a Deployment',
      [rs('cart', '7d9f8b6c5d', 'a1'), pod('report-1-abc', owner('batch/v1', 'Job', 'report-1')), pod('debug'), pod('web-abc12', owner('apps/v1', 'ReplicaSet', 'web'), hash('5c8d7f'))],
      '`kubectl rollout restart -n shop deployment/cart`; job/report-1 is a Job, which `rollout restart` does not restart: its running pods keep the sidecar they have until they finish; re-run it (a CronJob\'s next run starts new pods); replicaset/web is a ReplicaSet whose name is not <deployment>-<pod-template-hash>, so no Deployment is named: `rollout restart` does not restart a ReplicaSet; delete its pods and the ReplicaSet recreates them (or restart it through whatever manages it); pod/debug has no controller, so nothing recreates it: delete and recreate it from its manifest',
    ],
    [
      'only Jobs: no kubectl rollout restart at all',
      [pod('a-1-x', owner('batch/v1', 'Job', 'a-1')), pod('b-1-x', owner('batch/v1', 'Job', 'b-1'))],
      'job/a-1 and job/b-1 are Jobs, which `rollout restart` does not restart: their running pods keep the sidecar they have until they finish; re-run them (a CronJob\'s next run starts new pods)',
    ],
  ];
  for (const [name, pods, expect] of cases) it(name, () => assert.equal(restartText('shop', pods), expect));

  it('a hostile owner name never reaches the command or the text', () => {
    const text = restartText('shop', [pod('db-0', owner('apps/v1', 'StatefulSet', 'db; kubectl delete ns prod`')), rs('cart', '7d9f8b6c5d', 'a1')]);
    assert.equal(text, '`kubectl rollout restart -n shop deployment/cart`; pod/db-0 names a controller in metadata.ownerReferences that no real object can be (its kind or name is not valid), so preflight names no workload and quotes nothing of it: replace it through whatever created it');
    assert.doesNotMatch(text, /delete ns|db;/);
  });

  it(`many workloads: the first ${SHOWN_WORKLOADS} in the command, and how many more`, () => {
    const pods = Array.from({ length: SHOWN_WORKLOADS + 3 }, (_, i) => rs(`svc-${String(i).padStart(2, '0')}`, '5c8d7f', 'a'));
    const text = restartText('shop', pods);
    const named = Array.from({ length: SHOWN_WORKLOADS }, (_, i) => `deployment/svc-${String(i).padStart(2, '0')}`).join(' ');
    assert.equal(text, `\`kubectl rollout restart -n shop ${named}\` (and 3 more workloads of these pods: preflight names them once these have restarted)`);
    assert.equal(workloadsOf(pods).length, SHOWN_WORKLOADS + 3);
  });
});
