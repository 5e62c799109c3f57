/**
 * What templates/restart-hook.libsonnet needs to render the opt-in PostSync hook
 * (spec.upgrade.restartHook): after a sync that moved waves to the canary, a Job runs
 * `meshplane upgrade restart` for the namespaces of every moved wave. Restarting is idempotent
 * (workloads whose pods already run the canary are skipped), so every moved wave is named, not
 * only the last one: a wave whose restart failed is retried on the next sync. Loaded by the
 * render: it must never import the cluster client.
 */
import { MeshplaneError } from '../core/errors.js';
import { boundedName, defaultPreflightImage, PREFLIGHT_NAMESPACE } from './resolve-preflight-hook.js';
import type { ServiceMesh } from '../intent/types.js';
import { waveProgress } from '../intent/waves.js';

/** The template input of the restart hook. */
export interface RestartHookInput {
  image: string;
  /** Name of every hook object (Job, ServiceAccount, Role, RoleBinding). */
  name: string;
  /** Namespace of the Job and its ServiceAccount (the preflight hook's, for the same reason). */
  namespace: string;
  /** The revision the moved waves' pods should run (the canary). */
  revision: string;
  /** The moved waves' namespaces, sorted: one Role and RoleBinding each. */
  namespaces: string[];
  /** The Role's rules: exactly what `upgrade restart` does (RESTART_ACCESS in restart-client.ts). */
  rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
  /**
   * The istiod Deployment the command waits for before restarting (waitForIstiod in
   * restart-client.ts): one more Role, in its namespace, granting get on it by name only.
   */
  istiod: { namespace: string; name: string; rules: Array<{ apiGroups: string[]; resources: string[]; resourceNames: string[]; verbs: string[] }> };
}

/**
 * The Role rules, sorted. Why these and nothing more: pods are read (get, list) to see which
 * revision runs; the three apps/v1 kinds `kubectl rollout restart` restarts are listed, read and
 * patched (the restartedAt annotation). No create, delete, watch or secrets. A test compares this
 * list with the requests the command makes against the fake API server.
 */
export const RESTART_RULES: RestartHookInput['rules'] = [
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
  { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'statefulsets'], verbs: ['get', 'list', 'patch'] },
];

/**
 * The istiod Role's rules: get on Deployment istiod-<revision> and nothing else (the command
 * reads its status; no list, as a list cannot be limited by resourceNames in a useful way).
 */
export function istiodRules(revision: string): RestartHookInput['istiod']['rules'] {
  return [{ apiGroups: ['apps'], resources: ['deployments'], resourceNames: [`istiod-${revision}`], verbs: ['get'] }];
}

/** `meshplane-restart-<mesh>`, shortened with a hash suffix when over 63 characters. */
export function restartHookName(mesh: string): string {
  return boundedName(`meshplane-restart-${mesh}`);
}

/**
 * The hook input, or null when spec.upgrade.restartHook.enabled is not true or no wave has moved.
 * A wave that picks namespaces by label is refused: its namespaces are only known in the cluster,
 * and a Role can only be bound in namespaces named at render time (least privilege).
 * `systemNamespace` is where istiod runs (NAMESPACES.system of resolve.ts).
 */
export function resolveRestartHook(intent: ServiceMesh, systemNamespace: string): RestartHookInput | null {
  const upgrade = intent.spec.upgrade;
  if (upgrade?.restartHook?.enabled !== true) return null;
  const waves = upgrade.waves ?? [];
  const bySelector = waves.findIndex((w) => w.namespaceSelector !== undefined);
  if (bySelector !== -1) {
    throw new MeshplaneError('intent-invalid', `spec.upgrade.restartHook is enabled but spec.upgrade.waves[${bySelector}] (tag ${waves[bySelector]?.tag}) picks namespaces by namespaceSelector`, [], 'list that wave\'s namespaces by name (spec.upgrade.waves[].namespaces): the hook binds its Role only in namespaces named in mesh.yaml; or disable the hook and run `meshplane upgrade restart` yourself');
  }
  const progress = waveProgress(intent);
  const moved = progress.waves.filter((w) => w.moved);
  if (!progress.canary || moved.length === 0) return null;
  const namespaces = [...new Set(moved.flatMap((w) => waves[w.index]?.namespaces ?? []))].sort();
  return { image: upgrade.restartHook.image ?? defaultPreflightImage(), name: restartHookName(intent.metadata.name), namespace: PREFLIGHT_NAMESPACE, revision: progress.canary, namespaces, rules: RESTART_RULES, istiod: { namespace: systemNamespace, name: `istiod-${progress.canary}`, rules: istiodRules(progress.canary) } };
}
