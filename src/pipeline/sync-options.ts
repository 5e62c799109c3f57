/**
 * Argo CD per-resource sync options (`argocd.argoproj.io/sync-options`, docs/design.md, "Argo CD hooks and sync options")
 * that Meshplane's own objects need, decided by API group and kind in one table. Applied by the
 * `decorate` stage to rendered objects only: the source's own manifests keep what their authors wrote.
 */
import type { KubeObject } from '../core/types.js';

/** Argo CD's per-resource sync-options annotation (comma-separated). */
export const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

/** One row: objects of these groups (and kinds, when listed) get these options. */
export interface SyncOptionRule {
  groups: readonly string[];
  /** Unset: every kind of the groups. */
  kinds?: readonly string[];
  options: readonly string[];
  why: string;
}

/**
 * Why each row:
 * - CRDs: client-side apply stores the whole object in the last-applied-configuration annotation,
 *   which is capped at 256 KiB; large CRDs exceed it, and server-side apply stores no such copy.
 * - Istio CRs: their CRDs arrive in the same sync (wave -6). Argo CD skips the dry run for kinds
 *   whose CRD is part of the sync, but the option keeps a selective or retried sync, where the CRD
 *   is not in the set being applied, from failing with "could not find the requested resource".
 * - Monitoring, Grafana and Secrets Store objects: their CRDs come from other installs (Prometheus
 *   Operator / Azure Monitor, grafana-operator, the CSI driver add-on) that a bootstrap often
 *   syncs at the same time; without the option the dry run fails the whole mesh sync until they exist.
 */
export const SYNC_OPTION_RULES: readonly SyncOptionRule[] = [
  { groups: ['apiextensions.k8s.io'], kinds: ['CustomResourceDefinition'], options: ['ServerSideApply=true'], why: 'CRDs can exceed the client-side last-applied annotation limit' },
  { groups: ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io'], options: ['SkipDryRunOnMissingResource=true'], why: 'Istio CRDs are applied in the same sync' },
  { groups: ['monitoring.coreos.com', 'azmonitoring.coreos.com'], options: ['SkipDryRunOnMissingResource=true'], why: 'PodMonitor/ServiceMonitor/PrometheusRule CRDs come with the Prometheus install' },
  { groups: ['grafana.integreatly.org'], options: ['SkipDryRunOnMissingResource=true'], why: 'GrafanaDashboard CRDs come with grafana-operator' },
  { groups: ['secrets-store.csi.x-k8s.io'], options: ['SkipDryRunOnMissingResource=true'], why: 'SecretProviderClass CRDs come with the Secrets Store CSI driver' },
];

/** The API group of an apiVersion (`core` objects have none). */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The sync options the table gives an object (in table order, no duplicates). */
export function syncOptionsFor(obj: KubeObject, rules: readonly SyncOptionRule[] = SYNC_OPTION_RULES): string[] {
  const group = groupOf(obj.apiVersion);
  const hits = rules.filter((r) => r.groups.includes(group) && (!r.kinds || r.kinds.includes(obj.kind)));
  return [...new Set(hits.flatMap((r) => r.options))];
}

/**
 * Merges options into an existing annotation value: options already present (by key, e.g. a
 * template's own `ServerSideApply=false`) are kept as written; missing ones are appended.
 */
export function mergeSyncOptions(existing: string | undefined, add: readonly string[]): string {
  const current = (existing ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const keys = new Set(current.map((o) => o.split('=')[0]));
  return [...current, ...add.filter((o) => !keys.has(o.split('=')[0]))].join(',');
}
