// Managed ingress gateways (docs/design.md, "Ingress gateways"): for each enabled mode
// (external / internal, resolved in src/pipeline/resolve-gateways.ts) and each revision, a
// Deployment, HPA and PDB `aks-istio-ingressgateway-<mode>-<rev>`; per mode one LoadBalancer
// Service `aks-istio-ingressgateway-<mode>` shared by the revisions, plus its identity and RBAC.
local k = import 'lib/k.libsonnet';
local gateway = import 'lib/gateway.libsonnet';

local objects(input, gw) =
  local g = gw { namespace: input.namespaces.ingress };
  // `istio` is what users' Gateway.spec.selector matches; `app` mirrors it (gateway chart).
  local labels = { app: g.name, istio: g.name };
  local serviceSpec = if g.externalTrafficPolicy != null then { externalTrafficPolicy: g.externalTrafficPolicy } else {};
  k.flatten([
    [gateway.deployment(g, rev, labels), gateway.hpa(g, rev, labels), gateway.pdb(g, rev, labels)]
    for rev in input.revisions
  ])
  + gateway.identity(g, labels)
  + [gateway.service(g, labels, 'LoadBalancer', g.serviceAnnotations, serviceSpec)];

function(input)
  k.flatten([objects(input, gw) for gw in input.gateways.ingress])
