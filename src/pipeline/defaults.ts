/**
 * Stage `defaults`: the one place where unset intent fields get values. Every default is a row
 * of {@link DEFAULTS} (path, value, why), so the README table and this code cannot drift apart.
 */
import type { ServiceMesh } from '../intent/types.js';

/** One default: the field it fills, the value, and why that value. */
export interface DefaultRule {
  path: string;
  value: unknown;
  why: string;
}

/** Every default Meshplane applies, in the order applied. */
export const DEFAULTS: readonly DefaultRule[] = [
  { path: 'spec.istio.components.ingressGateways', value: [], why: 'the add-on installs no ingress gateway until one is enabled' },
  { path: 'spec.istio.components.egressGateways', value: [], why: 'the add-on installs no egress gateway until one is enabled' },
  { path: 'spec.istio.components.proxyRedirectionMechanism', value: 'InitContainers', why: 'the add-on keeps the mechanism across upgrades; CNIChaining is its default only for new asm-1-30+ installs, which a GitOps source cannot tell apart' },
  { path: 'spec.cluster.tier', value: 'Standard', why: 'the compatibility ranges of the standard tier apply unless the cluster is LTS' },
  { path: 'spec.tags', value: {}, why: 'no revision tags unless asked for' },
  { path: 'spec.controlPlane.autoscaling.minReplicas', value: 2, why: 'add-on default; below 2 conflicts with the PodDisruptionBudget' },
  { path: 'spec.controlPlane.autoscaling.maxReplicas', value: 5, why: 'add-on default (istio-scale doc)' },
  { path: 'spec.controlPlane.autoscaling.targetCPUUtilizationPercentage', value: 80, why: 'add-on default (istio-scale doc)' },
  { path: 'spec.meshConfig', value: {}, why: 'istio-shared-configmap-<rev> is rendered for every revision, empty when unset, so a canary never loses settings' },
  { path: 'spec.monitoring.prometheus', value: 'annotations', why: 'istiod and proxies carry prometheus.io annotations anyway; scrape objects need their CRDs, so they are opt-in' },
  { path: 'spec.monitoring.grafana', value: 'none', why: 'GrafanaDashboard objects need the grafana-operator CRDs' },
  { path: 'spec.policy.exceptions', value: [], why: 'no rule is waived unless written down with a reason and an expiry' },
  { path: 'spec.policy.preflightHook', value: false, why: 'the PreSync preflight Job needs cluster read access; opt-in' },
];

/** Returns a copy of the intent with every unset default filled in (the input is not modified). */
export function applyDefaults(intent: ServiceMesh): ServiceMesh {
  const out = structuredClone(intent);
  for (const rule of DEFAULTS) {
    if (rule.path.startsWith('spec.istio.') && !out.spec.istio) continue;
    setIfUnset(out as unknown as Record<string, unknown>, rule.path.split('.'), rule.value);
  }
  return out;
}

function setIfUnset(root: Record<string, unknown>, keys: string[], value: unknown): void {
  let node = root;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === undefined || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1] as string;
  if (node[last] === undefined) node[last] = structuredClone(value);
}
