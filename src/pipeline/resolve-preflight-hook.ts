/**
 * What templates/preflight.libsonnet needs to render the opt-in PreSync hook
 * (spec.policy.preflightHook): the image, the object names and the namespace. Decided here, in
 * code, so the template stays declarative. Loaded by the render: it must never import the cluster
 * client.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { packagePath } from '../core/paths.js';
import type { ServiceMesh } from '../intent/types.js';

/** Where Meshplane's release images are published; the tag is the package version. */
export const PREFLIGHT_IMAGE_REPOSITORY = 'ghcr.io/meshplane/meshplane';

/**
 * The namespace of the hook's Job, ServiceAccount and ConfigMap. Why kube-system: PreSync hooks
 * run before the sync creates anything, so aks-istio-system does not exist yet on a first sync;
 * kube-system exists in every cluster.
 */
export const PREFLIGHT_NAMESPACE = 'kube-system';

/** Longest name of the Job: its pods carry it in the `job-name` label, which is capped at 63. */
const MAX_NAME = 63;

/** The template input of the hook. */
export interface PreflightHookInput {
  image: string;
  /** spec.images.imagePullSecrets, for the Job's pod. */
  pullSecrets: string[];
  /** Name of every hook object (Job, ServiceAccount, ConfigMap, ClusterRole, ClusterRoleBinding). */
  name: string;
  namespace: string;
}

let version: string | undefined;

/**
 * `ghcr.io/meshplane/meshplane:<package version>`; with a registry (spec.images.registry) the
 * image keeps its name under that registry: `<registry>/meshplane:<version>`, the layout of a
 * mirror that copies every image by its last path component, as the Istio images are.
 */
export function defaultPreflightImage(registry?: string): string {
  version ??= (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
  const repository = registry === undefined ? PREFLIGHT_IMAGE_REPOSITORY : `${registry}/${PREFLIGHT_IMAGE_REPOSITORY.slice(PREFLIGHT_IMAGE_REPOSITORY.lastIndexOf('/') + 1)}`;
  return `${repository}:${version}`;
}

/** `meshplane-preflight-<mesh>`, shortened with a hash suffix when over 63 characters. */
export function hookName(mesh: string): string {
  return boundedName(`meshplane-preflight-${mesh}`);
}

/** A hook object name: `full`, or its first 54 characters and a hash suffix when over 63. */
export function boundedName(full: string): string {
  if (full.length <= MAX_NAME) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, MAX_NAME - 9).replace(/-+$/, '')}-${hash}`;
}

/** The hook input, or null when spec.policy.preflightHook is not true. */
export function resolvePreflightHook(intent: ServiceMesh): PreflightHookInput | null {
  const policy = intent.spec.policy;
  if (policy?.preflightHook !== true) return null;
  const images = intent.spec.images;
  return { image: policy.preflightImage ?? defaultPreflightImage(images?.registry), pullSecrets: [...(images?.imagePullSecrets ?? [])], name: hookName(intent.metadata.name), namespace: PREFLIGHT_NAMESPACE };
}
