/**
 * Finds the schema of a Kubernetes object and validates it: kubernetes-models for built-in
 * kinds and CRDs, @kubernetes-models/istio for Istio kinds, @kubernetes-models/prometheus-operator
 * for monitoring.coreos.com, and JSON Schemas beside this file for the kinds no package covers
 * (each derived from its project's source at a release tag, cited in the schema's descriptions;
 * the Azure provider's `objects` parameter is decoded as the provider decodes it and checked
 * entry by entry). An object with no schema is reported as such, never passed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import type { KubeObject } from '../../src/core/types.js';
import { goBase64Problem } from '../../src/rules/support/go-base64.js';
import { REPO_ROOT } from '../helpers/cli.js';

/** The outcome for one object. */
export type Validation = { status: 'valid'; schema: string } | { status: 'invalid'; schema: string; message: string } | { status: 'no-schema' };

/** Kinds no npm package covers → schema file in test/schemas/, derived from upstream source (see each file). */
const SCHEMA_FILES: Readonly<Record<string, string>> = {
  'secrets-store.csi.x-k8s.io/v1/SecretProviderClass': 'secretproviderclass.schema.json',
  'grafana.integreatly.org/v1beta1/GrafanaDashboard': 'grafanadashboard.schema.json',
};

/**
 * Objects validated with another apiVersion's model. Why: Azure managed Prometheus ships the
 * prometheus-operator CRDs with only the group renamed (azmonitoring.coreos.com). Istio kinds need
 * no alias: @kubernetes-models/istio 3.x has every v1 class (it is generated from Istio 1.29.2's
 * crd-all.gen.yaml; see its package.json `crd-generate.input`).
 */
const ALIASES: ReadonlyArray<{ apiVersion: string; kind?: string; as: string }> = [{ apiVersion: 'azmonitoring.coreos.com/v1', as: 'monitoring.coreos.com/v1' }];

