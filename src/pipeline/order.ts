/**
 * Stage `order`: a stable, total order of objects — sync wave, then kind install order, then
 * namespace, name and apiVersion — so output never depends on input order.
 */
import type { KubeObject, LocatedObject } from '../core/types.js';
import { SYNC_WAVE } from './decorate.js';

/**
 * Install order of kinds within a wave. Why: it follows Helm's kind sorter (which Argo CD and
 * Tanka also follow in spirit): definitions and namespaces before what lives in them, identity
 * and config before workloads, workloads before what scales or routes them, webhooks last so
 * they never block the objects of their own install. Unlisted kinds sort after, by name.
 */
export const KIND_ORDER: readonly string[] = [
  'CustomResourceDefinition', 'Namespace', 'PriorityClass', 'ResourceQuota', 'LimitRange',
  'NetworkPolicy', 'PodSecurityPolicy', 'PodDisruptionBudget', 'ServiceAccount', 'Secret',
  'SecretProviderClass', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim',
  'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'Service', 'DaemonSet', 'Pod',
  'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob',
  'Ingress', 'APIService', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
];

const rank = new Map(KIND_ORDER.map((k, i) => [k, i]));

/** The sync wave of an object (Argo CD default 0 when unset or not an integer). */
export function waveOf(obj: KubeObject): number {
  const raw = obj.metadata?.annotations?.[SYNC_WAVE];
  const n = raw === undefined ? 0 : Number(raw);
  return Number.isInteger(n) ? n : 0;
}

function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares two objects by wave, kind order, namespace, name, apiVersion. */
export function compareObjects(a: KubeObject, b: KubeObject): number {
  return (
    cmp(waveOf(a), waveOf(b)) ||
    cmp(rank.get(a.kind) ?? KIND_ORDER.length, rank.get(b.kind) ?? KIND_ORDER.length) ||
    cmp(a.kind, b.kind) ||
    cmp(a.metadata?.namespace ?? '', b.metadata?.namespace ?? '') ||
    cmp(a.metadata?.name ?? '', b.metadata?.name ?? '') ||
    cmp(a.apiVersion, b.apiVersion)
  );
}

/** Returns the objects sorted (stable; the input is not modified). */
export function order(objects: LocatedObject[]): LocatedObject[] {
  return objects
    .map((o, i) => ({ o, i }))
    .sort((x, y) => compareObjects(x.o.object, y.o.object) || x.i - y.i)
    .map((x) => x.o);
}
