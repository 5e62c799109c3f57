/** schema-invalid: an object that does not match its (structural) schema, schemas/kubernetes-objects.schema.json. */
import type { ErrorObject } from 'ajv';
import type { FieldPath } from '../pipeline/load.js';
import { formatFieldPath } from '../pipeline/load.js';
import { goBase64Problem } from './support/go-base64.js';
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

/** The schema's []byte definition: its pattern holds the characters only, and {@link byteFieldProblems} reports the same values better. */
const BASE64_BYTES = '#/definitions/base64Bytes/';

/** Why these: the []byte fields of core/v1 (kubernetes/api core/v1/types.go at v0.34.1: Secret.Data, ConfigMap.BinaryData). */
const BYTE_FIELDS: Readonly<Record<string, string>> = { Secret: 'data', ConfigMap: 'binaryData' };

/** What to do about a []byte value the API server cannot decode. */
const BASE64_REMEDIATION =
  'write the value as a `|` block scalar (a plain or `>` scalar wrapped over lines is joined with blanks, which the API server refuses), encode it with `base64` (standard alphabet, with its = padding), or put the plain text under stringData';

/** Each string value of a core/v1 []byte field that Go's base64.StdEncoding would refuse: its path and what is wrong. */
function byteFieldProblems(obj: Record<string, unknown>): Array<{ path: FieldPath; text: string }> {
  const field = typeof obj.kind === 'string' && obj.apiVersion === 'v1' ? BYTE_FIELDS[obj.kind] : undefined;
  const map = field === undefined ? undefined : obj[field];
  if (!field || !map || typeof map !== 'object' || Array.isArray(map)) return [];
  const out: Array<{ path: FieldPath; text: string }> = [];
  for (const [key, value] of Object.entries(map)) {
    if (typeof value !== 'string') continue;
    const problem = goBase64Problem(value);
    if (problem === undefined) continue;
    const path: FieldPath = [field, key];
    out.push({ path, text: `${formatFieldPath(path)}: is not base64 as the API server decodes it: ${problem} (Go's base64.StdEncoding reads A-Z a-z 0-9 + / in groups of four, the last one padded with =, and skips only line breaks)` });
  }
  return out;
}

/** The schema-invalid rule. */
export const schemaInvalidRule: Rule = {
  id: 'schema-invalid',
  severity: 'error',
  description: 'objects (rendered and in the source) have valid metadata and, for common Kubernetes and Istio kinds, the structure of their spec (a structural subset, not the full OpenAPI schema)',
  check(ctx) {
    const out: Violation[] = [];
    for (const o of ctx.objects) {
      const errors = schemaErrors(o.object).filter((e) => !e.schemaPath.includes('/anyOf/') && !(e.keyword === 'pattern' && e.schemaPath.startsWith(BASE64_BYTES)));
      const problems = [
        ...errors.map((e) => ({ path: pathOf(e), text: describe(e), remediation: 'fix the field (compare with the Kubernetes or Istio API reference for this kind); kubectl apply would reject or misread it' })),
        ...byteFieldProblems(o.object as unknown as Record<string, unknown>).map((p) => ({ ...p, remediation: BASE64_REMEDIATION })),
      ];
      const seen = new Set<string>();
      for (const p of problems) {
        if (seen.has(p.text) || seen.size >= MAX_PER_OBJECT) continue;
        seen.add(p.text);
        out.push(objectViolation(this, ctx, o, { path: p.path, message: `${o.object.kind} does not match its schema: ${p.text}`, remediation: p.remediation }));
      }
    }
    return out;
  },
};
