/**
 * The one loader of the validator modules that scripts/build-validators.mjs precompiles into
 * dist/schemas/ (ajv standalone code, CommonJS). One loader so that the generate bundle
 * (scripts/bundle.mjs) can replace it with one that has the validators a successful generate
 * runs inside the bundle, where the bundle's V8 code cache covers them too; everywhere else they
 * are read from dist/schemas/ at first use.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { packagePath } from './paths.js';

/**
 * Every precompiled module, by file name without `.cjs`. Why these four: the intent's
 * validity-only check and its full validator (which explains failures), the structural object
 * schemas, and the lock file's schema; scripts/build-validators.mjs writes exactly these.
 */
export const PRECOMPILED_NAMES = ['servicemesh.check', 'servicemesh.validate', 'kubernetes-objects.validate', 'meshplane-lock.validate'] as const;

/** One of {@link PRECOMPILED_NAMES}. */
export type PrecompiledName = (typeof PRECOMPILED_NAMES)[number];

/** Where the build writes the module `name`. */
export function precompiledFile(name: PrecompiledName): string {
  return packagePath('dist', 'schemas', `${name}.cjs`);
}

/** The module `name` as the build wrote it, or undefined when the build has not produced it. */
export function loadPrecompiled(name: PrecompiledName): unknown {
  const file = precompiledFile(name);
  return existsSync(file) ? (createRequire(import.meta.url)(file) as unknown) : undefined;
}
