/**
 * Reads a data file of catalog/ (YAML, so it can carry its source and date as comments).
 * Why the JSON copy: parsing YAML cold costs ~60 ms of every `meshplane generate` (the yaml
 * library's JIT warm-up), so the build (scripts/build-validators.mjs) writes each file's data to
 * dist/catalog/<name>.json. The copy is used only when it is at least as new as the YAML file,
 * so an edited catalog is never shadowed by a stale build; a test checks copy and file agree.
 */
import { readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import { packagePath } from '../core/paths.js';

/** The compiled JSON copy of a catalog file (may not exist). */
export function compiledPath(name: string): string {
  return packagePath('dist', 'catalog', name.replace(/\.ya?ml$/, '.json'));
}

function fresh(yamlFile: string, jsonFile: string): boolean {
  try {
    return statSync(jsonFile).mtimeMs >= statSync(yamlFile).mtimeMs;
  } catch {
    return false;
  }
}

/** The data of `catalog/<name>`: from the compiled copy when fresh, else parsed from YAML. */
export function readDataFile<T>(name: string): T {
  const source = packagePath('catalog', name);
  const compiled = compiledPath(name);
  if (fresh(source, compiled)) return JSON.parse(readFileSync(compiled, 'utf8')) as T;
  return parse(readFileSync(source, 'utf8')) as T;
}
