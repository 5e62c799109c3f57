// RBAC of one revision, rule for rule as istio/istio's istio-discovery chart renders it for the
// revision's Istio minor with the add-on's values (global.istiod.enableAnalysis false, taint
// controller off, pilotCertProvider istiod, no external CA, no ClusterTrustBundle API, not a
// remote istiod, resourceScope all, reader RBAC on):
//   manifests/charts/istio-control/istio-discovery/templates/clusterrole.yaml        (istiod-clusterrole, istiod-gateway-controller)
//   manifests/charts/istio-control/istio-discovery/templates/reader-clusterrole.yaml (istio-reader-clusterrole)
//   manifests/charts/istio-control/istio-discovery/templates/role.yaml               (istiod Role)
// read at tags 1.20.8, 1.21.5, 1.22.7, 1.23.6, 1.24.6, 1.25.5, 1.26.4, 1.27.9, 1.28.9, 1.29.5 and
// 1.30.2. A rule carries `since`/`until` (Istio minors, until exclusive) where it is not in
// every minor; the tag that added or dropped it is named beside it. Differences we keep on
// purpose are listed in docs/control-plane.md ("RBAC parity"); test/templates/rbac-parity.test.ts
// compares these rules with facts written down from the chart, not with this file.
local k = import 'lib/k.libsonnet';

local all = ['get', 'watch', 'list', 'update', 'patch', 'create', 'delete'];

// The Istio config groups istiod watches (the chart keeps the legacy ones on purpose: older
// istiods of a canary still use them, istio/istio#29382).
local istioGroups = ['config.istio.io', 'security.istio.io', 'networking.istio.io', 'authentication.istio.io', 'rbac.istio.io', 'telemetry.istio.io', 'extensions.istio.io'];

// Gateway API status subresources istiod writes (1.24.6 replaced the `*` update rule with these).
local gatewayStatus(minor) =
  ['backendtlspolicies/status', 'gatewayclasses/status', 'gateways/status', 'grpcroutes/status', 'httproutes/status', 'referencegrants/status', 'tcproutes/status', 'tlsroutes/status', 'udproutes/status']
  + (if minor >= 30 then ['listenersets/status'] else []);

local r(apiGroups, resources, verbs, since=0, until=1000) =
  k.rule(apiGroups, resources, verbs) { since:: since, until:: until };

