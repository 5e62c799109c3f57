/**
 * virtual-node-workload-in-mesh on objects in memory: AKS virtual nodes are selected by the node
 * label `type: virtual-kubelet` (nodeSelector or node affinity with operator In) or by a
 * `nodeName` starting `virtual-node` (the virtual node is named virtual-node-aci-<os>); each
 * finding points at the selecting field. Which workloads count as meshed is shared with
 * windows-workload-in-mesh (its test covers those cases); one meshed and one opted-out case here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/types.js';
import { memoryContext } from '../../test/helpers/rule-context.js';
import { virtualNodeWorkloadInMeshRule } from './virtual-node-workload-in-mesh.js';

const MESHED = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio.io/rev': 'asm-1-28' } } } as KubeObject;
const deploy = (name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): KubeObject =>
  ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: 'shop' }, spec: { template: { metadata: { labels }, spec } } }) as KubeObject;
const SPEC = 'spec.template.spec';

describe('virtual-node-workload-in-mesh on objects in memory', () => {
  // [case, pod spec, pod labels, where.file and "key=value" of each finding]
  const cases: Array<[string, Record<string, unknown>, Record<string, string>, Array<[string, string]>]> = [
    ['nodeSelector type: virtual-kubelet', { nodeSelector: { type: 'virtual-kubelet' } }, {}, [[`v:${SPEC}.nodeSelector.type`, 'type=virtual-kubelet']]],
    ['another node type', { nodeSelector: { type: 'regular' } }, {}, []],
    ['virtual-kubelet under another key', { nodeSelector: { pool: 'virtual-kubelet' } }, {}, []],
    ['nodeName virtual-node-aci-linux', { nodeName: 'virtual-node-aci-linux' }, {}, [[`v:${SPEC}.nodeName`, 'nodeName=virtual-node-aci-linux']]],
    ['nodeName of a regular node that contains the words later', { nodeName: 'aks-pool-virtual-node' }, {}, []],
    [
      'required affinity In [virtual-kubelet]',
      { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'type', operator: 'In', values: ['virtual-kubelet'] }] }] } } } },
      {},
      [[`v:${SPEC}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.0.matchExpressions.0`, 'type=virtual-kubelet']],
    ],
    ['opted out of injection', { nodeSelector: { type: 'virtual-kubelet' } }, { 'sidecar.istio.io/inject': 'false' }, []],
    // Anything but the string "false" keeps injection on.
    ['inject label "true"', { nodeSelector: { type: 'virtual-kubelet' } }, { 'sidecar.istio.io/inject': 'true' }, [[`v:${SPEC}.nodeSelector.type`, 'type=virtual-kubelet']]],
  ];
  it('a workload without metadata (schema-invalid reports it) is judged without crashing', () => {
    const bare = { apiVersion: 'apps/v1', kind: 'StatefulSet', spec: { template: { metadata: { labels: { 'istio.io/rev': 'asm-1-28' } }, spec: { nodeSelector: { type: 'virtual-kubelet' } } } } } as KubeObject;
    const got = virtualNodeWorkloadInMeshRule.check(memoryContext(32, [], [bare]));
    assert.deepEqual(got.map((v) => v.message), ['StatefulSet  is meshed and selects virtual nodes (type=virtual-kubelet)']);
  });
  for (const [name, spec, labels, want] of cases) {
    it(name, () => {
      const got = virtualNodeWorkloadInMeshRule.check(memoryContext(32, [], [MESHED, deploy('v', spec, labels)]));
      assert.deepEqual(
        got.map((v) => v.where?.file),
        want.map(([file]) => file),
      );
      got.forEach((v, i) => assert.equal(v.message, `StatefulSet v is meshed and selects virtual nodes (${want[i]?.[1]})`));
      for (const v of got) assert.match(v.remediation, /regular node pools.*sidecar\.istio\.io\/inject: "false"/);
    });
  }
});
