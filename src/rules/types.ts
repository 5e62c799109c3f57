/**
 * The violation model (conftest/kyverno style): rules are data with an id and a severity; a
 * check produces violations that name the rule, the resource, the source position, a message
 * and a remediation. Outcomes keep "the rule failed" apart from "the rule could not run".
 */
import type { LocatedObject, SourcePosition } from '../core/types.js';
import type { RenderResult } from '../core/render.js';
import type { Catalog } from '../catalog/catalog.js';

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
}

/** A rule: data plus a check function. One file per rule under src/rules/, registered in index.ts. */
export interface Rule {
  id: string;
  severity: Severity;
  description: string;
  check(ctx: RuleContext): Violation[];
}
