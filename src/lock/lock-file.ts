/**
 * meshplane.lock.yaml: the per-revision decisions of the catalog (the Istio patch, hence the
 * image tags, and every behaviour switch) pinned beside mesh.yaml, so that what a cluster runs
 * is what Git says. This module finds the lock among the source documents, validates it against
 * schemas/meshplane-lock.v1alpha1.schema.json, computes its digest and prints it. Pure: no I/O
 * except reading the shipped schema once.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import type { PinnedBehaviour } from '../catalog/catalog.js';
import { revisionMinor } from '../catalog/catalog.js';
import { MeshplaneError } from '../core/errors.js';
import { packagePath } from '../core/paths.js';
import { loadPrecompiled } from '../core/precompiled.js';
import { isMeshplaneDocument } from '../pipeline/intent.js';
import { formatFieldPath, positionOf, type ParsedDocument } from '../pipeline/load.js';

/** The file `meshplane lock` writes beside the intent's file. */
export const LOCK_FILE_NAME = 'meshplane.lock.yaml';

/** The lock's apiVersion and kind. */
export const LOCK_API_VERSION = 'meshplane.io/v1alpha1';
export const LOCK_KIND = 'MeshplaneLock';

/** What a lock pins for one revision. */
export interface LockPin {
  /** The AKS Istio patch (images are tagged `<istio>-distroless`). */
  istio: string;
  /** Every catalog behaviour switch as it applied to the revision when it was locked. */
  behaviour: Record<string, PinnedBehaviour>;
}

/** The lock's content without its digest. */
export interface LockBody {
  apiVersion: typeof LOCK_API_VERSION;
  kind: typeof LOCK_KIND;
  revisions: Record<string, LockPin>;
}

/** A whole lock file. */
export interface MeshLock extends LockBody {
  digest: string;
}

/** A lock found in the source, with the document it came from (for positions). */
export interface FoundLock {
  lock: MeshLock;
  document: ParsedDocument;
}

/** True when a parsed value is a Meshplane lock document. */
export function isLockDocument(value: unknown): boolean {
  return isMeshplaneDocument(value, LOCK_KIND);
}

/** Finds and validates the lock among the source documents; undefined when the source has none. */
export function findLock(docs: readonly ParsedDocument[]): FoundLock | undefined {
  const found = docs.filter((d) => isLockDocument(d.value));
  if (found.length > 1) {
    throw new MeshplaneError('lock-invalid', `${found.length} lock documents (kind: ${LOCK_KIND}) in one source; at most one is allowed`, found.map((d) => ({ where: { file: d.file, line: d.line, column: d.column }, message: 'a lock document' })), `keep one ${LOCK_FILE_NAME} beside mesh.yaml and delete the others`);
  }
  const doc = found[0];
  return doc ? { lock: validateLock(doc), document: doc } : undefined;
}

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  if (validator) return validator;
  try {
    // The validator the build precompiles (src/core/precompiled.ts); a run-time compile is the fallback.
    validator = (loadPrecompiled('meshplane-lock.validate') as ValidateFunction | undefined) ?? compileLockValidator();
  } catch {
    validator = compileLockValidator();
  }
  return validator;
}

/** Compiles the lock schema at run time (the reference the precompiled validator is tested against). */
export function compileLockValidator(): ValidateFunction {
  // ajv itself is loaded only here (it costs ~40 ms to load).
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  const schema = JSON.parse(readFileSync(packagePath('schemas', 'meshplane-lock.v1alpha1.schema.json'), 'utf8')) as Record<string, unknown>;
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

/** Validates a lock document against the schema; every problem is reported with file:line. */
export function validateLock(doc: ParsedDocument): MeshLock {
  const validate = compiled();
  if (validate(doc.value)) return doc.value as MeshLock;
  const details = (validate.errors ?? []).map((e) => {
    const path = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const extra = e.keyword === 'additionalProperties' ? ` "${String((e.params as { additionalProperty?: unknown }).additionalProperty)}"` : '';
    return { where: positionOf(doc, path), path: formatFieldPath(path) || '(document)', message: `${e.message ?? 'invalid'}${extra}` };
  });
  throw new MeshplaneError('lock-invalid', `the lock in ${doc.file} does not match the ${LOCK_KIND} schema (${details.length} problem${details.length === 1 ? '' : 's'})`, details, `run \`meshplane lock --update\` to rewrite it from the catalog, or see schemas/meshplane-lock.v1alpha1.schema.json`);
}

/** `sha256:<hex>` of the canonical JSON (keys sorted) of the lock's body. */
export function lockDigest(body: LockBody): string {
  const canonical = JSON.stringify(sortKeys({ apiVersion: body.apiVersion, kind: body.kind, revisions: body.revisions }));
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, sortKeys(obj[k])]));
  }
  return value;
}

/** The lock with its digest computed. */
export function sealLock(body: LockBody): MeshLock {
  return { ...body, digest: lockDigest(body) };
}

/** Revision names in render order: by Istio minor, then by name. */
export function lockedRevisionNames(lock: LockBody): string[] {
  return Object.keys(lock.revisions).sort((a, b) => revisionMinor(a) - revisionMinor(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The lock file's text: the same lock always prints the same bytes (revisions by minor,
 * behaviour keys sorted, strings double-quoted). The layout is what the documented Renovate
 * regex (docs/lock.md) matches: `<revision>:` then `istio: "<patch>"` on the next line.
 */
export function formatLock(lock: MeshLock): string {
  const out = [
    `# ${LOCK_FILE_NAME}: written by \`meshplane lock\`; commit it beside mesh.yaml.`,
    '# It pins what the Meshplane catalog decides per revision (the Istio patch, hence the image',
    '# tags, and the behaviour switches), so a Meshplane upgrade cannot change what this mesh',
    '# renders. Bump the patch with `meshplane upgrade patch`; see docs/lock.md.',
    `apiVersion: ${lock.apiVersion}`,
    `kind: ${lock.kind}`,
    'revisions:',
  ];
  const names = lockedRevisionNames(lock);
  if (names.length === 0) out[out.length - 1] = 'revisions: {}';
  for (const name of names) {
    const pin = lock.revisions[name] as LockPin;
    out.push(`  ${name}:`, `    istio: ${JSON.stringify(pin.istio)}`);
    const keys = Object.keys(pin.behaviour).sort();
    if (keys.length === 0) out.push('    behaviour: {}');
    else out.push('    behaviour:', ...keys.map((k) => `      ${k}: ${JSON.stringify(pin.behaviour[k])}`));
  }
  out.push(`digest: ${lock.digest}`);
  return `${out.join('\n')}\n`;
}
