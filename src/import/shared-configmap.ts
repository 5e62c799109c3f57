/**
 * Reading dumps of the add-on's user mesh ConfigMap for `meshplane import --aks
 * --shared-configmap`: the output of `kubectl get configmap -n aks-istio-system
 * istio-shared-configmap-<rev> -o yaml` (or `-o json`), one ConfigMap or a `kind: List` of them.
 *
 * The contract read from the add-on's MeshConfig page (learn.microsoft.com/azure/aks/istio-meshconfig):
 * one ConfigMap per revision, named `istio-shared-configmap-<revision>` in aks-istio-system, whose
 * `data.mesh` holds MeshConfig fields as YAML; istiod merges it under the add-on's own defaults.
 * Pure: text in, located MeshConfig objects out.
 */
import type { SourcePosition } from '../core/types.js';
import { SHARED_CONFIGMAP_PREFIX } from '../rules/support/meshconfig.js';
import { formatFieldPath, parseSourceFile, positionOf, type FieldPath, type ParsedDocument } from '../pipeline/load.js';
import { MeshplaneError } from '../core/errors.js';
import { parseYaml } from '../core/yaml-parse.js';
import { importError, isObject } from './aks-input.js';

/** The namespace of the add-on's mesh ConfigMaps (its root namespace). */
export const ADDON_NAMESPACE = 'aks-istio-system';

/** One revision's MeshConfig, read from a dump. */
export interface SharedMeshConfig {
  revision: string;
  mesh: Record<string, unknown>;
  /** Where the ConfigMap is (file:line). */
  where: SourcePosition;
}

/** The ConfigMaps in one dump file (YAML or JSON; a ConfigMap, a List, or several YAML documents). */
export function readSharedConfigMaps(file: string, text: string): SharedMeshConfig[] {
  let docs: ParsedDocument[];
  try {
    docs = parseSourceFile({ path: file, text });
  } catch (err) {
    if (!(err instanceof MeshplaneError)) throw err;
    throw new MeshplaneError('import-invalid', `${file} is not YAML or JSON: ${err.message}`, err.details, 'save the output of `kubectl get configmap -n aks-istio-system istio-shared-configmap-<revision> -o yaml` to the file');
  }
  const out: SharedMeshConfig[] = [];
  for (const doc of docs) {
    if (isObject(doc.value) && doc.value.kind === 'List' && Array.isArray(doc.value.items)) {
      doc.value.items.forEach((item, i) => out.push(readOne(doc, item, ['items', i])));
    } else {
      out.push(readOne(doc, doc.value, []));
    }
  }
  if (out.length === 0) throw importError(`${file} holds no ConfigMap`, { file, line: 1, column: 1 }, 'save the output of `kubectl get configmap -n aks-istio-system istio-shared-configmap-<revision> -o yaml` to the file');
  return out;
}

function readOne(doc: ParsedDocument, value: unknown, path: FieldPath): SharedMeshConfig {
  const at = (p: FieldPath): SourcePosition => positionOf(doc, [...path, ...p]);
  const where = at([]);
  const fix = 'pass the dump of `kubectl get configmap -n aks-istio-system istio-shared-configmap-<revision> -o yaml`';
  if (!isObject(value) || value.kind !== 'ConfigMap') {
    const kind = isObject(value) && typeof value.kind === 'string' ? `a ${value.kind}` : 'no Kubernetes object';
    throw importError(`${doc.file} holds ${kind}, not a ConfigMap`, where, fix, formatFieldPath([...path, 'kind']));
  }
  const md = isObject(value.metadata) ? value.metadata : {};
  const name = typeof md.name === 'string' ? md.name : '';
  if (!name.startsWith(SHARED_CONFIGMAP_PREFIX) || name.length === SHARED_CONFIGMAP_PREFIX.length) {
    throw importError(`ConfigMap "${name}" is not the add-on's user mesh ConfigMap (${SHARED_CONFIGMAP_PREFIX}<revision>)`, at(['metadata', 'name']), `${fix}; the add-on's own istio-<revision> ConfigMap holds its defaults and is not imported`, formatFieldPath([...path, 'metadata', 'name']));
  }
  if (md.namespace !== undefined && md.namespace !== ADDON_NAMESPACE) {
    throw importError(`ConfigMap ${name} is in namespace "${String(md.namespace)}"; the add-on reads it only from ${ADDON_NAMESPACE}`, at(['metadata', 'namespace']), `${fix}; a copy elsewhere has no effect on the add-on`, formatFieldPath([...path, 'metadata', 'namespace']));
  }
  const data = isObject(value.data) ? value.data : {};
  const meshText = data.mesh;
  if (typeof meshText !== 'string') {
    throw importError(`ConfigMap ${name} has no data.mesh`, at(['data']), 'the add-on reads MeshConfig only from the key `mesh`; put the settings there, or leave the ConfigMap out of the import', formatFieldPath([...path, 'data', 'mesh']));
  }
  return { revision: name.slice(SHARED_CONFIGMAP_PREFIX.length), mesh: parseMesh(meshText, name, at(['data', 'mesh'])), where };
}

function parseMesh(text: string, name: string, where: SourcePosition): Record<string, unknown> {
  let mesh: unknown;
  try {
    mesh = parseYaml(text, { strict: true });
  } catch (err) {
    throw importError(`ConfigMap ${name}: data.mesh is not YAML (${(err as Error).message.split('\n')[0]})`, where, 'fix the YAML (spaces, not tabs); the add-on rejects it too');
  }
  if (mesh === null || mesh === undefined) return {};
  if (!isObject(mesh)) throw importError(`ConfigMap ${name}: data.mesh is a YAML ${Array.isArray(mesh) ? 'list' : typeof mesh}, not a mapping of MeshConfig fields`, where, 'write the MeshConfig fields as a mapping, e.g. `accessLogFile: /dev/stdout`');
  return mesh;
}
