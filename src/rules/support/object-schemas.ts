/**
 * The structural schemas of schemas/kubernetes-objects.schema.json. The build precompiles them
 * (scripts/build-validators.mjs → dist/schemas/kubernetes-objects.validate.cjs, one export per
 * definition) because compiling at run time costs ~50-150 ms of every cold `generate`; without
 * the build output they are compiled here, per kind on first use.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { packagePath } from '../../core/paths.js';
import { loadPrecompiled } from '../../core/precompiled.js';
import type { KubeObject } from '../../core/types.js';
import { groupKind } from './objects.js';

interface SchemaFile {
  $id: string;
  kinds: Record<string, string>;
}

/** A source of one validator per schema definition. */
export type ValidatorSource = (definition: string) => ValidateFunction;

let file: SchemaFile | undefined;

function schemaFile(): SchemaFile {
  file ??= JSON.parse(readFileSync(packagePath('schemas', 'kubernetes-objects.schema.json'), 'utf8')) as SchemaFile;
  return file;
}

/** Validators compiled now with ajv (the reference the precompiled module is tested against). */
export function runtimeValidators(): ValidatorSource {
  // ajv itself is loaded only here (see the header): a cold generate uses the precompiled module.
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addSchema(schemaFile() as unknown as object);
  const compiled = new Map<string, ValidateFunction>();
  return (definition) => {
    let v = compiled.get(definition);
    if (!v) {
      v = ajv.compile({ $ref: `${schemaFile().$id}#/definitions/${definition}` });
      compiled.set(definition, v);
    }
    return v;
  };
}

/** Validators of the precompiled module, or undefined when the build has not produced it. */
export function precompiledValidators(): ValidatorSource | undefined {
  const mod = loadPrecompiled('kubernetes-objects.validate') as Record<string, ValidateFunction> | undefined;
  if (mod === undefined) return undefined;
  return (definition) => {
    const v = mod[definition];
    if (!v) throw new Error(`the precompiled object schemas have no "${definition}": rebuild with npm run build`);
    return v;
  };
}

let source: ValidatorSource | undefined;

/**
 * Loads the validators and the kind table now instead of at the first {@link schemaErrors}: a
 * cold generate calls it (through the guardrails) while the templates evaluate on another thread.
 */
export function prepareObjectSchemas(): void {
  schemaFile();
  // V8 compiles a function at its first call: call the generic validator once, on a throwaway object.
  validators()('object')({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'warm-up' } });
}

/** The process's validators: precompiled, else compiled now (once). */
function validators(): ValidatorSource {
  source ??= precompiledValidators() ?? runtimeValidators();
  return source;
}

/** Schema errors of an object: the generic object checks, then its kind's own (if any). */
export function schemaErrors(obj: KubeObject, given?: ValidatorSource): ErrorObject[] {
  const get = given ?? validators();
  const generic = get('object');
  const errors = generic(obj) ? [] : [...(generic.errors ?? [])];
  const definition = schemaFile().kinds[groupKind(obj)];
  if (definition) {
    const own = get(definition);
    if (!own(obj)) errors.push(...(own.errors ?? []));
  }
  return errors;
}
