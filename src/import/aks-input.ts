/**
 * Reading the input of `meshplane import --aks`: `az aks show` JSON in one of its three shapes,
 * with source positions for every error. Pure (the file's text comes in as a string).
 *
 * Shapes (docs/design.md, "The serviceMeshProfile object"): the az CLI prints the managed cluster with its properties
 * flattened to the top level (`serviceMeshProfile`, `kubernetesVersion`, ...); the ARM REST API
 * (`az rest`, `az resource show`) nests them under `properties`; `--query serviceMeshProfile`
 * prints the profile alone (it has a `mode`).
 */
import { MeshplaneError } from '../core/errors.js';
import type { SourcePosition } from '../core/types.js';
import { formatFieldPath, parseSourceFile, positionOf, type FieldPath, type ParsedDocument } from '../pipeline/load.js';

/** Where the profile and the cluster facts are in the input. */
export interface AksInput {
  doc: ParsedDocument;
  shape: 'az-cli' | 'arm' | 'profile';
  /** Path of the serviceMeshProfile object. */
  profilePath: FieldPath;
  profile: Record<string, unknown>;
  /** Path of the object holding kubernetesVersion & co (the cluster, or its `properties`); null for a bare profile. */
  propertiesPath: FieldPath | null;
  cluster: Record<string, unknown> | null;
}

/** Parses the text: it must be JSON holding one cluster or one serviceMeshProfile. */
export function readAksInput(file: string, text: string): AksInput {
  const trimmed = text.replace(/^\uFEFF/, '');
  try {
    JSON.parse(trimmed);
  } catch (err) {
    throw notJson(file, trimmed, (err as Error).message);
  }
  const [doc] = parseSourceFile({ path: file, text: trimmed });
  if (!doc) throw notJson(file, trimmed, 'the file is empty');
  return locate(doc);
}

function locate(doc: ParsedDocument): AksInput {
  const value = doc.value;
  const at = (p: FieldPath): SourcePosition => positionOf(doc, p);
  if (Array.isArray(value)) {
    throw importError(`${doc.file} holds a list of ${value.length} clusters, not one`, at([]), 'pass the output of `az aks show -g <rg> -n <cluster>`, or pick one cluster: `az aks list --query "[?name==\'<cluster>\'] | [0]"`');
  }
  if (!isObject(value)) throw importError(`${doc.file} holds a JSON ${value === null ? 'null' : typeof value}, not an object`, at([]), 'pass the output of `az aks show -g <rg> -n <cluster> -o json`');
  if ('mode' in value && !('serviceMeshProfile' in value) && !('properties' in value)) {
    return { doc, shape: 'profile', profilePath: [], profile: value, propertiesPath: null, cluster: null };
  }
  const nested = isObject(value.properties);
  const propertiesPath: FieldPath = nested ? ['properties'] : [];
  const props = (nested ? value.properties : value) as Record<string, unknown>;
  const profile = props.serviceMeshProfile;
  if (!isObject(profile)) {
    const why = profile === null ? 'serviceMeshProfile is null: the Istio add-on was never enabled on this cluster' : 'it has no serviceMeshProfile';
    throw importError(`${doc.file} cannot be imported: ${why}`, at([...propertiesPath, 'serviceMeshProfile']), 'enable the add-on (`az aks mesh enable`) and export again, or write mesh.yaml by hand (see examples/single-revision)', formatFieldPath([...propertiesPath, 'serviceMeshProfile']));
  }
  return { doc, shape: nested ? 'arm' : 'az-cli', profilePath: [...propertiesPath, 'serviceMeshProfile'], profile, propertiesPath, cluster: value };
}

/** True for a plain JSON object. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An import error with what, where (file:line, field) and how to fix. */
export function importError(message: string, where: SourcePosition | undefined, hint: string, path?: string): MeshplaneError {
  return new MeshplaneError('import-invalid', message, [{ ...(where ? { where } : {}), ...(path ? { path } : {}), message: 'nothing was written', hint }]);
}

function notJson(file: string, text: string, reason: string): MeshplaneError {
  const m = /position (\d+)/.exec(reason);
  const offset = m ? Number(m[1]) : /end of JSON input/.test(reason) ? text.length : 0;
  const before = text.slice(0, offset);
  const where = { file, line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
  return importError(`${file} is not JSON (${reason})`, where, 'save the output of `az aks show -g <rg> -n <cluster> -o json` (or `--query serviceMeshProfile -o json`) to the file; YAML and table output are not accepted');
}
