/**
 * Part of stage `resolve`: mesh-wide control-plane switches the templates branch on — whether
 * istiod serves Gateway API deployments, and which revision's Istio CNI node agent to render.
 */
import type { ServiceMesh } from '../intent/types.js';
import { exceptionStates } from './policy.js';

/** The rule whose exceptions lift Meshplane's Gateway API refusal (src/rules/gateway-api-unsupported.ts). */
export const GATEWAY_API_RULE = 'gateway-api-unsupported';

/** What istiod needs to know about Gateway API (templates read `input.gatewayApi.enabled`). */
export interface GatewayApiInput {
  /**
   * True when the mesh accepts Istio-programmed Gateway API objects: spec.mode is Istio and
   * spec.policy.exceptions holds at least one unexpired exception for rule
   * `gateway-api-unsupported`. Then istiod keeps its Gateway API controllers on, gets the
   * gateway-controller ClusterRole, and the injector carries the `kube-gateway` template.
   */
  readonly enabled: boolean;
}

/**
 * Decides {@link GatewayApiInput}. Why exceptions and nothing else: the refusal is the rule
 * `gateway-api-unsupported` (and the same check in the in-cluster admission policy); the only
 * way a mesh lifts it is an exception of that rule. spec.policy.forbiddenKinds cannot: it lists
 * Istio kinds, and no Gateway API kind is on the default list, so overriding it never lifts the
 * Gateway API refusal. An expired exception no longer waives anything, so it does not count —
 * the same day boundary as the admission policy (`now` is the render clock, `--now`).
 */
export function resolveGatewayApi(intent: ServiceMesh, now: Date): GatewayApiInput {
  if (intent.spec.mode !== 'Istio') return { enabled: false };
  const enabled = exceptionStates(intent, now).some((s) => !s.expired && s.exception.rule === GATEWAY_API_RULE);
  return { enabled };
}

/** The Istio CNI node agent (templates/cni.libsonnet), or null when no revision uses CNI chaining. */
export interface CniAgentInput {
  /** The revision whose Istio version the agent runs: the newest revision with CNI chaining. */
  revision: string;
}

/**
 * Picks the CNI agent's revision. Why one agent: the add-on runs a single DaemonSet
 * (`azure-service-mesh-istio-cni-addon-node`, no revision in its name) for the cluster, and the
 * agent must be at least as new as the sidecars it sets up, so during a canary it follows the
 * newest revision.
 */
export function resolveCniAgent(revisions: ReadonlyArray<{ name: string; minor: number; cni: boolean }>): CniAgentInput | null {
  const withCni = revisions.filter((r) => r.cni).sort((a, b) => a.minor - b.minor);
  const newest = withCni[withCni.length - 1];
  return newest ? { revision: newest.name } : null;
}
