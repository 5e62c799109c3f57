/**
 * A RuleContext built from objects in memory, for rule unit tests that need no rendering: the
 * Kubernetes minor, the API catalog entries and the objects (all from the source file a.yaml).
 * `locate` returns `<object name>:<field path>` as the file, so a test sees which field a
 * finding points at.
 */
import type { RevisionEntry } from '../../src/catalog/catalog.js';
import type { KubeApiEntry, MeshConfigFields } from '../../src/catalog/guardrails.js';
import type { KubeObject, LocatedObject, SourcePosition } from '../../src/core/types.js';
import type { RuleContext } from '../../src/rules/types.js';

/** The context; only the fields the API rules read are filled. */
export function memoryContext(minor: number, kubernetesApis: KubeApiEntry[], objects: KubeObject[]): RuleContext {
  const located = objects.map((object): LocatedObject => ({ object, origin: { kind: 'source', file: 'a.yaml', line: 1, column: 1 } }) as LocatedObject);
  return {
    render: { input: { kubernetes: { minor } } },
    data: { kubernetesApis },
    objects: located,
    locate: (o: LocatedObject, path: Array<string | number>): SourcePosition => ({ file: `${String(o.object.metadata?.name)}:${path.join('.')}`, line: 1, column: 1 }),
  } as unknown as RuleContext;
}

/** A namespaced object with only apiVersion, kind and name. */
export const memoryObject = (apiVersion: string, kind: string, name: string): KubeObject => ({ apiVersion, kind, metadata: { name, namespace: 'ns' } }) as KubeObject;

/** A catalog revision for rule tests: only the fields the revision rules read are meaningful. */
export const memoryRevision = (name: string, endOfLife: string, kubernetes = { min: '1.28', max: '1.33' }, endOfLifeEstimated?: boolean): RevisionEntry =>
  ({ name, istio: '', patches: [], kubernetes, released: '', endOfLife, ...(endOfLifeEstimated === undefined ? {} : { endOfLifeEstimated }) }) as RevisionEntry;

/**
 * A context whose mesh intent lists `revisions` (mode Istio, or Disabled), with a catalog of
 * `catalogRevisions`, the clock `now`, the target Kubernetes minor and the cluster tier. `locateIntent` returns `mesh:<field path>` as the file,
 * so a test sees which field of the intent a finding points at.
 */
export function intentContext(revisions: string[], catalogRevisions: RevisionEntry[], opts: { now?: string; mode?: 'Istio' | 'Disabled'; minor?: number; tier?: 'Standard' | 'LTS' } = {}): RuleContext {
  const intent = { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'mesh' }, spec: { mode: opts.mode ?? 'Istio', istio: { revisions }, ...(opts.tier ? { cluster: { tier: opts.tier } } : {}) } };
  return {
    render: { intent, input: { kubernetes: { minor: opts.minor ?? 30 } } },
    catalog: { revisions: catalogRevisions },
    now: new Date(opts.now?.includes('T') ? opts.now : `${opts.now ?? '2026-06-15'}T00:00:00Z`),
    objects: [],
    locateIntent: (path: Array<string | number>): SourcePosition => ({ file: `mesh:${path.join('.')}`, line: 1, column: 1 }),
  } as unknown as RuleContext;
}

/** A v1 Namespace with `labels`. */
export const memoryNamespace = (name: string, labels: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }) as KubeObject;

/** A context over source objects with installed revisions, revision tags and a default revision (what the injection rules read). */
export const injectionContext = (objects: KubeObject[], revisions: string[], tags: string[], defaultRevision?: string): RuleContext =>
  ({ ...memoryContext(30, [], objects), render: { input: { revisions: revisions.map((name) => ({ name })), tags: tags.map((name) => ({ name })), defaultRevision } } }) as unknown as RuleContext;

/**
 * A context for the MeshConfig rules: the intent's spec.meshConfig, source objects (e.g.
 * istio-shared-configmap-<rev> ConfigMaps) and the allowlist tables. Intent findings locate as
 * `mesh:<field path>`, object findings as `<object name>:<field path>`.
 */
export function meshConfigContext(meshConfig: Record<string, unknown> | undefined, objects: KubeObject[], meshConfigFields: MeshConfigFields): RuleContext {
  const intent = { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'mesh' }, spec: { mode: 'Istio', ...(meshConfig ? { meshConfig } : {}) } };
  return {
    ...memoryContext(30, [], objects),
    render: { intent },
    data: { meshConfigFields },
    locateIntent: (path: Array<string | number>): SourcePosition => ({ file: `mesh:${path.join('.')}`, line: 1, column: 1 }),
  } as unknown as RuleContext;
}
