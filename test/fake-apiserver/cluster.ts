/**
 * The fake cluster's data: the resource types it serves (built-in ones, plus one per CRD in the
 * scenario, as a real API server adds them) and the objects, completed with the metadata a real
 * server sets (uid, resourceVersion, creationTimestamp).
 */
import { createHash } from 'node:crypto';

/** A plain Kubernetes object. */
export interface KubeObj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

/** A served resource type. */
export interface ResourceType {
  group: string;
  versions: string[];
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Custom resources keep apiVersion/kind on list items; built-in lists omit them. */
  custom: boolean;
  /** Field-selector paths this type supports beyond metadata.name/metadata.namespace. */
  fields: string[];
}

/**
 * Built-in types the fake serves: the ones preflight and `upgrade status`/`restart` read or patch
 * (and nothing more, so a request for any other type is a 404 and shows up in the tests). Pod
 * field selectors as the real server has them.
 */
export const BUILTIN_TYPES: readonly ResourceType[] = [
  { group: '', versions: ['v1'], plural: 'nodes', kind: 'Node', namespaced: false, custom: false, fields: ['spec.unschedulable'] },
  { group: '', versions: ['v1'], plural: 'namespaces', kind: 'Namespace', namespaced: false, custom: false, fields: ['status.phase'] },
  { group: '', versions: ['v1'], plural: 'pods', kind: 'Pod', namespaced: true, custom: false, fields: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP'] },
  { group: 'apps', versions: ['v1'], plural: 'deployments', kind: 'Deployment', namespaced: true, custom: false, fields: [] },
  { group: 'apps', versions: ['v1'], plural: 'statefulsets', kind: 'StatefulSet', namespaced: true, custom: false, fields: [] },
  { group: 'apps', versions: ['v1'], plural: 'daemonsets', kind: 'DaemonSet', namespaced: true, custom: false, fields: [] },
  { group: 'admissionregistration.k8s.io', versions: ['v1'], plural: 'mutatingwebhookconfigurations', kind: 'MutatingWebhookConfiguration', namespaced: false, custom: false, fields: [] },
  { group: 'apiextensions.k8s.io', versions: ['v1'], plural: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false, custom: false, fields: [] },
];

/** A scenario's cluster: a version and its objects. */
export interface FakeClusterSpec {
  gitVersion: string;
  objects: KubeObj[];
  /** Built-in types served besides BUILTIN_TYPES (a test that writes objects preflight never reads). */
  extraTypes?: readonly ResourceType[];
}

/** Why a write failed, as the API server would say it. */
export type WriteError = { reason: 'AlreadyExists' | 'NotFound' | 'NamespaceNotFound'; message: string };

/** The loaded cluster: types and objects by type. */
export class FakeCluster {
  readonly types: ResourceType[];
  readonly resourceVersion = '4242';
  private readonly objects = new Map<ResourceType, KubeObj[]>();

  constructor(readonly spec: FakeClusterSpec) {
    this.types = [...BUILTIN_TYPES, ...(spec.extraTypes ?? []), ...spec.objects.filter((o) => o.kind === 'CustomResourceDefinition').map(crdType)];
    for (const o of spec.objects) {
      const type = this.typeOf(o);
      this.objects.set(type, [...(this.objects.get(type) ?? []), complete(o, this.resourceVersion)]);
    }
  }

  /** The type serving `group/version/plural`, if any. */
  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.plural === plural && t.versions.includes(version));
  }

  /** Objects of a type, in etcd key order (namespace, then name). */
  list(type: ResourceType): KubeObj[] {
    const key = (o: KubeObj): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    return [...(this.objects.get(type) ?? [])].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  /** The object of a type by namespace and name, if any. */
  get(type: ResourceType, namespace: string | undefined, name: string): KubeObj | undefined {
    return (this.objects.get(type) ?? []).find((o) => o.metadata.name === name && (o.metadata.namespace ?? undefined) === namespace);
  }
  /**
   * Stores a changed object in place of the one with its name, as an update does: a new
   * resourceVersion, and metadata.generation + 1 when the spec changed (the apps/v1 strategies'
   * PrepareForUpdate bump generation on spec changes only).
   */
  update(type: ResourceType, changed: KubeObj): KubeObj {
    const list = this.objects.get(type) ?? [];
    const i = list.findIndex((o) => o.metadata.name === changed.metadata.name && o.metadata.namespace === changed.metadata.namespace);
    const old = list[i] as KubeObj;
    this.version += 1;
    const specChanged = JSON.stringify(old.spec) !== JSON.stringify(changed.spec);
    const generation = ((old.metadata.generation as number | undefined) ?? 1) + (specChanged ? 1 : 0);
    const stored = { ...changed, metadata: { ...changed.metadata, resourceVersion: String(this.version), generation } };
    list[i] = stored;
    return stored;
  }
  private version = 4242;
  /**
   * Creates an object, as a POST to its collection does: the namespace must exist (the
   * NamespaceLifecycle admission plugin), the name must be free, and a CRD starts serving its type.
   */
  create(type: ResourceType, o: KubeObj): KubeObj | WriteError {
    const ns = o.metadata.namespace;
    const namespaces = this.types.find((t) => t.group === '' && t.plural === 'namespaces');
    if (type.namespaced && ns && namespaces && !this.list(namespaces).some((n) => n.metadata.name === ns)) return { reason: 'NamespaceNotFound', message: `namespaces "${ns}" not found` };
    if (this.lookup(type, o.metadata.name, ns)) return { reason: 'AlreadyExists', message: `${type.plural}${type.group ? `.${type.group}` : ''} "${o.metadata.name}" already exists` };
    const stored = complete(o, this.resourceVersion);
    this.objects.set(type, [...(this.objects.get(type) ?? []), stored]);
    if (o.kind === 'CustomResourceDefinition') {
      const t = crdType(o);
      if (!this.types.some((x) => x.group === t.group && x.plural === t.plural)) this.types.push(t);
    }
    return stored;
  }

  /** Deletes an object (namespaces go at once: the fake has no finalizers). */
  remove(type: ResourceType, name: string, namespace: string | undefined): KubeObj | WriteError {
    const found = this.lookup(type, name, namespace);
    if (!found) return { reason: 'NotFound', message: `${type.plural}${type.group ? `.${type.group}` : ''} "${name}" not found` };
    this.objects.set(type, (this.objects.get(type) ?? []).filter((o) => o !== found));
    return found;
  }

  /** One object of a type by name (and namespace). */
  lookup(type: ResourceType, name: string, namespace: string | undefined): KubeObj | undefined {
    return (this.objects.get(type) ?? []).find((o) => o.metadata.name === name && (o.metadata.namespace ?? undefined) === namespace);
  }

  private typeOf(o: KubeObj): ResourceType {
    const [group, version] = o.apiVersion.includes('/') ? (o.apiVersion.split('/') as [string, string]) : ['', o.apiVersion];
    const type = this.types.find((t) => t.group === group && t.kind === o.kind && t.versions.includes(version));
    if (!type) throw new Error(`the fake API server does not serve ${o.apiVersion} ${o.kind} (object ${o.metadata.name}): add its CRD to the scenario`);
    return type;
  }
}

function crdType(crd: KubeObj): ResourceType {
  const spec = crd.spec as { group: string; scope: string; names: { plural: string; kind: string }; versions: Array<{ name: string; served: boolean }> };
  return { group: spec.group, versions: spec.versions.filter((v) => v.served).map((v) => v.name), plural: spec.names.plural, kind: spec.names.kind, namespaced: spec.scope === 'Namespaced', custom: true, fields: [] };
}

function complete(o: KubeObj, rv: string): KubeObj {
  const uid = createHash('sha256').update(`${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).digest('hex');
  const md = { uid: `${uid.slice(0, 8)}-${uid.slice(8, 12)}-${uid.slice(12, 16)}-${uid.slice(16, 20)}-${uid.slice(20, 32)}`, resourceVersion: rv, creationTimestamp: '2026-11-01T00:00:00Z', ...o.metadata };
  return { ...o, metadata: md };
}
