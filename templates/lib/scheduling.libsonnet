// Scheduling defaults of the managed add-on, shared by istiod and the gateways
// (docs/design.md, "Labels, Services and scheduling"): system-cluster-critical priority, the CriticalAddonsOnly
// toleration, Linux-only nodes, and weighted node affinity whose weights flipped at asm-1-30.
{
  podSpec(rev):: {
    priorityClassName: 'system-cluster-critical',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
      { key: 'cni.istio.io/not-ready', operator: 'Exists' },
    ],
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: rev.nodeAffinity.systemWeight,
            preference: { matchExpressions: [{ key: 'kubernetes.azure.com/mode', operator: 'In', values: ['system'] }] },
          },
          {
            weight: rev.nodeAffinity.preferredWeight,
            preference: { matchExpressions: [{ key: 'azureservicemesh/istio.replica.preferred', operator: 'In', values: ['true'] }] },
          },
        ],
      },
    },
  },
}
