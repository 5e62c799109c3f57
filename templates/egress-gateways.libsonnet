// Egress gateways (docs/design.md, "Egress gateways"): for each enabled gateway and revision
// a Deployment, HPA and PDB `<name>-<rev>` in the gateway's namespace (default
// aks-istio-egress; base.libsonnet renders the namespaces); per gateway one ClusterIP Service
// `<name>` shared by the revisions, plus its identity and RBAC. Pods name their
// StaticGatewayConfiguration and never schedule on the `gateway`-mode node pool that carries it.
local k = import 'lib/k.libsonnet';
local gateway = import 'lib/gateway.libsonnet';

// Required (not preferred) anti-affinity: the add-on never runs egress pods on gateway nodes.
local avoidGatewayPool = {
  affinity+: {
    nodeAffinity+: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.azure.com/mode', operator: 'NotIn', values: ['gateway'] }] }],
      },
    },
  },
};

local objects(input, gw) =
  local labels = { app: gw.name, istio: gw.name, 'azureservicemesh/istio.component': 'egress-gateway' };
  local annotations = { 'kubernetes.azure.com/static-gateway-configuration': gw.gatewayConfigurationName };
  k.flatten([
    [gateway.deployment(gw, rev, labels, annotations, avoidGatewayPool), gateway.hpa(gw, rev, labels), gateway.pdb(gw, rev, labels)]
    for rev in input.revisions
  ])
  + gateway.identity(gw, labels)
  + [gateway.service(gw, labels, 'ClusterIP')];

function(input)
  k.flatten([objects(input, gw) for gw in input.gateways.egress])
