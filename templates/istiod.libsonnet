// The complete control plane of one revision, shaped like istio/istio's istio-discovery chart at
// the revision's minor with the add-on's names (docs/control-plane.md):
// ServiceAccount, Deployment, Service, HPA, PDB, RBAC, mesh and injector ConfigMaps, the
// user's shared mesh ConfigMap, and the injection and validation webhooks. Names carry the
// revision so two revisions never collide.
local k = import 'lib/k.libsonnet';
local sched = import 'lib/scheduling.libsonnet';
local hooks = import 'lib/webhooks.libsonnet';
local injector = import 'injector.libsonnet';
local pluginCa = import 'plugin-ca.libsonnet';

local selector(rev) = { app: 'istiod', 'istio.io/rev': rev.name };

local serviceAccount(input, rev) =
  k.obj('v1', 'ServiceAccount', 'istiod-' + rev.name, input.namespaces.system, labels=k.revLabels(rev, { app: 'istiod' }));

// The add-on's default mesh config for the revision (reconciled by the add-on; users put their
// settings in istio-shared-configmap-<rev>, which istiod merges in with these values winning).
// The keys are the chart's "mesh" block (istio-discovery templates/configmap.yaml) with its
// default values (values.yaml): no tracer from 1.22.7 on (global.proxy.tracer "none"), a zipkin
// tracer at zipkin.<istio namespace>:9411 in 1.20.8 and 1.21.5 (tracer "zipkin"). Tracing is
// the user's choice: meshConfig extensionProviders + defaultProviders.tracing in the shared
// ConfigMap (istiod merges defaultProviders and extensionProviders key by key, so the
// `metrics` default below does not hide them; pkg/config/mesh/mesh.go ApplyMeshConfig, 1.30.2).
local meshDefaults(input, rev) = {
  defaultConfig: {
    discoveryAddress: 'istiod-' + rev.name + '.' + input.namespaces.system + '.svc:15012',
    [if rev.minor < 22 then 'tracing']: { zipkin: { address: 'zipkin.' + input.namespaces.system + ':9411' } },
  },
  defaultProviders: { metrics: ['prometheus'] },
  enablePrometheusMerge: true,
  rootNamespace: input.namespaces.system,
  trustDomain: 'cluster.local',
};

local meshConfigMap(input, rev) =
  k.obj('v1', 'ConfigMap', 'istio-' + rev.name, input.namespaces.system, labels=k.revLabels(rev, { 'istio.io/config': 'true' })) {
    data: {
      mesh: k.yaml(meshDefaults(input, rev)),
      meshNetworks: 'networks: {}\n',
    },
  };

// The user's MeshConfig (spec.meshConfig), one per revision so a canary never loses settings.
local sharedConfigMap(input, rev) =
  k.obj('v1', 'ConfigMap', 'istio-shared-configmap-' + rev.name, input.namespaces.system, labels=k.revLabels(rev)) {
    data: { mesh: k.yaml(input.spec.meshConfig) },
  };

local ports(rev) =
  if rev.namedPorts then [
    { containerPort: 8080, name: 'http-debug', protocol: 'TCP' },
    { containerPort: 15010, name: 'grpc-xds', protocol: 'TCP' },
    { containerPort: 15012, name: 'tls-xds', protocol: 'TCP' },
    { containerPort: 15017, name: 'https-webhooks', protocol: 'TCP' },
    { containerPort: 15014, name: 'http-monitoring', protocol: 'TCP' },
  ] else [
    { containerPort: 8080, protocol: 'TCP' },
    { containerPort: 15010, protocol: 'TCP' },
    { containerPort: 15017, protocol: 'TCP' },
  ];

