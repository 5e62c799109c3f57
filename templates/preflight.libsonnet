// The opt-in Argo CD PreSync hook (spec.policy.preflightHook; docs/design.md, "Argo CD hooks and sync options"): a
// Job that runs `meshplane preflight` inside the cluster before the sync applies anything. A
// failing PreSync hook stops the sync, so OSM, a foreign Istio, an unsupported Kubernetes
// version, meshed pods on Windows or virtual nodes, or a downgrade fail it before any change.
// Names, namespace and image come from src/integrations/preflight/hook-input.ts.
local k = import 'lib/k.libsonnet';

local hook(deletePolicy) = {
  'argocd.argoproj.io/hook': 'PreSync',
  'argocd.argoproj.io/hook-delete-policy': deletePolicy,
};

// The Job is deleted when it succeeds (and before the next run); a failed Job stays for its logs.
// The objects it needs are only replaced before the next run: deleting them on success could
// pull the ServiceAccount or ConfigMap from under a Job that is still starting.
// The Job keeps its name while its pod template changes (the image with each Meshplane release,
// the restart command as waves move), and a Job's template is immutable
// (kubernetes/kubernetes pkg/apis/batch/validation/validation.go ValidateJobSpecUpdate). Argo CD
// deletes the hook before creating it again (BeforeHookCreation); Flux knows no Argo CD hooks and
// would update the Job in place, which the API server refuses, so the Job also carries Flux's force
// annotation: Flux then deletes and re-creates it when the apply is refused as immutable
// (fluxcd/kustomize-controller v1.9.4 ForceSelector; fluxcd/pkg ssa/v0.77.0 shouldForceApply).
// src/diff/refused-updates.ts recreatedBy reads both.
local jobHook = hook('BeforeHookCreation,HookSucceeded') + { 'kustomize.toolkit.fluxcd.io/force': 'enabled' };
local supportHook = hook('BeforeHookCreation');

// Exactly what preflight reads, and only `list`/`get`: READS in src/integrations/preflight/access.ts
// says why each is needed, and a test checks this list against it and against the requests a
// fake API server sees. Grouped one rule per API group, sorted.
local rules = [
  k.rule([''], ['namespaces', 'nodes', 'pods'], ['list']),
  k.rule(['admissionregistration.k8s.io'], ['mutatingwebhookconfigurations'], ['list']),
  k.rule(['apiextensions.k8s.io'], ['customresourcedefinitions'], ['list']),
  k.rule(['apps'], ['deployments'], ['list']),
  k.rule(['install.istio.io'], ['istiooperators'], ['list']),
  { nonResourceURLs: ['/apis', '/version'], verbs: ['get'] },
];

// The intent is mounted as one file with subPath: a whole-ConfigMap volume presents files as
// symbolic links, which the source reader refuses.
local intentDir = '/etc/meshplane/intent';

local job(p) = {
  // A failed preflight is a finding, not a flake: retrying would only delay the failed sync.
  backoffLimit: 0,
  activeDeadlineSeconds: 300,
  template: {
    metadata: { labels: { 'meshplane.io/component': 'preflight', 'sidecar.istio.io/inject': 'false' } },
    spec: {
      serviceAccountName: p.name,
    } + k.pullSecrets(p.pullSecrets) + {
      automountServiceAccountToken: true,
      restartPolicy: 'Never',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
      securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'preflight',
        image: p.image,
        imagePullPolicy: 'IfNotPresent',
        command: ['meshplane', 'preflight', intentDir, '--timeout', '20'],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        volumeMounts: [
          { name: 'intent', mountPath: intentDir + '/mesh.yaml', subPath: 'mesh.yaml', readOnly: true },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      }],
      volumes: [{ name: 'intent', configMap: { name: p.name } }, { name: 'tmp', emptyDir: {} }],
    },
  },
};

local objects(input, p) =
  local obj(apiVersion, kind, namespace, annotations) = k.obj(apiVersion, kind, p.name, namespace, annotations=annotations, component='preflight');
  local intent = { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: input.mesh.name }, spec: input.spec };
  [
    obj('v1', 'ServiceAccount', p.namespace, supportHook),
    obj('rbac.authorization.k8s.io/v1', 'ClusterRole', null, supportHook) { rules: rules },
    obj('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', null, supportHook) {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: p.name },
      subjects: [{ kind: 'ServiceAccount', name: p.name, namespace: p.namespace }],
    },
    obj('v1', 'ConfigMap', p.namespace, supportHook) { data: { 'mesh.yaml': k.yaml(intent) } },
    obj('batch/v1', 'Job', p.namespace, jobHook) { spec: job(p) },
  ];

function(input)
  local p = std.get(input, 'preflight', null);
  if p == null then [] else objects(input, p)
