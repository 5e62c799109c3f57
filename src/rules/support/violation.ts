/** Builders that give every violation the same shape: rule, resource, file:line, message, fix. */
import { resourceKey } from '../../core/resource-key.js';
import type { LocatedObject } from '../../core/types.js';
import type { FieldPath } from '../../pipeline/load.js';
import type { Rule, RuleContext, Violation } from '../types.js';

/** What a rule says about one finding; the builder adds id, severity, resource and position. */
export interface Finding {
  message: string;
  remediation: string;
  /** Field inside the object (or the intent) the finding points at. */
  path?: FieldPath;
}

/** A violation about an object (rendered or from the source). */
export function objectViolation(rule: Rule, ctx: RuleContext, o: LocatedObject, f: Finding): Violation {
  return { ruleId: rule.id, severity: rule.severity, resource: resourceKey(o.object), where: ctx.locate(o, f.path ?? []), message: f.message, remediation: f.remediation };
}

/** A violation about the mesh intent itself (resource = the ServiceMesh). */
export function intentViolation(rule: Rule, ctx: RuleContext, f: Finding): Violation {
  const intent = ctx.render.intent as unknown as LocatedObject['object'];
  return { ruleId: rule.id, severity: rule.severity, resource: resourceKey(intent), where: ctx.locateIntent(f.path ?? []), message: f.message, remediation: f.remediation };
}