local env(input, rev) = [
  k.env('REVISION', rev.name),
] + (
  // The chart passes global.jwtPolicy ("third-party-jwt") to istiod at 1.20.8 and 1.21.5 and
  // no longer from 1.22.7 (deployment.yaml); istiod's own default is the same value.
  if rev.minor < 22 then [k.env('JWT_POLICY', 'third-party-jwt')] else []
) + [
  k.env('PILOT_CERT_PROVIDER', 'istiod'),
  k.fieldEnv('POD_NAME', 'metadata.name'),
  k.fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
  k.fieldEnv('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
  k.env('KUBECONFIG', '/var/run/secrets/remote/config'),
] + (
  // istiod lets these service accounts request certificates for other identities on their node
  // (pilot/pkg/features/security.go, empty by default). The chart trusts <istio ns>/ztunnel from
  // 1.23 (deployment.yaml at 1.23.6 and later); at 1.20.8-1.22.7 it sets nothing, so no account
  // may do so there.
  if rev.minor >= 23 then [k.env('CA_TRUSTED_NODE_ACCOUNTS', input.namespaces.system + '/ztunnel')] else []
) + [
  k.env('PILOT_TRACE_SAMPLING', '1'),
  k.env('PILOT_ENABLE_ANALYSIS', 'false'),
  k.env('CLUSTER_ID', 'Kubernetes'),
] + (
  // Go runtime limits from the container's limits, and the (empty) platform, as the chart's
  // deployment.yaml sets them; GOMEMLIMIT is there until 1.28.9 and gone from 1.29.5.
  if rev.minor < 29 then [{ name: 'GOMEMLIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1' } } }] else []
) + [
  { name: 'GOMAXPROCS', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1' } } },
  k.env('PLATFORM', ''),
  // istiod merges this ConfigMap into its mesh config (the add-on's shared-configmap mechanism).
  k.env('SHARED_MESH_CONFIG', 'istio-shared-configmap-' + rev.name),
  k.env('ENABLE_NATIVE_SIDECARS', if rev.nativeSidecar then 'true' else 'false'),
] + (
  // Gateway API: istiod's defaults (PILOT_ENABLE_GATEWAY_API and
  // PILOT_ENABLE_GATEWAY_API_DEPLOYMENT_CONTROLLER both true, pilot/pkg/features/experimental.go)
  // are left alone, as the chart does, when the mesh accepts Gateway API; otherwise both are
  // off, so istiod neither programs nor deploys Gateways the guardrails refuse, and the chart's
  // own condition on the deployment controller drops the gateway-controller ClusterRole.
  if input.gatewayApi.enabled then [] else [
    k.env('PILOT_ENABLE_GATEWAY_API', 'false'),
    k.env('PILOT_ENABLE_GATEWAY_API_DEPLOYMENT_CONTROLLER', 'false'),
  ]
);

local volumeMounts = [
  { name: 'istio-token', mountPath: '/var/run/secrets/tokens', readOnly: true },
  { name: 'local-certs', mountPath: '/var/run/secrets/istio-dns' },
  { name: 'cacerts', mountPath: '/etc/cacerts', readOnly: true },
  { name: 'istio-kubeconfig', mountPath: '/var/run/secrets/remote', readOnly: true },
  { name: 'istio-csr-dns-cert', mountPath: '/var/run/secrets/istiod/tls', readOnly: true },
  { name: 'istio-csr-ca-configmap', mountPath: '/var/run/secrets/istiod/ca', readOnly: true },
];

local volumes(input, rev) = [
  { name: 'local-certs', emptyDir: { medium: 'Memory' } },
  {
    name: 'istio-token',
    projected: { sources: [{ serviceAccountToken: { audience: 'istio-ca', expirationSeconds: 43200, path: 'istio-token' } }] },
  },
  // Without a plug-in CA: the optional `cacerts` Secret (istiod then signs with its own root).
  if input.pluginCa == null then { name: 'cacerts', secret: { secretName: 'cacerts', optional: true } } else pluginCa.cacertsVolume(input, rev),
  { name: 'istio-kubeconfig', secret: { secretName: 'istio-kubeconfig', optional: true } },
  { name: 'istio-csr-dns-cert', secret: { secretName: 'istiod-tls', optional: true } },
  { name: 'istio-csr-ca-configmap', configMap: { name: 'istio-ca-root-cert', defaultMode: 420, optional: true } },
];

local deployment(input, rev) =
  k.obj('apps/v1', 'Deployment', 'istiod-' + rev.name, input.namespaces.system,
        labels=k.revLabels(rev, { app: 'istiod', istio: 'pilot' })) {
    spec: {
      // No replicas: the HPA owns the count (rendering it would fight the autoscaler).
      selector: { matchLabels: selector(rev) },
      strategy: { rollingUpdate: { maxSurge: '100%', maxUnavailable: '25%' } },
      template: {
        // Keeping istiod out of ambient redirection: the label istio.io/dataplane-mode=none from
        // 1.22.7 on, the annotation ambient.istio.io/redirection=disabled at 1.20.8 and 1.21.5
        // (deployment.yaml at those tags).
        metadata: {
          labels: selector(rev) { istio: 'istiod', 'sidecar.istio.io/inject': 'false' }
                  + (if rev.minor >= 22 then { 'istio.io/dataplane-mode': 'none' } else {}),
          annotations: { 'prometheus.io/port': '15014', 'prometheus.io/scrape': 'true', 'sidecar.istio.io/inject': 'false' }
                       + (if rev.minor < 22 then { 'ambient.istio.io/redirection': 'disabled' } else {}),
        },
        spec: sched.podSpec(rev) {
          serviceAccountName: 'istiod-' + rev.name,
        } + k.pullSecrets(rev.images.pullSecrets) + {
          containers: [{
            name: 'discovery',
            image: rev.images.pilot,
            imagePullPolicy: 'IfNotPresent',
            args: ['discovery', '--monitoringAddr=:15014', '--log_output_level=default:info', '--domain', 'cluster.local', '--keepaliveMaxServerConnectionAge', '30m'],
            ports: ports(rev),
            readinessProbe: { httpGet: { path: '/ready', port: 8080 }, initialDelaySeconds: 1, periodSeconds: 3, timeoutSeconds: 5 },
            env: env(input, rev),
            resources: { requests: { cpu: '500m', memory: '2048Mi' } },
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              runAsNonRoot: true,
              capabilities: { drop: ['ALL'] },
            },
            volumeMounts: volumeMounts,
          }],
          volumes: volumes(input, rev),
        },
      },
    },
  };

