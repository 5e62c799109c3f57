/**
 * Stage `intent`: find the one ServiceMesh document, validate it against the shipped JSON
 * Schema (every error at once, each with file:line:column and field path), and return it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { MeshplaneError, shownValue, type ErrorDetail } from '../core/errors.js';
import { packagePath } from '../core/paths.js';
import { loadPrecompiled, type PrecompiledName } from '../core/precompiled.js';
import { loadCatalog, newestRevision } from '../catalog/catalog.js';
import { formatFieldPath, positionOf, type FieldPath, type ParsedDocument } from './load.js';
import { suggest } from './suggest.js';
import type { ServiceMesh } from '../intent/types.js';

/** The intent's API group/version and kind. */
export const INTENT_API_VERSION = 'meshplane.io/v1alpha1';
export const INTENT_KIND = 'ServiceMesh';

/** The intent document together with the parsed document it came from. */
export interface FoundIntent {
  intent: ServiceMesh;
  document: ParsedDocument;
}

/** True when a parsed value is a Meshplane document of `kind` (any meshplane.io version). */
export function isMeshplaneDocument(value: unknown, kind: string): boolean {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return v.kind === kind && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('meshplane.io/');
}

/** True when a parsed value looks like a Meshplane intent (any meshplane.io version). */
export function isIntentDocument(value: unknown): boolean {
  return isMeshplaneDocument(value, INTENT_KIND);
}

/** Finds exactly one intent among the documents; none or several is an error naming the files. */
export function findIntent(docs: ParsedDocument[]): ParsedDocument {
  const found = docs.filter((d) => isIntentDocument(d.value));
  if (found.length === 1) return found[0] as ParsedDocument;
  if (found.length === 0) {
    throw new MeshplaneError('intent-missing', 'no mesh intent (kind: ServiceMesh, apiVersion: meshplane.io/v1alpha1) in the source', [], 'add a mesh.yaml at the root of the app source; `meshplane import --aks` can create one from `az aks show` output, and examples/ has complete ones');
  }
  const details = found.map((d) => ({ where: { file: d.file, line: d.line, column: d.column }, message: `ServiceMesh "${nameOf(d.value)}"` }));
  throw new MeshplaneError('intent-ambiguous', `${found.length} mesh intents in one source; exactly one is allowed`, details, 'keep one ServiceMesh per Argo CD Application source; put other meshes in their own folders');
}

function nameOf(value: unknown): string {
  const meta = (value as { metadata?: { name?: unknown } }).metadata;
  return typeof meta?.name === 'string' ? meta.name : '(unnamed)';
}

let validator: ValidateFunction | undefined;
let check: ((value: unknown) => boolean) | undefined;
let schemaCache: Record<string, unknown> | undefined;

/** The intent JSON Schema shipped in schemas/ (the single source for validation, docs and parameters). */
export function intentSchema(): Record<string, unknown> {
  schemaCache ??= JSON.parse(readFileSync(packagePath('schemas', 'servicemesh.v1alpha1.schema.json'), 'utf8')) as Record<string, unknown>;
  return schemaCache;
}

/** Compiles the schema at run time (the reference the precompiled validators are tested against). */
export function compileIntentValidator(): ValidateFunction {
  // ajv itself is loaded only here: the build precompiles the validator, and loading ajv costs ~40 ms of a cold generate.
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  return new Ajv({ allErrors: true, strict: false, verbose: true }).compile(intentSchema());
}

/**
 * A validator built by scripts/build-validators.mjs (src/core/precompiled.ts), or undefined when
 * the build has not produced it (a run-time compile costs ~150 ms of every cold render): a
 * validity-only check, the only one a valid intent loads (V8 compiles a function on its first
 * call, and the full validator's first call cost ~15-20 ms of a cold generate), and the full
 * validator with every error, loaded when the check fails.
 */
function precompiled(name: PrecompiledName): ValidateFunction | undefined {
  return loadPrecompiled(name) as ValidateFunction | undefined;
}

/** Loads the precompiled validity check (kept async for callers that prepare before validating). */
export async function loadIntentValidator(): Promise<void> {
  validityCheck();
}

/** The validity-only check: precompiled, else the full validator (once). */
function validityCheck(): (value: unknown) => boolean {
  check ??= precompiled('servicemesh.check') ?? fullValidator();
  return check;
}

/** The validator that reports every error: precompiled, else compiled now. */
function fullValidator(): ValidateFunction {
  validator ??= precompiled('servicemesh.validate') ?? compileIntentValidator();
  return validator;
}

/** Validates the intent document; throws one error listing every problem, or returns the intent. */
export function validateIntent(doc: ParsedDocument): FoundIntent {
  if (validityCheck()(doc.value)) return { intent: doc.value as ServiceMesh, document: doc };
  const validate = fullValidator();
  // Fail closed if the two validators ever disagree (a stale build): never render an intent the check refused.
  const details = validate(doc.value)
    ? [{ message: 'the precompiled intent validators disagree about this document; rebuild with `npm run build`' }]
    : dedupe((validate.errors ?? []).filter(isReportable).map((e) => toDetail(doc, e)));
  throw new MeshplaneError('intent-invalid', `the mesh intent in ${doc.file} does not match the ServiceMesh schema (${details.length} problem${details.length === 1 ? '' : 's'})`, details, 'see README "The mesh intent" or schemas/servicemesh.v1alpha1.schema.json for every field');
}

