/**
 * What a preflight check sees (the live snapshot and the resolved intent) and the helpers every
 * check shares: the resource key of a live object, "is this ours", and intent positions.
 */
import { findRevision, revisionMinor, type Catalog, type RevisionEntry } from '../../../catalog/catalog.js';
import { resourceKey } from '../../../core/resource-key.js';
import type { SourcePosition } from '../../../core/types.js';
import type { ServiceMesh } from '../../../intent/types.js';
import { MANAGED_BY, MESH_LABEL } from '../../../pipeline/decorate.js';
import { positionOf, type ParsedDocument } from '../../../pipeline/load.js';
import type { Severity, Violation } from '../../../rules/types.js';
import type { ClusterSnapshot, LiveObject } from '../snapshot.js';

/** The label istiod objects and meshed namespaces carry to name a revision (or a tag). */
export const REV_LABEL = 'istio.io/rev';

/** Inputs of the checks. */
export interface PreflightContext {
  cluster: ClusterSnapshot;
  /** The intent with defaults applied. */
  intent: ServiceMesh;
  /** Where the intent was read from (for positions); absent when the intent came from code. */
  intentDocument?: ParsedDocument;
  catalog: Catalog;
}

/** A cluster check: like a guardrail rule, but over the live cluster. */
export interface PreflightRule {
  id: string;
  severity: Severity;
  description: string;
  check(ctx: PreflightContext): Violation[];
}

/** One entry of spec.istio.revisions with its index and catalog entry. */
export interface IntentRevision {
  name: string;
  index: number;
  minor: number;
  entry: RevisionEntry | undefined;
}

/** `group/Kind/namespace/name` of a live object. */
export function keyOf(o: LiveObject): string {
  return resourceKey({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}) } });
}

/** The resource key of the intent itself. */
export function intentKey(ctx: PreflightContext): string {
  return resourceKey({ apiVersion: ctx.intent.apiVersion, kind: ctx.intent.kind, metadata: { name: ctx.intent.metadata.name } });
}

/** True when the object carries this mesh's managed-by and mesh labels (as `decorate` writes them). */
export function isManagedByMesh(o: LiveObject, mesh: string): boolean {
  return o.labels['app.kubernetes.io/managed-by'] === MANAGED_BY && o.labels[MESH_LABEL] === mesh;
}

/** spec.istio.revisions as written (none when the mesh is Disabled). */
export function intentRevisions(ctx: PreflightContext): IntentRevision[] {
  const names = ctx.intent.spec.mode === 'Istio' ? (ctx.intent.spec.istio?.revisions ?? []) : [];
  return names.map((name, index) => ({ name, index, minor: revisionMinor(name), entry: findRevision(ctx.catalog, name) }));
}

/** The file position of a field of the intent, when the intent came from a file. */
export function intentWhere(ctx: PreflightContext, path: ReadonlyArray<string | number>): SourcePosition | undefined {
  return ctx.intentDocument ? positionOf(ctx.intentDocument, path) : undefined;
}

/** Builds a violation of `rule` (severity overridable for findings that only warn). */
export function violation(rule: PreflightRule, resource: string, message: string, remediation: string, extra: { where?: SourcePosition; severity?: Severity } = {}): Violation {
  const v: Violation = { ruleId: rule.id, severity: extra.severity ?? rule.severity, resource, message, remediation };
  if (extra.where) v.where = extra.where;
  return v;
}

/** Istiod Deployments this mesh manages, with their revision. */
export function managedIstiods(ctx: PreflightContext): Array<{ deployment: LiveObject; revision: string }> {
  return ctx.cluster.deployments
    .filter((d) => d.labels.app === 'istiod' && isManagedByMesh(d, ctx.intent.metadata.name) && d.labels[REV_LABEL])
    .map((d) => ({ deployment: d, revision: d.labels[REV_LABEL] as string }));
}
