/**
 * MeshConfig fields by allowlist class, from spec.meshConfig and from source ConfigMaps named
 * istio-shared-configmap-<rev> (key `mesh`, YAML), as the add-on's webhook classifies them.
 */
import { parseYaml } from '../../core/yaml-parse.js';
import { fieldClass, type MeshConfigFields } from '../../catalog/guardrails.js';
import type { LocatedObject } from '../../core/types.js';
import type { FieldPath } from '../../pipeline/load.js';
import { field } from './objects.js';
import type { RuleContext } from '../types.js';

/** One classified field: its dotted name and where it is written. */
export interface ClassifiedField {
  name: string;
  cls: 'supported' | 'allowed' | 'blocked';
  /** Path in the intent (spec.meshConfig…) when `object` is undefined, else in the object. */
  path: FieldPath;
  object?: LocatedObject;
}

/** Prefix of the ConfigMaps the add-on merges into each revision's mesh config. */
export const SHARED_CONFIGMAP_PREFIX = 'istio-shared-configmap-';

function classify(tables: MeshConfigFields, mesh: Record<string, unknown>, base: FieldPath, object?: LocatedObject): ClassifiedField[] {
  const out: ClassifiedField[] = [];
  for (const key of Object.keys(mesh).sort()) {
    out.push({ name: key, cls: fieldClass(tables.meshConfig, key), path: [...base, key], object });
    const sub = mesh[key];
    if (key !== 'defaultConfig' || !sub || typeof sub !== 'object' || Array.isArray(sub)) continue;
    for (const p of Object.keys(sub).sort()) {
      out.push({ name: `defaultConfig.${p}`, cls: fieldClass(tables.proxyConfig, p), path: object ? base : [...base, key, p], object });
    }
  }
  return out;
}

function sharedConfigMaps(ctx: RuleContext): Array<{ o: LocatedObject; mesh: Record<string, unknown> }> {
  const out: Array<{ o: LocatedObject; mesh: Record<string, unknown> }> = [];
  for (const o of ctx.objects) {
    const name = o.object.metadata?.name ?? '';
    if (o.origin.kind !== 'source' || o.object.kind !== 'ConfigMap' || !name.startsWith(SHARED_CONFIGMAP_PREFIX)) continue;
    const text = field(o.object, ['data', 'mesh']);
    let mesh: unknown;
    try {
      mesh = typeof text === 'string' ? parseYaml(text) : undefined;
    } catch {
      mesh = undefined;
    }
    if (mesh && typeof mesh === 'object' && !Array.isArray(mesh)) out.push({ o, mesh: mesh as Record<string, unknown> });
  }
  return out;
}

/** Every MeshConfig field of the mesh, classified. */
export function meshConfigFields(ctx: RuleContext): ClassifiedField[] {
  const tables = ctx.data.meshConfigFields;
  const fromIntent = classify(tables, ctx.render.intent.spec.meshConfig ?? {}, ['spec', 'meshConfig']);
  const fromSource = sharedConfigMaps(ctx).flatMap(({ o, mesh }) => classify(tables, mesh, ['data', 'mesh'], o));
  return [...fromIntent, ...fromSource];
}
