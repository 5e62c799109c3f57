/**
 * Stage `emit`: canonical YAML (or JSON). Keys are sorted, with apiVersion, kind and metadata
 * first; YAML 1.1 quoting so Go YAML parsers read `"on"`/`"yes"` as strings; no line folding.
 * Same objects in → byte-identical text out.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../core/types.js';

const HEAD_KEYS = ['apiVersion', 'kind', 'metadata'];

/** Deep copy with canonical key order (head keys first at the top level, the rest sorted). */
export function canonicalize(obj: KubeObject): KubeObject {
  const out: Record<string, unknown> = {};
  for (const k of HEAD_KEYS) if (k in obj) put(out, k, sortDeep(obj[k]));
  for (const k of Object.keys(obj).sort()) if (!HEAD_KEYS.includes(k)) put(out, k, sortDeep(obj[k]));
  return out as KubeObject;
}

/** Sets an own property even for `__proto__` (plain assignment would change the prototype and drop the key). */
function put(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) put(out, k, sortDeep(v));
    }
    return out;
  }
  return value;
}

/** One object as canonical YAML (no document marker). */
export function objectToYaml(obj: KubeObject): string {
  return stringify(canonicalize(obj), { version: '1.1', lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false, indentSeq: true });
}

/** A multi-document YAML stream: each object preceded by `---`. Empty list → empty string. */
export function emitYaml(objects: KubeObject[]): string {
  return objects.map((o) => `---\n${objectToYaml(o)}`).join('');
}

/** A `kind: List` JSON document (what `--format json` prints), with a trailing newline. */
export function emitJson(objects: KubeObject[]): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects.map(canonicalize) }, null, 2)}\n`;
}
