/**
 * Stage `decorate`: common labels and Argo CD sync waves on Meshplane's own objects.
 * Waves come from the component label each template sets, via {@link WAVES}; per-resource sync
 * options (ServerSideApply, SkipDryRunOnMissingResource) from the table in ./sync-options.ts.
 */
import type { KubeObject, LocatedObject } from '../core/types.js';
import { mergeSyncOptions, SYNC_OPTIONS, syncOptionsFor } from './sync-options.js';

/** Label every rendered object carries to say which part of the install it belongs to. */
export const COMPONENT_LABEL = 'meshplane.io/component';
/** Label naming the mesh an object belongs to. */
export const MESH_LABEL = 'meshplane.io/mesh';
/** The managed-by label value. */
export const MANAGED_BY = 'meshplane';
/** Argo CD's sync-wave annotation. */
export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/** Components of a rendered mesh, in install order. */
export type Component = 'crds' | 'namespaces' | 'control-plane' | 'gateways' | 'security' | 'monitoring' | 'platform' | 'preflight' | 'restart-hook' | 'policy';

/**
 * Sync wave per component. Why these numbers: CRDs first, then namespaces, then istiod and its
 * webhooks (so the injector exists before any workload), then gateways (injected by istiod),
 * mesh-wide security and monitoring objects (whose CRDs must be served). All are negative so
 * the source's own manifests, at Argo CD's default wave 0, come after the whole mesh.
 * The preflight hook runs in PreSync, before every wave; the restart hook in PostSync, after
 * them all (its wave only orders it among other PostSync hooks: last).
 */
export const WAVES: Readonly<Record<Component, number>> = {
  preflight: -10,
  crds: -6,
  namespaces: -5,
  platform: -5,
  // The guardrail admission policy goes in with the namespaces: it needs no CRD, and it must hold
  // before istiod and long before the source's own manifests (wave 0) are applied.
  policy: -5,
  'control-plane': -4,
  gateways: -3,
  security: -2,
  monitoring: -1,
  'restart-hook': 10,
};

/** Adds the common labels and the sync wave to each rendered object (returns new objects). */
export function decorate(objects: LocatedObject[], meshName: string): LocatedObject[] {
  return objects.map((o) => (o.origin.kind === 'rendered' ? { ...o, object: decorateObject(o.object, meshName) } : o));
}

function decorateObject(obj: KubeObject, meshName: string): KubeObject {
  const metadata = { ...(obj.metadata ?? {}) };
  const labels: Record<string, string> = { ...(metadata.labels ?? {}), 'app.kubernetes.io/managed-by': MANAGED_BY, [MESH_LABEL]: meshName };
  const component = labels[COMPONENT_LABEL] as Component | undefined;
  const wave = component !== undefined ? WAVES[component] : undefined;
  metadata.labels = labels;
  if (wave !== undefined && metadata.annotations?.[SYNC_WAVE] === undefined) {
    metadata.annotations = { ...(metadata.annotations ?? {}), [SYNC_WAVE]: String(wave) };
  }
  const options = syncOptionsFor(obj);
  if (options.length > 0) metadata.annotations = { ...(metadata.annotations ?? {}), [SYNC_OPTIONS]: mergeSyncOptions(metadata.annotations?.[SYNC_OPTIONS], options) };
  return { ...obj, metadata };
}
