/**
 * Part of stage `resolve`: the ingress and egress gateways to render, with every override and
 * default applied, so templates/ingress-gateways.libsonnet and egress-gateways.libsonnet only
 * lay out objects.
 */
import type { Autoscaling, ServiceMesh } from '../intent/types.js';

/** Autoscaling with every field set. */
export type ResolvedAutoscaling = Required<Autoscaling>;

/**
 * HPA defaults of the add-on's gateways (docs/design.md, "Autoscaling and disruption budgets": min 2, max 5, 80% CPU; the
 * same as istiod). Why min 2: the PDB keeps one pod, so a single replica could never be drained.
 */
export const GATEWAY_AUTOSCALING: Readonly<ResolvedAutoscaling> = { minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 80 };

/** The Azure cloud-provider annotation that puts a LoadBalancer Service on an internal IP. */
export const INTERNAL_LB_ANNOTATION = 'service.beta.kubernetes.io/azure-load-balancer-internal';

/** Default namespace of egress gateways (docs/design.md, "Namespaces and names"). */
export const DEFAULT_EGRESS_NAMESPACE = 'aks-istio-egress';

/** One ingress gateway mode to render (for every revision). */
export interface IngressGatewayInput {
  /** `external` or `internal`: the suffix of every object name. */
  mode: 'external' | 'internal';
  /** `aks-istio-ingressgateway-<mode>`: the Service name and the `app`/`istio` label value. */
  name: string;
  /** User annotations from the allowlist, plus the internal-LB annotation for `internal`. */
  serviceAnnotations: Record<string, string>;
  externalTrafficPolicy: 'Cluster' | 'Local' | null;
  autoscaling: ResolvedAutoscaling;
}

/** One egress gateway to render (for every revision). */
export interface EgressGatewayInput {
  name: string;
  namespace: string;
  gatewayConfigurationName: string;
  autoscaling: ResolvedAutoscaling;
}

/** Both gateway kinds. */
export interface GatewaysInput {
  ingress: IngressGatewayInput[];
  egress: EgressGatewayInput[];
}

/** Fills unset autoscaling fields with the gateway defaults. */
export function gatewayAutoscaling(a: Autoscaling | undefined): ResolvedAutoscaling {
  return { ...GATEWAY_AUTOSCALING, ...Object.fromEntries(Object.entries(a ?? {}).filter(([, v]) => v !== undefined)) };
}

/**
 * Ingress modes to render: a mode is rendered once when any entry of it is enabled (two entries
 * of one mode are the ingress-gateway-duplicate rule's finding, not a reason to render twice).
 */
export function resolveIngressGateways(intent: ServiceMesh): IngressGatewayInput[] {
  const entries = intent.spec.istio?.components?.ingressGateways ?? [];
  const modes = (['External', 'Internal'] as const).filter((m) => entries.some((e) => e.mode === m && e.enabled));
  return modes.map((m) => {
    const mode = m === 'External' ? 'external' : 'internal';
    const overrides = intent.spec.gateways?.[mode] ?? {};
    const annotations = { ...(overrides.serviceAnnotations ?? {}), ...(mode === 'internal' ? { [INTERNAL_LB_ANNOTATION]: 'true' } : {}) };
    return {
      mode,
      name: `aks-istio-ingressgateway-${mode}`,
      serviceAnnotations: annotations,
      externalTrafficPolicy: overrides.externalTrafficPolicy ?? null,
      autoscaling: gatewayAutoscaling(overrides.autoscaling),
    };
  });
}

/** Enabled egress gateways with their namespace and autoscaling resolved (overrides by name). */
export function resolveEgressGateways(intent: ServiceMesh): EgressGatewayInput[] {
  const entries = intent.spec.istio?.components?.egressGateways ?? [];
  return entries
    .filter((e) => e.enabled)
    .map((e) => ({
      name: e.name,
      namespace: e.namespace ?? DEFAULT_EGRESS_NAMESPACE,
      gatewayConfigurationName: e.gatewayConfigurationName ?? '',
      autoscaling: gatewayAutoscaling(intent.spec.gateways?.egress?.[e.name]?.autoscaling),
    }));
}

/** Both gateway kinds of the intent. */
export function resolveGateways(intent: ServiceMesh): GatewaysInput {
  return { ingress: resolveIngressGateways(intent), egress: resolveEgressGateways(intent) };
}