function modulePath(apiVersion: string): string {
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
  if (group === '') return `kubernetes-models/${version}`;
  if (group.endsWith('.istio.io')) return `@kubernetes-models/istio/${group}/${version}`;
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/${group}/${version}`;
  return `kubernetes-models/${group}/${version}`;
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

async function loadModel(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  try {
    const mod = (await import(modulePath(apiVersion))) as Record<string, unknown>;
    const M = mod[kind];
    return typeof M === 'function' ? (M as ModelClass) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why a custom resource's `format: byte` string field is refused, or undefined when it passes. The
 * API server checks the format itself before any controller reads the object:
 * kubernetes/apiextensions-apiserver v0.36.0 (pkg/apiserver/validation/formats.go keeps `byte` among
 * the supported formats; validation.go validates with kube-openapi's strfmt.Default) pins
 * kube-openapi 43fb72c, whose pkg/validation/strfmt/default.go checks `byte` with the base64
 * pattern of pkg/internal/third_party/govalidator (unchanged from asaskevich/govalidator): one or
 * more groups of four characters of the standard alphabet, the last one possibly padded to `xx==`
 * or `xxx=`, and nothing else. So, in our words: what Go's base64.StdEncoding decodes (the operator
 * then decodes the []byte with encoding/json, which uses it), less the empty string and line
 * breaks, which the decoder would skip but the pattern refuses. Go's decoder is not strict, so
 * non-zero trailing bits (`ab==`) pass both. Why code and not a pattern: the same as in
 * src/rules/support/go-base64.ts (a pattern counting groups of four exhausts V8's stack on a large
 * value). test/go-base64/crd-byte.test.ts checks this against both Go checks.
 */
export function crdByteProblem(value: string): string | undefined {
  if (value === '') return 'empty (format byte needs at least one group of four characters)';
  const lineBreak = value.search(/[\r\n]/);
  if (lineBreak >= 0) return `a line break at character ${lineBreak + 1} (the format check allows none)`;
  return goBase64Problem(value);
}

const ajv = new Ajv({ allErrors: true, strict: false });
// The OpenAPI format the CRDs of test/schemas/ use for []byte fields, checked as the API server checks it.
ajv.addFormat('byte', { type: 'string', validate: (v: string) => crdByteProblem(v) === undefined });

function upstreamSchema(file: string, pointer = ''): ValidateFunction {
  if (!ajv.getSchema(file)) ajv.addSchema(JSON.parse(readFileSync(path.join(REPO_ROOT, 'test', 'schemas', file), 'utf8')) as object, file);
  const v = ajv.getSchema(`${file}${pointer}`);
  if (!v) throw new Error(`test/schemas/${file} has no schema at ${pointer || 'its root'}`);
  return v;
}

/** One scalar as yaml.v3 decodes it into a Go string field: null-like plain scalars leave it empty, any other keeps its text. */
function goString(core: unknown, text: unknown): string | undefined {
  if (core === null) return '';
  return typeof text === 'string' ? text : undefined;
}

/**
 * Decodes the Azure provider's `objects` parameter the way the provider does (Azure/secrets-store-csi-driver-provider-azure
 * v1.8.2, pkg/provider/types/parameters.go GetObjectsArray and provider.go): gopkg.in/yaml.v3 into a struct with an
 * `array` of strings, each string again with yaml.v3 into KeyVaultObject's string fields, which are then trimmed.
 * yaml.v3 (v3.0.1 decode.go `scalar`/`null`) keeps a plain scalar's text for a string field (so `0123` stays
 * "0123", not 123) but leaves the field empty for null, Null, NULL, ~ or nothing: the YAML "core" schema of the
 * `yaml` package resolves the same spellings to null, its "failsafe" schema keeps the text.
 * Returns the decoded entries, or why the provider would fail to decode them.
 */
export function decodeAzureObjects(objects: string): { entries: Array<Record<string, string>> } | { error: string } {
  let raw: unknown;
  try {
    raw = parse(objects, { schema: 'failsafe' });
  } catch (e) {
    return { error: `objects is not YAML: ${(e as Error).message}` };
  }
  const list = (raw as { array?: unknown } | null)?.array;
  if (!Array.isArray(list)) return { error: 'objects has no `array` list' };
  const entries: Array<Record<string, string>> = [];
  for (const [i, item] of list.entries()) {
    if (typeof item !== 'string') return { error: `objects.array[${i}] is not a string (the provider decodes each entry from a YAML string)` };
    let text: unknown;
    let core: unknown;
    try {
      text = parse(item, { schema: 'failsafe' });
      core = parse(item);
    } catch (e) {
      return { error: `objects.array[${i}] is not YAML: ${(e as Error).message}` };
    }
    if (!text || typeof text !== 'object' || Array.isArray(text)) return { error: `objects.array[${i}] is not a mapping` };
    const entry: Record<string, string> = {};
    for (const [k, v] of Object.entries(text as Record<string, unknown>)) {
      const s = goString((core as Record<string, unknown>)[k], v);
      if (s === undefined) return { error: `objects.array[${i}].${k} is not a scalar` };
      entry[k] = s.trim();
    }
    entries.push(entry);
  }
  return { entries };
}

/** Problems of an Azure SecretProviderClass's `objects` entries, checked against #/definitions/azureKeyVaultObject. */
function azureObjectProblems(obj: KubeObject, file: string): string | undefined {
  const spec = (obj as { spec?: { provider?: unknown; parameters?: { objects?: unknown } } }).spec;
  if (spec?.provider !== 'azure' || typeof spec.parameters?.objects !== 'string') return undefined;
  const decoded = decodeAzureObjects(spec.parameters.objects);
  if ('error' in decoded) return decoded.error;
  const v = upstreamSchema(file, '#/definitions/azureKeyVaultObject');
  const problems = decoded.entries.flatMap((e, i) => (v(e) ? [] : [`objects.array[${i}] ${ajv.errorsText(v.errors, { dataVar: 'entry' })}`]));
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** Validates one object against the schema found for its apiVersion and kind. */
export async function validateObject(obj: KubeObject): Promise<Validation> {
  const file = SCHEMA_FILES[`${obj.apiVersion}/${obj.kind}`];
  if (file) {
    const v = upstreamSchema(file);
    if (!v(obj)) return { status: 'invalid', schema: file, message: ajv.errorsText(v.errors) };
    const objects = obj.kind === 'SecretProviderClass' ? azureObjectProblems(obj, file) : undefined;
    return objects ? { status: 'invalid', schema: file, message: objects } : { status: 'valid', schema: file };
  }
  const alias = ALIASES.find((a) => a.apiVersion === obj.apiVersion && (a.kind === undefined || a.kind === obj.kind));
  const apiVersion = alias?.as ?? obj.apiVersion;
  const M = await loadModel(apiVersion, obj.kind);
  if (!M) return { status: 'no-schema' };
  const schema = `${modulePath(apiVersion)} ${obj.kind}`;
  try {
    new M({ ...obj, apiVersion }).validate();
    return { status: 'valid', schema };
  } catch (e) {
    return { status: 'invalid', schema, message: (e as Error).message };
  }
}
