// The Istio CNI node agent for proxyRedirectionMechanism: CNIChaining. With it, injected pods get
// the `istio-validation` init container instead of `istio-init`, and this agent (one per node)
// writes the pod's traffic redirection when the container runtime sets up the pod network.
//
// Shape: istio/istio manifests/charts/istio-cni/templates/{serviceaccount,clusterrole,
// clusterrolebinding,configmap-cni,daemonset}.yaml with the chart's default values
// (values.yaml: chained plugin, cniBinDir /opt/cni/bin, cniConfDir /etc/cni/net.d,
// excludeNamespaces [kube-system], repair on in repairPods mode, ambient off), read at the
// agent revision's tag: 1.25.5, 1.26.4, 1.27.9, 1.28.9, 1.29.5 and 1.30.2 (CNI chaining exists
// on the add-on from asm-1-25). Per-minor differences are marked where they apply.
//
// Names: the chart names everything after one base name ("istio-cni": DaemonSet <base>-node,
// ServiceAccount/ClusterRole/ClusterRoleBinding <base>, ConfigMap <base>-config, repair role
// <base>-repair-role). The add-on's DaemonSet is `azure-service-mesh-istio-cni-addon-node` in
// aks-istio-system, so its base is `azure-service-mesh-istio-cni-addon` and the other names
// follow the chart's pattern (inferred: only the DaemonSet name is published).
local k = import 'lib/k.libsonnet';

local base = 'azure-service-mesh-istio-cni-addon';
// Same sync wave as istiod: the agent must run before any injected workload starts.
local component = 'control-plane';

local labels(rev) = k.revLabels(rev, { app: 'istio-cni', 'app.kubernetes.io/name': 'istio-cni' });

local readRules = [k.rule([''], ['pods', 'nodes', 'namespaces'], k.read)];

// repair.repairPods (the default) fixes broken pods in place, so the repair role needs no pod
// write access: only events and pod reads.
local repairRules = [
  k.rule([''], ['events'], ['create', 'patch']),
  k.rule([''], ['pods'], ['watch', 'get', 'list']),
];

// The agent's settings (the chart renders them into <base>-config and the container reads them
// as env). Boolean values are strings, as the chart quotes them.
local config(rev) = {
  // The chart's `tag` value: the Istio version without the image variant suffix.
  CURRENT_AGENT_VERSION: rev.istioVersion,
  AMBIENT_ENABLED: 'false',
  AMBIENT_DNS_CAPTURE: 'true',
  AMBIENT_IPV6: 'true',
  // values.yaml ambient.reconcileIptablesOnStartup: false until 1.28.9, true from 1.29.5.
  AMBIENT_RECONCILE_POD_RULES_ON_STARTUP: if rev.minor >= 29 then 'true' else 'false',
  CHAINED_CNI_PLUGIN: 'true',
  EXCLUDE_NAMESPACES: 'kube-system',
  REPAIR_ENABLED: 'true',
  REPAIR_LABEL_PODS: 'false',
  REPAIR_DELETE_PODS: 'false',
  REPAIR_REPAIR_PODS: 'true',
  // Must equal the init container the injector adds under CNI (templates/injection/sidecar.tmpl).
  REPAIR_INIT_CONTAINER_NAME: 'istio-validation',
  REPAIR_BROKEN_POD_LABEL_KEY: 'cni.istio.io/uninitialized',
  REPAIR_BROKEN_POD_LABEL_VALUE: 'true',
} + (if rev.minor >= 27 then {
       // Added in 1.27.9's configmap-cni.yaml (defaults of ambient.enablementSelectors,
       // istioOwnedCNIConfig and global.nativeNftables).
       AMBIENT_ENABLEMENT_SELECTOR: k.yaml([
         { podSelector: { matchLabels: { 'istio.io/dataplane-mode': 'ambient' } } },
         {
           podSelector: { matchExpressions: [k.req('istio.io/dataplane-mode', 'NotIn', ['none'])] },
           namespaceSelector: { matchLabels: { 'istio.io/dataplane-mode': 'ambient' } },
         },
       ]),
       ISTIO_OWNED_CNI_CONFIG: 'false',
       NATIVE_NFTABLES: 'false',
     } else {})
  + (if rev.minor >= 28 then { ENABLE_AMBIENT_DETECTION_RETRY: 'false' } else {});

local resourceEnv(name, resource) = { name: name, valueFrom: { resourceFieldRef: { resource: resource, divisor: '1' } } };

local env(rev) = [
  k.fieldEnv('REPAIR_NODE_NAME', 'spec.nodeName'),
  k.env('REPAIR_RUN_AS_DAEMON', 'true'),
  k.env('REPAIR_SIDECAR_ANNOTATION', 'sidecar.istio.io/status'),
] + (if rev.minor >= 26 then [k.env('ALLOW_SWITCH_TO_HOST_NS', 'true')] else []) + [
  k.fieldEnv('NODE_NAME', 'spec.nodeName'),
  resourceEnv('GOMEMLIMIT', 'limits.memory'),
  resourceEnv('GOMAXPROCS', 'limits.cpu'),
  k.fieldEnv('POD_NAME', 'metadata.name'),
  k.fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
];

