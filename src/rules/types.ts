/**
 * The violation model (conftest/kyverno style): rules are data with an id and a severity; a
 * check produces violations that name the rule, the resource, the source position, a message
 * and a remediation. Outcomes keep "the rule failed" apart from "the rule could not run".
 */
import type { LocatedObject, SourcePosition } from '../core/types.js';
import type { RenderResult } from '../pipeline/render.js';
import type { Catalog } from '../catalog/catalog.js';
import type { ForbiddenKind, GuardrailData } from '../catalog/guardrails.js';
import type { FieldPath } from '../pipeline/load.js';

/** How bad a violation is: errors fail the sync, warnings are reported and pass. */
export type Severity = 'error' | 'warning';

/** Result classes of a (rule, resource) evaluation, as in kyverno. */
export type RuleOutcome = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

/** One finding. `resource` is `group/Kind/namespace/name` (see core/resource-key.ts). */
export interface Violation {
  ruleId: string;
  severity: Severity;
  resource: string;
  where?: SourcePosition;
  message: string;
  remediation: string;
}

/** Everything a rule may look at; rules are pure functions of this. */
export interface RuleContext {
  render: RenderResult;
  /** Rendered + source objects. */
  objects: LocatedObject[];
  catalog: Catalog;
  /** The clock (`--now`), for expiry and end-of-life decisions. */
  now: Date;
  /** API group/versions the cluster serves (KUBE_API_VERSIONS), when known. */
  kubeApiVersions?: string[];
  /** Guardrail data from catalog/ (forbidden kinds, Kubernetes APIs, MeshConfig allowlist). */
  data: GuardrailData;
  /** The forbidden kinds in force: spec.policy.forbiddenKinds, else the catalog default. */
  forbiddenKinds: ForbiddenKind[];
  /**
   * The source position of `fieldPath` inside an object (a source object: its file:line; a
   * rendered object: the mesh intent, the only file a user can change to fix it).
   */
  locate(object: LocatedObject, fieldPath?: FieldPath): SourcePosition;
  /** The source position of a field of the mesh intent, e.g. `['spec', 'istio', 'revisions', 2]`. */
  locateIntent(fieldPath: FieldPath): SourcePosition;
}

/** A rule: data plus a check function. One file per rule under src/rules/, registered in index.ts. */
export interface Rule {
  id: string;
  severity: Severity;
  description: string;
  /**
   * Why the rule does not apply to this input (outcome `skip`), or undefined when it runs.
   * Optional: most rules always apply.
   */
  skip?(ctx: RuleContext): string | undefined;
  check(ctx: RuleContext): Violation[];
}
