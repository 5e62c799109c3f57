// RBAC of one revision (docs/design.md, "Facts about a revisioned Istio install"): istiod's namespaced Role, its ClusterRole, the
// Gateway API deployment controller's ClusterRole, and the reader ClusterRole bound to the
// shared istio-reader-service-account. Cluster-scoped names end in -<rev>-<istio namespace>.
local k = import 'lib/k.libsonnet';

// Istio config groups istiod reads (it writes only the status and workload entries below).
local istioGroups = ['config.istio.io', 'security.istio.io', 'networking.istio.io', 'authentication.istio.io', 'rbac.istio.io', 'telemetry.istio.io', 'extensions.istio.io'];

local clusterRules = [
  k.rule(['admissionregistration.k8s.io'], ['mutatingwebhookconfigurations'], ['get', 'list', 'watch', 'update', 'patch']),
  k.rule(['admissionregistration.k8s.io'], ['validatingwebhookconfigurations'], ['get', 'list', 'watch', 'update']),
  k.rule(istioGroups, ['*'], k.read),
  k.rule(['networking.istio.io'], ['workloadentries'], ['get', 'watch', 'list', 'update', 'patch', 'create', 'delete']),
  k.rule(['networking.istio.io'], ['workloadentries/status', 'serviceentries/status'], ['get', 'watch', 'list', 'update', 'patch', 'create', 'delete']),
  k.rule(['security.istio.io'], ['authorizationpolicies/status'], ['get', 'watch', 'list', 'update', 'patch', 'create', 'delete']),
  k.rule(['apiextensions.k8s.io'], ['customresourcedefinitions'], k.read),
  k.rule([''], ['pods', 'nodes', 'services', 'namespaces', 'endpoints'], k.read),
  k.rule(['discovery.k8s.io'], ['endpointslices'], k.read),
  k.rule(['networking.k8s.io'], ['ingresses', 'ingressclasses'], k.read),
  k.rule(['networking.k8s.io'], ['ingresses/status'], ['*']),
  k.rule([''], ['configmaps'], ['create', 'get', 'list', 'watch', 'update']),
  k.rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
  k.rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
  k.rule(['networking.x-k8s.io', 'gateway.networking.k8s.io'], ['*'], k.read),
  k.rule(['networking.x-k8s.io', 'gateway.networking.k8s.io'], ['*'], ['update', 'patch']),
  k.rule(['gateway.networking.k8s.io'], ['gatewayclasses'], ['create', 'update', 'patch', 'delete']),
  k.rule([''], ['secrets'], k.read),
  k.rule(['multicluster.x-k8s.io'], ['serviceexports'], ['get', 'watch', 'list', 'create', 'delete']),
  k.rule(['multicluster.x-k8s.io'], ['serviceimports'], k.read),
];

// Gateway API automated deployments: istiod creates the Deployment/Service/SA of a Gateway.
local gatewayControllerRules = [
  k.rule(['apps'], ['deployments'], ['get', 'watch', 'list', 'update', 'patch', 'create', 'delete']),
  k.rule([''], ['services', 'serviceaccounts'], ['get', 'watch', 'list', 'update', 'patch', 'create', 'delete']),
];

local readerRules = [
  k.rule(istioGroups, ['*'], k.read),
  k.rule([''], ['endpoints', 'pods', 'services', 'nodes', 'replicationcontrollers', 'namespaces', 'secrets'], k.read),
  k.rule(['networking.istio.io'], ['workloadentries'], k.read),
  k.rule(['networking.x-k8s.io', 'gateway.networking.k8s.io'], ['gateways'], k.read),
  k.rule(['discovery.k8s.io'], ['endpointslices'], k.read),
  k.rule(['multicluster.x-k8s.io'], ['serviceexports', 'serviceimports'], k.read),
  k.rule(['apps'], ['replicasets'], k.read),
  k.rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
  k.rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
];

// Namespaced needs: dry-run gateway creation (webhook readiness), the CA secret, leader leases.
local roleRules = [
  k.rule(['networking.istio.io'], ['gateways'], ['create']),
  k.rule([''], ['secrets'], ['create', 'get', 'watch', 'list', 'update', 'delete']),
  k.rule([''], ['configmaps'], ['delete']),
  k.rule(['coordination.k8s.io'], ['leases'], ['get', 'update', 'patch', 'create']),
];

local clusterPair(input, rev, base, rules, subject, app) =
  local name = '%s-%s-%s' % [base, rev.name, input.namespaces.system];
  local labels = k.revLabels(rev, { app: app });
  [
    k.obj('rbac.authorization.k8s.io/v1', 'ClusterRole', name, labels=labels) { rules: rules },
    k.obj('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', name, labels=labels) {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: name },
      subjects: [{ kind: 'ServiceAccount', name: subject, namespace: input.namespaces.system }],
    },
  ];

{
  objects(input, rev)::
    local sa = 'istiod-' + rev.name;
    local labels = k.revLabels(rev, { app: 'istiod' });
    [
      k.obj('rbac.authorization.k8s.io/v1', 'Role', sa, input.namespaces.system, labels=labels) { rules: roleRules },
      k.obj('rbac.authorization.k8s.io/v1', 'RoleBinding', sa, input.namespaces.system, labels=labels) {
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: sa },
        subjects: [{ kind: 'ServiceAccount', name: sa, namespace: input.namespaces.system }],
      },
    ]
    + clusterPair(input, rev, 'istiod-clusterrole', clusterRules, sa, 'istiod')
    + clusterPair(input, rev, 'istiod-gateway-controller', gatewayControllerRules, sa, 'istiod')
    + clusterPair(input, rev, 'istio-reader-clusterrole', readerRules, 'istio-reader-service-account', 'istio-reader'),
}
