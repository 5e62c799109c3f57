/**
 * Stage `encode`: turns embedded documents in rendered objects into strings.
 *
 * Why this is a stage and not jsonnet: libjsonnet's std.manifestYamlDoc / manifestJsonEx run
 * in interpreted stdlib code and cost 30–500 ms each (measured: one small mesh ConfigMap took
 * ~500 ms), which would dominate a render. Templates therefore write an embedded document as a
 * marker object `{"meshplane.io/encode": "yaml"|"json", "value": …}` (see templates/lib/k.libsonnet
 * `yaml()` / `json()`), and this stage serializes it in microseconds. The C++ jsonnet CLI
 * evaluates the same templates unchanged (it just leaves the markers in place).
 */
import { stringify } from 'yaml';
import type { LocatedObject } from '../core/types.js';
import { ByteBoundedMemo, fastYaml, throughMemo, yamlDialect } from './emit.js';
import { goSafeTags } from './go-yaml-scalars.js';

/** The marker key templates use for an embedded document. */
export const ENCODE_KEY = 'meshplane.io/encode';

/** Encodings an embedded document can have. */
export type Encoding = 'yaml' | 'json';

function isMarker(v: unknown): v is { [ENCODE_KEY]: Encoding; value: unknown } {
  return !!v && typeof v === 'object' && !Array.isArray(v) && ENCODE_KEY in v;
}

/**
 * The library options that define an embedded YAML document (YAML 1.2, no folding). `customTags`:
 * the Go parsers' rules (go-yaml-scalars.ts), because what reads an embedded document (istiod:
 * the mesh config, the injector's config and values) is Go too, and YAML 1.2 alone writes `on`,
 * `yes` or `0O17` plain, which go-yaml v2 reads as a boolean or an int.
 */
export const ENCODE_YAML_OPTIONS = { customTags: goSafeTags, lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false } as const;

/** Why a direct writer: the library's document model cost most of this stage (an injector config is a large document). */
const ENCODE_DIALECT = yamlDialect(ENCODE_YAML_OPTIONS);

/** Serializes an embedded value: YAML (keys sorted, no folding) or indented JSON. */
export function encodeValue(encoding: Encoding, value: unknown): string {
  if (encoding === 'json') return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
  return throughMemo(encodeMemo, value, (v) => {
    const sorted = sortKeys(v);
    return fastYaml(sorted, ENCODE_DIALECT) ?? stringify(sorted, ENCODE_YAML_OPTIONS);
  });
}

/** An embedded YAML document written by the library alone (the reference {@link encodeValue} must match). */
export function libraryEncodeYaml(value: unknown): string {
  return stringify(sortKeys(value), ENCODE_YAML_OPTIONS);
}

/**
 * Embedded YAML documents seen before, by their JSON text (the key that src/pipeline/emit.ts's
 * YAML memo uses, so values JSON would merge, such as -0, bypass it); off unless
 * {@link enableEncodeMemo} turned it on. Why: a server renders the same mesh config for many
 * clusters; the JSON key costs a fraction of writing the document. Why off by default: a CLI
 * process encodes each document once. JSON embedded documents are not memoised: writing them
 * is already about as cheap as their key.
 */
let encodeMemo: ByteBoundedMemo | undefined;

/** Turns the embedded-YAML memo on (the server's render workers), bounded by `maxBytes`; 0 turns it off. */
export function enableEncodeMemo(maxBytes = 8 * 1024 * 1024): ByteBoundedMemo | undefined {
  encodeMemo = maxBytes > 0 ? new ByteBoundedMemo(maxBytes) : undefined;
  return encodeMemo;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/**
 * `v` with every marker replaced by its serialized string. Copy on write: a container none of
 * whose members changed is returned as it is, so the ~270 KB of a mesh's objects are walked but
 * copied only along the paths to the few markers (the evaluation's value is the caller's own; the
 * engine returns a fresh one each time).
 */
function walk(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      const done = walk(item);
      if (done !== item) (out ??= v.slice())[i] = done;
    }
    return out ?? v;
  }
  if (isMarker(v)) {
    const enc = v[ENCODE_KEY];
    if (enc !== 'yaml' && enc !== 'json') throw new Error(`unknown ${ENCODE_KEY} value "${String(enc)}" in a template`);
    return encodeValue(enc, v.value);
  }
  const record = v as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(record)) {
    const val = record[k];
    const done = walk(val);
    if (done === val) continue;
    out ??= { ...record };
    // defineProperty, not `out[k] =`: a key named __proto__ stays a key.
    Object.defineProperty(out, k, { value: done, enumerable: true, writable: true, configurable: true });
  }
  return out ?? record;
}

/** Replaces every embedded-document marker in rendered objects with its serialized string. */
export function encode(objects: LocatedObject[]): LocatedObject[] {
  return objects.map((o) => (o.origin.kind === 'rendered' ? { ...o, object: walk(o.object) as typeof o.object } : o));
}