local servicePorts = (import 'lib/ports.libsonnet').istiodService;

local service(input, rev) =
  k.obj('v1', 'Service', 'istiod-' + rev.name, input.namespaces.system, labels=k.revLabels(rev, { app: 'istiod', istio: 'pilot' })) {
    spec: { ports: servicePorts, selector: selector(rev) },
  };

local hpa(input, rev) =
  local a = input.spec.controlPlane.autoscaling;
  k.obj('autoscaling/v2', 'HorizontalPodAutoscaler', 'istiod-' + rev.name, input.namespaces.system, labels=k.revLabels(rev, { app: 'istiod' })) {
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'istiod-' + rev.name },
      minReplicas: a.minReplicas,
      maxReplicas: a.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: a.targetCPUUtilizationPercentage } } }],
    },
  };

local pdb(input, rev) =
  k.obj('policy/v1', 'PodDisruptionBudget', 'istiod-' + rev.name, input.namespaces.system, labels=k.revLabels(rev, { app: 'istiod', istio: 'pilot' })) {
    spec: { minAvailable: 1, selector: { matchLabels: selector(rev) } },
  };

local rbac = import 'istiod-rbac.libsonnet';

// Named as istio-discovery's mutatingwebhook.yaml names it at every tag from 1.20.8 to 1.30.2:
// istio-sidecar-injector-<rev>, with -<namespace> appended outside istio-system (so the add-on's
// is istio-sidecar-injector-asm-1-NN-aks-istio-system). istiod finds it by its istio.io/rev
// label, not by name (pkg/webhooks/webhookpatch.go), so the name is for people and tools.
local mutatingWebhook(input, rev) =
  local ns = input.namespaces.system;
  k.obj('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', hooks.configName('istio-sidecar-injector-' + rev.name, ns),
        labels=k.revLabels(rev, { app: 'sidecar-injector' })) {
    webhooks: hooks.injection(rev, ns, rev.name),
  };

// Fails open until istiod flips it (lib/webhooks.libsonnet).
local validatingWebhook(input, rev) =
  k.obj('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'istio-validator-' + rev.name + '-' + input.namespaces.system,
        labels=k.revLabels(rev, { app: 'istiod', istio: 'istiod' })) {
    webhooks: [hooks.validation('rev.validation.istio.io', rev, input.namespaces.system, rev.name)],
  };

{
  // Every object of one revision's control plane.
  revision(input, rev)::
    [
      serviceAccount(input, rev),
      meshConfigMap(input, rev),
      sharedConfigMap(input, rev),
      injector.configMap(input, rev),
      deployment(input, rev),
      service(input, rev),
      hpa(input, rev),
      pdb(input, rev),
      mutatingWebhook(input, rev),
      validatingWebhook(input, rev),
    ] + rbac.objects(input, rev),
}
