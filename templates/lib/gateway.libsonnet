// Objects shared by ingress and egress gateways (docs/design.md, "Ingress gateways", "Egress gateways"):
// a per-revision Deployment, HPA and PDB named `<gateway>-<rev>`, and per gateway one
// ServiceAccount, Role, RoleBinding and Service shared by every revision. `gw` is one entry of
// input.gateways (name, namespace, autoscaling); `labels` are the gateway's pod/object labels.
local k = import 'k.libsonnet';
local sched = import 'scheduling.libsonnet';

local component = 'gateways';

// The Deployment selector: the gateway labels plus the revision, so the Deployments of two
// revisions never select each other's pods (a Deployment selector is also immutable).
local selector(gw, rev) = { app: gw.name, istio: gw.name, 'istio.io/rev': rev.name };

// Traffic ports of every gateway Service (docs/design.md, "Facts about a revisioned Istio install": the gateway chart maps 80→80 and
// 443→443, possible because the pods lower the unprivileged-port floor to 0).
local servicePorts = [
  { name: 'status-port', port: 15021, protocol: 'TCP', targetPort: 15021 },
  { name: 'http2', port: 80, protocol: 'TCP', targetPort: 80 },
  { name: 'https', port: 443, protocol: 'TCP', targetPort: 443 },
];

local container = {
  name: 'istio-proxy',
  // Replaced by the injector's gateway template (inject.istio.io/templates: gateway).
  image: 'auto',
  ports: [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }],
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } },
  securityContext: {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsGroup: 1337,
    runAsNonRoot: true,
    runAsUser: 1337,
  },
};

{
  servicePorts:: servicePorts,

  // Per revision: the gateway Deployment. `podAnnotations` adds to the injection and scrape
  // annotations; `podSpec` is merged over the scheduling defaults (e.g. egress anti-affinity).
  deployment(gw, rev, labels, podAnnotations={}, podSpec={})::
    k.obj('apps/v1', 'Deployment', gw.name + '-' + rev.name, gw.namespace, labels=k.revLabels(rev, labels), component=component) {
      spec: {
        // No replicas: the HPA owns the count.
        selector: { matchLabels: selector(gw, rev) },
        // As istiod: a rollout starts a full new set of pods before old ones go.
        strategy: { rollingUpdate: { maxSurge: '100%', maxUnavailable: '25%' } },
        template: {
          metadata: {
            // The version label rolls the pods when a revision gets a new Istio patch, so they
            // pick up the new proxy from the injector.
            labels: k.revLabels(rev, labels + selector(gw, rev)) { 'sidecar.istio.io/inject': 'true' },
            annotations: podAnnotations {
              'inject.istio.io/templates': 'gateway',
              'prometheus.io/path': '/stats/prometheus',
              'prometheus.io/port': '15020',
              'prometheus.io/scrape': 'true',
            },
          },
          // The injected gateway template adds the same secrets (values.global.imagePullSecrets);
          // imagePullSecrets merge by name, so they are not doubled.
          spec: sched.podSpec(rev) + podSpec + k.pullSecrets(rev.images.pullSecrets) + {
            serviceAccountName: gw.name,
            // Lets the proxy (uid 1337, no capabilities) bind 80 and 443.
            securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] },
            terminationGracePeriodSeconds: 30,
            containers: [container],
          },
        },
      },
    },

  // Per revision: CPU autoscaling of that revision's Deployment.
  hpa(gw, rev, labels)::
    k.obj('autoscaling/v2', 'HorizontalPodAutoscaler', gw.name + '-' + rev.name, gw.namespace, labels=k.revLabels(rev, labels), component=component) {
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: gw.name + '-' + rev.name },
        minReplicas: gw.autoscaling.minReplicas,
        maxReplicas: gw.autoscaling.maxReplicas,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: gw.autoscaling.targetCPUUtilizationPercentage } } }],
      },
    },

  // Per revision: keep one pod of the revision through voluntary disruptions.
  pdb(gw, rev, labels)::
    k.obj('policy/v1', 'PodDisruptionBudget', gw.name + '-' + rev.name, gw.namespace, labels=k.revLabels(rev, labels), component=component) {
      spec: { minAvailable: 1, selector: { matchLabels: selector(gw, rev) } },
    },

  // Per gateway, shared by its revisions: one ServiceAccount keeps the gateway's SPIFFE identity
  // (…/ns/<namespace>/sa/<name>) stable across a canary, so AuthorizationPolicies naming it hold.
  identity(gw, labels):: [
    k.obj('v1', 'ServiceAccount', gw.name, gw.namespace, labels=labels, component=component),
    // Gateways read TLS credentials (credentialName) from Secrets in their own namespace.
    k.obj('rbac.authorization.k8s.io/v1', 'Role', gw.name, gw.namespace, labels=labels, component=component) {
      rules: [k.rule([''], ['secrets'], ['get', 'watch', 'list'])],
    },
    k.obj('rbac.authorization.k8s.io/v1', 'RoleBinding', gw.name, gw.namespace, labels=labels, component=component) {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: gw.name },
      subjects: [{ kind: 'ServiceAccount', name: gw.name, namespace: gw.namespace }],
    },
  ],

  // Per gateway, shared by its revisions: the Service selects on `istio` only, so the pods of
  // every revision serve behind one address during a canary.
  service(gw, labels, type, annotations={}, spec={})::
    k.obj('v1', 'Service', gw.name, gw.namespace, labels=labels, annotations=annotations, component=component) {
      spec: { type: type, ports: servicePorts, selector: { istio: gw.name } } + spec,
    },
}