/** ajv reports an `if` failure next to the real `then` error; the `if` line adds nothing. */
function isReportable(e: ErrorObject): boolean {
  return e.keyword !== 'if';
}

function dedupe(details: ErrorDetail[]): ErrorDetail[] {
  const seen = new Set<string>();
  return details.filter((d) => {
    const k = `${d.path}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function instancePath(e: ErrorObject): FieldPath {
  return e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function toDetail(doc: ParsedDocument, e: ErrorObject): ErrorDetail {
  const base = instancePath(e);
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') {
    const field = String(params.additionalProperty);
    const path = [...base, field];
    const known = Object.keys(((e.parentSchema as { properties?: object } | undefined)?.properties) ?? {});
    const guess = suggest(field, known);
    return {
      where: positionOf(doc, path),
      path: formatFieldPath(path),
      message: `unknown field "${field}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
      hint: known.length ? `allowed fields here: ${known.join(', ')}` : 'remove the field',
    };
  }
  const where = positionOf(doc, base);
  const path = formatFieldPath(base) || '(document)';
  return { where, path, message: describe(e, params), hint: hintFor(e, params) };
}

function describe(e: ErrorObject, params: Record<string, unknown>): string {
  switch (e.keyword) {
    case 'required':
      return `missing required field "${String(params.missingProperty)}"`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'pattern':
      return `${shownJson(valueAt(e))} does not have the expected form (${String(params.pattern)})`;
    default:
      return e.message ?? 'is invalid';
  }
}

function valueAt(e: ErrorObject): unknown {
  return e.data;
}

/** A value as JSON for a message, a long string clipped to its start (core/errors.ts SHOWN_VALUE_CHARS) and its length. */
function shownJson(value: unknown): string {
  return typeof value === 'string' ? shownValue(value, (v) => JSON.stringify(v)) : shownValue(JSON.stringify(value) ?? String(value));
}

/** Field-specific fixes for the errors users hit most. */
function hintFor(e: ErrorObject, params: Record<string, unknown>): string | undefined {
  const p = e.instancePath;
  if (p.endsWith('/keyVaultId')) return 'use the vault ARM id: /subscriptions/<subscription-guid>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<vault-name>';
  if (p.includes('/revisions/')) return `revisions look like ${newestRevision(loadCatalog())}; \`meshplane upgrade plan\` lists the ones this mesh may use`;
  // Why 500 (the schema's maxProperties): a tag renders a MutatingWebhookConfiguration and a Service
  // (about 3 KB of YAML); 500 render in about 2 s, while 20,000 (a 400 KB mesh.yaml) ran a 512 MiB
  // heap out of memory. A plan needs one tag per wave and a few aliases; egress gateways share the bound.
  if (p === '/spec/tags' && e.keyword === 'maxProperties') return 'a mesh takes at most 500 revision tags (one per upgrade wave, plus aliases such as prod-stable); remove the tags no namespace uses';
  // Why 16 (the schema's maxItems): the add-on runs one revision, two during a canary upgrade (the
  // revision-count rule says so with its own message); the cap only stops a list so long that
  // every entry's own finding floods the output (10,000 entries: 3.6 MB of errors).
  if (p === '/spec/istio/revisions' && e.keyword === 'maxItems') return 'list one revision, or two (old, new) during a canary upgrade';
  // Why 500 and 2000: see the schema's descriptions of spec.upgrade.waves and of a wave's namespaces.
  if (p === '/spec/upgrade/waves' && e.keyword === 'maxItems') return 'a mesh takes at most 500 waves, one per revision tag; merge small waves';
  if (/^\/spec\/upgrade\/waves\/\d+\/namespaces$/.test(p) && e.keyword === 'maxItems') return 'pick a large wave\'s namespaces by label (namespaceSelector) instead of by name: the restart hook passes the names as one argument, which Linux limits to 128 KiB';
  if (p.endsWith('/kubernetesVersion')) return 'write the Kubernetes minor as a string, e.g. "1.32"';
  if (e.keyword === 'propertyNames' || (p === '/spec/tags' && e.keyword === 'pattern')) return 'tag names are DNS labels that are neither "default" (istio-injection=enabled is unsupported by the add-on) nor revision-shaped (asm-…)';
  if (e.keyword === 'required' && params.missingProperty === 'istio') return `add spec.istio.revisions, e.g. [${newestRevision(loadCatalog())}]`;
  if (e.keyword === 'required' && params.missingProperty === 'gatewayConfigurationName') return 'name the StaticGatewayConfiguration the egress gateway uses (its namespace must be the gateway namespace)';
  return undefined;
}
