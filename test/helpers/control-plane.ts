/** The istiod object set every revision R must get (docs/design.md, "What is rendered", per revision R), for tests. */
export function controlPlaneOf(rev: string): Array<[kind: string, name: string]> {
  return [
    ['ServiceAccount', `istiod-${rev}`], ['Deployment', `istiod-${rev}`], ['Service', `istiod-${rev}`],
    ['HorizontalPodAutoscaler', `istiod-${rev}`], ['PodDisruptionBudget', `istiod-${rev}`],
    ['Role', `istiod-${rev}`], ['RoleBinding', `istiod-${rev}`],
    ['ClusterRole', `istiod-clusterrole-${rev}-aks-istio-system`], ['ClusterRoleBinding', `istiod-clusterrole-${rev}-aks-istio-system`],
    ['ConfigMap', `istio-${rev}`], ['ConfigMap', `istio-sidecar-injector-${rev}`], ['ConfigMap', `istio-shared-configmap-${rev}`],
    ['MutatingWebhookConfiguration', `istio-sidecar-injector-${rev}-aks-istio-system`],
    ['ValidatingWebhookConfiguration', `istio-validator-${rev}-aks-istio-system`],
  ];
}
