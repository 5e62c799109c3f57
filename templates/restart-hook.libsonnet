// The opt-in Argo CD PostSync hook (spec.upgrade.restartHook; docs/upgrades.md, "Restarting a
// wave"): after a sync in which a wave's tag points at the canary, a Job runs
// `meshplane upgrade restart` for the namespaces of the moved waves, so their pods are
// re-injected by the canary. Argo CD runs PostSync hooks after every Sync hook succeeded and all
// resources are Healthy (argo-cd v3.5.1, docs/user-guide/sync-waves.md, the hook table; the old
// page docs/user-guide/resource_hooks.md now points there), i.e. after the tag webhook moved.
// Names, namespaces, revision and rules come from src/upgrade/restart-hook-input.ts.
local k = import 'lib/k.libsonnet';

local hook(deletePolicy) = {
  'argocd.argoproj.io/hook': 'PostSync',
  'argocd.argoproj.io/hook-delete-policy': deletePolicy,
};

// As the preflight hook: the Job goes when it succeeds and before the next run (same
// sync-waves.md table: HookSucceeded, BeforeHookCreation); a failed Job stays for its logs.
// With Flux's force annotation, as the preflight hook's Job (templates/preflight.libsonnet says
// why: the command changes as waves move, and a Job's template is immutable).
local jobHook = hook('BeforeHookCreation,HookSucceeded') + { 'kustomize.toolkit.fluxcd.io/force': 'enabled' };
local supportHook = hook('BeforeHookCreation');

local job(p) = {
  // A failed patch is reported and the next sync retries (restart is idempotent); no Job retries.
  backoffLimit: 0,
  activeDeadlineSeconds: 600,
  template: {
    metadata: { labels: { 'meshplane.io/component': 'restart-hook', 'sidecar.istio.io/inject': 'false' } },
    spec: {
      serviceAccountName: p.name,
      automountServiceAccountToken: true,
      restartPolicy: 'Never',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
      securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'restart',
        image: p.image,
        imagePullPolicy: 'IfNotPresent',
        command: ['meshplane', 'upgrade', 'restart', '--namespaces', std.join(',', p.namespaces), '--revision', p.revision, '--timeout', '20'],
        resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      }],
      volumes: [{ name: 'tmp', emptyDir: {} }],
    },
  },
};

local objects(p) =
  local obj(apiVersion, kind, namespace, annotations) = k.obj(apiVersion, kind, p.name, namespace, annotations=annotations, component='restart-hook');
  [obj('v1', 'ServiceAccount', p.namespace, supportHook)]
  + k.flatten([
    [
      // A Role per moved namespace: the hook may patch workloads there and nowhere else.
      obj('rbac.authorization.k8s.io/v1', 'Role', ns, supportHook) { rules: p.rules },
      obj('rbac.authorization.k8s.io/v1', 'RoleBinding', ns, supportHook) {
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: p.name },
        subjects: [{ kind: 'ServiceAccount', name: p.name, namespace: p.namespace }],
      },
    ]
    for ns in p.namespaces
  ])
  // The command first waits for istiod-<rev> to be available (src/upgrade/restart-client.ts,
  // waitForIstiod): get on that one Deployment in the system namespace, nothing else there.
  + [
    obj('rbac.authorization.k8s.io/v1', 'Role', p.istiod.namespace, supportHook) { rules: p.istiod.rules },
    obj('rbac.authorization.k8s.io/v1', 'RoleBinding', p.istiod.namespace, supportHook) {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: p.name },
      subjects: [{ kind: 'ServiceAccount', name: p.name, namespace: p.namespace }],
    },
  ]
  + [obj('batch/v1', 'Job', p.namespace, jobHook) { spec: job(p) }];

function(input)
  local p = std.get(input, 'restartHook', null);
  if p == null || std.length(p.namespaces) == 0 then [] else objects(p)