local hostPath(name, path, type=null) = { name: name, hostPath: { path: path } + (if type == null then {} else { type: type }) };

local podLabels = {
  'k8s-app': base + '-node',
  'sidecar.istio.io/inject': 'false',
  'istio.io/dataplane-mode': 'none',
  'app.kubernetes.io/name': 'istio-cni',
};

local container(rev) = {
  name: 'install-cni',
  image: rev.images.hub + '/install-cni:' + rev.images.tag,
  imagePullPolicy: 'IfNotPresent',
  command: ['install-cni'],
  args: ['--log_output_level=info'],
  ports: [{ containerPort: 15014, name: 'metrics', protocol: 'TCP' }],
  readinessProbe: { httpGet: { path: '/readyz', port: 8000 } },
  securityContext: {
    privileged: false,
    runAsGroup: 0,
    runAsUser: 0,
    runAsNonRoot: false,
    // NET_ADMIN/NET_RAW for iptables, SYS_PTRACE/SYS_ADMIN to enter pod network namespaces
    // (repair), DAC_OVERRIDE to write host directories owned by others (the chart's reasons).
    capabilities: { drop: ['ALL'], add: ['NET_ADMIN', 'NET_RAW', 'SYS_PTRACE', 'SYS_ADMIN', 'DAC_OVERRIDE'] },
  },
  envFrom: [{ configMapRef: { name: base + '-config' } }],
  env: env(rev),
  volumeMounts: [
    { mountPath: '/host/opt/cni/bin', name: 'cni-bin-dir' },
    { mountPath: '/host/proc', name: 'cni-host-procfs', readOnly: true },
    { mountPath: '/host/etc/cni/net.d', name: 'cni-net-dir' },
    { mountPath: '/var/run/istio-cni', name: 'cni-socket-dir' },
  ],
  resources: { requests: { cpu: '100m', memory: '100Mi' } },
};

local daemonSet(input, rev) =
  k.obj('apps/v1', 'DaemonSet', base + '-node', input.namespaces.system, labels=labels(rev) { 'k8s-app': base + '-node' }, component=component) {
    spec: {
      selector: { matchLabels: { 'k8s-app': base + '-node' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: {
          labels: podLabels,
          annotations: {
            'sidecar.istio.io/inject': 'false',
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': '15014',
            'prometheus.io/path': '/metrics',
            // useAppArmorAnnotation (the default through 1.30.2): the annotation form works on
            // every Kubernetes version the revisions support.
            'container.apparmor.security.beta.kubernetes.io/install-cni': 'unconfined',
          },
        },
        spec: {
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [
            { effect: 'NoSchedule', operator: 'Exists' },
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { effect: 'NoExecute', operator: 'Exists' },
          ],
          priorityClassName: 'system-node-critical',
          serviceAccountName: base,
        } + k.pullSecrets(rev.images.pullSecrets) + {
          // 5 s until 1.28.9; values.yaml terminationGracePeriodSeconds 30 from 1.29.5.
          terminationGracePeriodSeconds: if rev.minor >= 29 then 30 else 5,
          containers: [container(rev)],
          volumes: [
            hostPath('cni-bin-dir', '/opt/cni/bin'),
            hostPath('cni-host-procfs', '/proc', 'Directory'),
            hostPath('cni-net-dir', '/etc/cni/net.d'),
            hostPath('cni-socket-dir', '/var/run/istio-cni'),
            hostPath('cni-netns-dir', '/var/run/netns', 'DirectoryOrCreate'),
          ],
        },
      },
    },
  };

local clusterRoleWithBinding(input, rev, roleName, bindingName, rules) = [
  k.obj('rbac.authorization.k8s.io/v1', 'ClusterRole', roleName, labels=labels(rev), component=component) { rules: rules },
  k.obj('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', bindingName, labels=labels(rev), component=component) {
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
    subjects: [{ kind: 'ServiceAccount', name: base, namespace: input.namespaces.system }],
  },
];

// Every object of the node agent; `input.cniAgent.revision` names the revision it runs.
function(input)
  local rev = [r for r in input.revisions if r.name == input.cniAgent.revision][0];
  [
    k.obj('v1', 'ServiceAccount', base, input.namespaces.system, labels=labels(rev), component=component),
    k.obj('v1', 'ConfigMap', base + '-config', input.namespaces.system, labels=labels(rev), component=component) { data: config(rev) },
    daemonSet(input, rev),
  ]
  + clusterRoleWithBinding(input, rev, base, base, readRules)
  + clusterRoleWithBinding(input, rev, base + '-repair-role', base + '-repair-rolebinding', repairRules)
