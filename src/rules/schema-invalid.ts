/** schema-invalid: an object that does not match its (structural) schema, schemas/kubernetes-objects.schema.json. */
import type { ErrorObject } from 'ajv';
import type { FieldPath } from '../pipeline/load.js';
import { formatFieldPath } from '../pipeline/load.js';
import { schemaErrors } from './support/object-schemas.js';
import { objectViolation } from './support/violation.js';
import type { Rule, Violation } from './types.js';

/** At most this many problems are reported per object (the first ones point at the real fix). */
const MAX_PER_OBJECT = 3;

function pathOf(e: ErrorObject): FieldPath {
  return e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describe(e: ErrorObject): string {
  const at = formatFieldPath(pathOf(e)) || '(object)';
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'required') return `${at}: missing required field "${String(p.missingProperty)}"`;
  if (e.keyword === 'enum') return `${at}: must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'anyOf') return `${at}: needs a name (or generateName)`;
  if (e.keyword === 'propertyNames') return `${at}: key "${String(p.propertyName)}" is not a valid label key`;
  return `${at}: ${e.message ?? 'is invalid'}`;
}

/** The schema-invalid rule. */
export const schemaInvalidRule: Rule = {
  id: 'schema-invalid',
  severity: 'error',
  description: 'objects (rendered and in the source) have valid metadata and, for common Kubernetes and Istio kinds, the structure of their spec (a structural subset, not the full OpenAPI schema)',
  check(ctx) {
    const out: Violation[] = [];
    for (const o of ctx.objects) {
      const errors = schemaErrors(o.object).filter((e) => !e.schemaPath.includes('/anyOf/'));
      const seen = new Set<string>();
      for (const e of errors) {
        const text = describe(e);
        if (seen.has(text) || seen.size >= MAX_PER_OBJECT) continue;
        seen.add(text);
        out.push(objectViolation(this, ctx, o, { path: pathOf(e), message: `${o.object.kind} does not match its schema: ${text}`, remediation: 'fix the field (compare with the Kubernetes or Istio API reference for this kind); kubectl apply would reject or misread it' }));
      }
    }
    return out;
  },
};
