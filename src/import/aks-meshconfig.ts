/**
 * spec.meshConfig for `meshplane import --aks` from dumps of the add-on's
 * istio-shared-configmap-<rev> ConfigMaps. The intent has one spec.meshConfig that Meshplane
 * renders into every revision's shared ConfigMap, so the dumps of the revisions the profile runs
 * must agree (during a canary the add-on's upgrade guide has the user copy the settings to the new
 * revision's ConfigMap, so they normally do). Pure.
 */
import { sameData } from '../core/same-data.js';
import { MeshplaneError } from '../core/errors.js';
import type { Notice } from '../core/types.js';
import { readSharedConfigMaps, type SharedMeshConfig } from './shared-configmap.js';

/** One dump file as the user named it, with its text. */
export interface ConfigMapDump {
  source: string;
  text: string;
}

/** The MeshConfig to write (undefined: nothing to import) and the revisions it came from. */
export interface ImportedMeshConfig {
  meshConfig?: Record<string, unknown>;
  from: string[];
}

/** Reads the dumps and picks the MeshConfig of the profile's revisions. */
export function importMeshConfig(dumps: readonly ConfigMapDump[], revisions: readonly string[], notices: Notice[]): ImportedMeshConfig {
  const all = dumps.flatMap((d) => readSharedConfigMaps(d.source, d.text));
  const byRevision = new Map<string, SharedMeshConfig>();
  for (const cm of all) {
    const seen = byRevision.get(cm.revision);
    if (seen) throw new MeshplaneError('import-invalid', `istio-shared-configmap-${cm.revision} is given twice`, [{ where: seen.where, message: 'first here' }, { where: cm.where, message: 'and again here' }], 'pass each revision\'s ConfigMap once; nothing was written');
    byRevision.set(cm.revision, cm);
  }
  for (const cm of byRevision.values()) {
    if (!revisions.includes(cm.revision)) notices.push({ level: 'warning', where: cm.where, message: `istio-shared-configmap-${cm.revision} is not imported: the profile runs ${revisions.length ? revisions.join(', ') : 'no revision'} (delete the ConfigMap of a removed revision, as the add-on's upgrade guide says)` });
  }
  const used = revisions.map((r) => byRevision.get(r)).filter((c): c is SharedMeshConfig => c !== undefined);
  if (dumps.length > 0) {
    for (const r of revisions) if (!byRevision.has(r)) notices.push({ level: 'warning', message: `no istio-shared-configmap-${r} was given: spec.meshConfig applies to ${r} too, so it gets the settings of ${used.map((c) => c.revision).join(', ') || 'none'}` });
  }
  const [first, ...rest] = used;
  if (!first) return { from: [] };
  const differ = rest.filter((c) => !sameData(c.mesh, first.mesh));
  if (differ.length > 0) {
    throw new MeshplaneError('import-invalid', `the shared ConfigMaps of ${[first, ...differ].map((c) => c.revision).join(' and ')} hold different MeshConfig; spec.meshConfig is one setting for every revision`, [first, ...differ].map((c) => ({ where: c.where, message: `istio-shared-configmap-${c.revision}` })), 'make the ConfigMaps equal (or pass only the one of the revision you keep after the upgrade) and import again; nothing was written');
  }
  return Object.keys(first.mesh).length > 0 ? { meshConfig: first.mesh, from: used.map((c) => c.revision) } : { from: [] };
}