local clusterRules(minor) = [
  r(['admissionregistration.k8s.io'], ['mutatingwebhookconfigurations'], ['get', 'list', 'watch', 'update', 'patch']),
  r(['admissionregistration.k8s.io'], ['validatingwebhookconfigurations'], ['get', 'list', 'watch', 'update']),
  r(istioGroups, ['*'], ['get', 'watch', 'list']),
  r(['networking.istio.io'], ['workloadentries'], all),
  r(['networking.istio.io'], ['workloadentries/status'], all, until=24),
  r(['networking.istio.io'], ['serviceentries/status'], ['get', 'watch', 'list', 'update', 'patch'], since=23, until=24),  // added 1.23.6
  r(['networking.istio.io'], ['workloadentries/status', 'serviceentries/status'], all, since=24),  // merged 1.24.6
  r(['security.istio.io'], ['authorizationpolicies/status'], all, since=24),
  r([''], ['services/status'], all, since=24),
  r(['apiextensions.k8s.io'], ['customresourcedefinitions'], ['get', 'list', 'watch']),
  r([''], ['pods', 'nodes', 'services', 'namespaces', 'endpoints'], ['get', 'list', 'watch']),
  r(['discovery.k8s.io'], ['endpointslices'], ['get', 'list', 'watch']),
  r(['networking.k8s.io'], ['ingresses', 'ingressclasses'], ['get', 'list', 'watch']),
  r(['networking.k8s.io'], ['ingresses/status'], ['*']),
  r([''], ['configmaps'], ['create', 'get', 'list', 'watch', 'update']),
  r(['authentication.k8s.io'], ['tokenreviews'], ['create']),
  r(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
  // Gateway API: reads always; writes on `*` until 1.23, on the status subresources from 1.24.6.
  r(['networking.x-k8s.io', 'gateway.networking.k8s.io'], ['*'], ['get', 'watch', 'list'], until=24),
  r(['networking.x-k8s.io', 'gateway.networking.k8s.io'], ['*'], ['update', 'patch'], until=24),
  r(['gateway.networking.k8s.io'], ['*'], ['get', 'watch', 'list'], since=24, until=26),
  r(['gateway.networking.k8s.io', 'gateway.networking.x-k8s.io'], ['*'], ['get', 'watch', 'list'], since=26),  // 1.26.4
  r(['gateway.networking.x-k8s.io'], ['xbackendtrafficpolicies/status'], ['update', 'patch'], since=26, until=27),
  r(['gateway.networking.x-k8s.io'], ['xbackendtrafficpolicies/status', 'xlistenersets/status'], ['update', 'patch'], since=27, until=30),  // 1.27.9
  r(['gateway.networking.x-k8s.io'], ['xbackendtrafficpolicies/status'], ['update', 'patch'], since=30),  // 1.30.2 moved listenersets to v1
  r(['gateway.networking.k8s.io'], gatewayStatus(minor), ['update', 'patch'], since=24),
  r(['gateway.networking.k8s.io'], ['gatewayclasses'], ['create', 'update', 'patch', 'delete']),
  // Inference extension: x-k8s.io group in 1.27, the GA group from 1.28.9.
  r(['inference.networking.x-k8s.io'], ['inferencepools'], ['get', 'watch', 'list'], since=27, until=28),
  r(['inference.networking.x-k8s.io'], ['inferencepools/status'], ['update', 'patch'], since=27, until=28),
  r(['inference.networking.k8s.io'], ['inferencepools'], ['get', 'watch', 'list'], since=28),
  r(['inference.networking.k8s.io'], ['inferencepools/status'], ['update', 'patch'], since=28),
  r([''], ['secrets'], ['get', 'watch', 'list']),
  r(['multicluster.x-k8s.io'], ['serviceexports'], ['get', 'watch', 'list', 'create', 'delete']),
  r(['multicluster.x-k8s.io'], ['serviceimports'], ['get', 'watch', 'list']),
];

// Gateway API automated deployments: istiod creates each Gateway's Deployment, Service and
// ServiceAccount; from 1.26.4 also its HorizontalPodAutoscaler and PodDisruptionBudget.
local gatewayControllerRules = [
  r(['apps'], ['deployments'], all),
  r(['autoscaling'], ['horizontalpodautoscalers'], all, since=26),
  r(['policy'], ['poddisruptionbudgets'], all, since=26),
  r([''], ['services'], all),
  r([''], ['serviceaccounts'], all),
];

local readerCore(minor) =
  ['endpoints', 'pods', 'services', 'nodes', 'replicationcontrollers', 'namespaces', 'secrets']
  // configmaps: added 1.26.4, dropped 1.27.9, back from 1.29.5.
  + (if minor == 26 || minor >= 29 then ['configmaps'] else []);

local readerRules(minor) = [
  r(['config.istio.io', 'security.istio.io', 'networking.istio.io', 'authentication.istio.io', 'rbac.istio.io'], ['*'], ['get', 'list', 'watch'], until=22),
  r(istioGroups, ['*'], ['get', 'list', 'watch'], since=22),  // telemetry and extensions from 1.22.7
  r([''], readerCore(minor), ['get', 'list', 'watch']),
  r(['networking.istio.io'], ['workloadentries'], ['get', 'watch', 'list']),
  r(['networking.x-k8s.io', 'gateway.networking.k8s.io'], ['gateways'], ['get', 'watch', 'list']),
  r(['apiextensions.k8s.io'], ['customresourcedefinitions'], ['get', 'list', 'watch']),
  r(['discovery.k8s.io'], ['endpointslices'], ['get', 'list', 'watch']),
  r(['multicluster.x-k8s.io'], ['serviceexports'], ['get', 'list', 'watch', 'create', 'delete']),
  r(['multicluster.x-k8s.io'], ['serviceimports'], ['get', 'list', 'watch']),
  r(['apps'], ['replicasets'], ['get', 'list', 'watch']),
  r(['authentication.k8s.io'], ['tokenreviews'], ['create']),
  r(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
];

// Namespaced: dry-run gateway creation (webhook readiness), the CA secret, the status
// ConfigMap, leader-election leases. Unchanged from 1.20.8 to 1.30.2.
local roleRules = [
  r(['networking.istio.io'], ['gateways'], ['create']),
  r([''], ['secrets'], ['create', 'get', 'watch', 'list', 'update', 'delete']),
  r([''], ['configmaps'], ['delete']),
  r(['coordination.k8s.io'], ['leases'], ['get', 'update', 'patch', 'create']),
];

// std.filter is native code; a comprehension builds its result in jsonnet, one step a rule.
local inMinor(rules, minor) = std.filter(function(x) x.since <= minor && minor < x.until, rules);

local clusterPair(input, rev, base, rules, subject, app) =
  local name = base + '-' + rev.name + '-' + input.namespaces.system;
  local labels = k.revLabels(rev, { app: app });
  [
    k.obj('rbac.authorization.k8s.io/v1', 'ClusterRole', name, labels=labels) { rules: inMinor(rules, rev.minor) },
    k.obj('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', name, labels=labels) {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: name },
      subjects: [{ kind: 'ServiceAccount', name: subject, namespace: input.namespaces.system }],
    },
  ];

{
  // Role, ClusterRoles and their bindings of one revision. The gateway-controller pair only when
  // the mesh accepts Gateway API (input.gatewayApi.enabled); otherwise istiod runs with its
  // deployment controller off (istiod.libsonnet), the chart's own condition for leaving it out.
  objects(input, rev)::
    local sa = 'istiod-' + rev.name;
    local labels = k.revLabels(rev, { app: 'istiod' });
    [
      k.obj('rbac.authorization.k8s.io/v1', 'Role', sa, input.namespaces.system, labels=labels) { rules: inMinor(roleRules, rev.minor) },
      k.obj('rbac.authorization.k8s.io/v1', 'RoleBinding', sa, input.namespaces.system, labels=labels) {
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: sa },
        subjects: [{ kind: 'ServiceAccount', name: sa, namespace: input.namespaces.system }],
      },
    ]
    + clusterPair(input, rev, 'istiod-clusterrole', clusterRules(rev.minor), sa, 'istiod')
    + (if input.gatewayApi.enabled then clusterPair(input, rev, 'istiod-gateway-controller', gatewayControllerRules, sa, 'istiod') else [])
    + clusterPair(input, rev, 'istio-reader-clusterrole', readerRules(rev.minor), 'istio-reader-service-account', 'istio-reader'),
}
