// CoreDNS autoscaling for a meshed cluster (docs/design.md, "CoreDNS"): the kube-system
// `coredns-autoscaler` ConfigMap read by AKS's cluster-proportional-autoscaler, which runs
// max(replicas by node count, replicas by core count). The add-on says it adjusts CoreDNS
// scaling when Istio is on but publishes no numbers, so this ladder is Meshplane's own; every
// number that differs from the AKS default is explained here and in docs/intent-reference.md.
local k = import 'lib/k.libsonnet';

// AKS default (baseline): nodes [[1,2],[8,3],[16,4],[32,5]], cores [[1,2],[512,3],[1024,4],[2048,5]].
//
// Why a meshed cluster needs more: every injected pod adds an Envoy that resolves each DNS-typed
// cluster (ServiceEntry resolution DNS, required for traffic through an egress gateway) on its
// own refresh timer, on top of the application's lookups. Meshplane assumes that roughly doubles
// DNS queries per node, so each AKS node/core threshold is halved (a step is reached at half the
// cluster size), and the ladder continues past the AKS ceiling of 5 replicas, because the AKS
// ladder stops growing at 32 nodes while mesh DNS load keeps growing with pod count.
local nodesToReplicas = [
  [1, 2],  // unchanged: two replicas from the first node, so one can be drained at any time
  [4, 3],  // AKS: 8 nodes
  [8, 4],  // AKS: 16 nodes
  [16, 5],  // AKS: 32 nodes
  [32, 6],  // beyond the AKS ceiling: one more replica per doubling of the cluster...
  [64, 7],
  [128, 8],
  [256, 10],  // ...and two at 256 nodes, where thousands of sidecars refresh DNS
];

local coresToReplicas = [
  [1, 2],  // unchanged, as above
  [256, 3],  // AKS: 512 cores
  [512, 4],  // AKS: 1024 cores
  [1024, 5],  // AKS: 2048 cores
  [2048, 6],  // beyond the AKS ceiling, one replica per doubling
  [4096, 8],  // two replicas at the largest step, matching the node ladder's growth
];

function(input)
  local dns = std.get(std.get(input.spec, 'platform', {}), 'coreDNS', {});
  if !std.get(dns, 'enabled', false) then [] else [
    k.obj('v1', 'ConfigMap', 'coredns-autoscaler', 'kube-system', component='platform') {
      data: {
        ladder: k.json({
          nodesToReplicas: std.get(dns, 'nodesToReplicas', nodesToReplicas),
          coresToReplicas: std.get(dns, 'coresToReplicas', coresToReplicas),
          // Never drop to one replica on a cluster with more than one node (the ladders never
          // ask for one; this guards user-supplied ladders).
          preventSinglePointFailure: true,
          // Count cordoned nodes too: during a node-image or cluster upgrade nodes are cordoned
          // exactly while pods (and their sidecars) restart and re-resolve everything, so the
          // replica count must not shrink then.
          includeUnschedulableNodes: true,
        }),
      },
    },
  ]
