/**
 * Guardrail data: the default forbidden kinds, Kubernetes API removals/deprecations and the
 * MeshConfig allowlist, read from catalog/*.yaml. Like catalog.ts, this module only parses and
 * indexes the data files; the rules in src/rules/ decide what they mean.
 */
import { readDataFile } from './data-file.js';

/** One forbidden kind (`group/Kind`), with an optional note on its history. */
export interface ForbiddenKind {
  group: string;
  kind: string;
  note?: string;
}

/** One removed/deprecated group/version of Kubernetes (catalog/kubernetes-apis.yaml). */
export interface KubeApiEntry {
  apiVersion: string;
  kinds: string[];
  removedIn: string;
  deprecatedIn: string;
  replacement: string;
  replacementSince?: string;
  /** Key of the file's `sources` map: the published document the entry was read from. */
  source: string;
  /** For entries read from kubernetes/api: the file and release tag that prove the dates. */
  upstream?: string;
}

/** The classes of one allowlist table. Fields in neither list are blocked. */
export interface FieldClasses {
  supported: string[];
  allowed: string[];
  blockedExamples: string[];
}

/** catalog/meshconfig-fields.yaml. */
export interface MeshConfigFields {
  meshConfig: FieldClasses;
  proxyConfig: FieldClasses;
}

/** Everything the guardrails read from catalog/. */
export interface GuardrailData {
  forbiddenKinds: ForbiddenKind[];
  kubernetesApis: KubeApiEntry[];
  meshConfigFields: MeshConfigFields;
}

let cached: GuardrailData | undefined;

function readYaml<T>(name: string): T {
  return readDataFile<T>(name);
}

/** Loads (once) and returns the guardrail data shipped in catalog/. */
export function loadGuardrailData(): GuardrailData {
  cached ??= {
    forbiddenKinds: readYaml<{ forbiddenKinds: ForbiddenKind[] }>('forbidden-kinds.yaml').forbiddenKinds,
    kubernetesApis: readYaml<{ apis: KubeApiEntry[] }>('kubernetes-apis.yaml').apis,
    meshConfigFields: readYaml<MeshConfigFields>('meshconfig-fields.yaml'),
  };
  return cached;
}

/** `group/Kind` of a forbidden kind, the form spec.policy.forbiddenKinds uses. */
export function forbiddenKindId(k: Pick<ForbiddenKind, 'group' | 'kind'>): string {
  return `${k.group}/${k.kind}`;
}

/** The class of a field in an allowlist table. */
export function fieldClass(table: FieldClasses, field: string): 'supported' | 'allowed' | 'blocked' {
  if (table.supported.includes(field)) return 'supported';
  if (table.allowed.includes(field)) return 'allowed';
  return 'blocked';
}
