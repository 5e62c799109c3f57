/**
 * CMP emulator, part 4: what Argo CD accepts as plugin output, modelled on argoproj/argo-cd
 * v3.5.1. The sidecar splits stdout with gitops-engine/pkg/utils/kube/kube.go SplitYAMLToString
 * (a YAML-or-JSON decoder: JSON when the output starts with `{` after white space, else a YAML
 * `---` stream; documents empty or `null` after trimming are skipped; empty output is zero
 * manifests and no error). repo-server then turns each piece into an unstructured object
 * (reposerver/repository/repository.go runConfigManagementPluginSidecars → kube.SplitYAML →
 * yaml.Unmarshal into *unstructured.Unstructured), which refuses a document that is not a
 * mapping and one without `kind` ("Object 'Kind' is missing"). Then it unwraps Lists
 * ({@link unwrapLists}). It does not require apiVersion (nor, for a List's items, kind);
 * {@link applicableProblems} names those separately, as the later apply would fail on them.
 * Parameters: a JSON array of ParameterAnnouncement objects with the proto's field types
 * (plugin.go getParametersAnnouncement: json.Unmarshal).
 */
import { parseAllDocuments } from 'yaml';
import type { Announcement } from './plugin-config.js';

/** A Kubernetes object as parsed from plugin output. */
export type Manifest = { apiVersion: string; kind: string; metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } } & Record<string, unknown>;

/** Splits a stream of concatenated JSON values (what a JSON decoder reads one after another). */
function splitJsonStream(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth++ === 0) start = i;
    } else if (c === '}' || c === ']') {
      if (--depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
    } else if (depth === 0 && !/\s/.test(c as string)) throw new Error(`unexpected "${c}" between JSON documents at offset ${i}`);
  }
  if (depth !== 0) throw new Error('unterminated JSON document');
  return out;
}

function documents(text: string): unknown[] {
  const trimmed = text.trimStart();
  // apimachinery's YAMLOrJSONDecoder sniffs for a JSON object only: `[` starts a YAML stream.
  if (trimmed.startsWith('{')) return splitJsonStream(trimmed);
  return parseAllDocuments(text).map((d, i) => {
    if (d.errors.length) throw new Error(`document ${i + 1}: ${d.errors[0]?.message}`);
    return d.toJS() as unknown;
  });
}

/** Parses plugin stdout into objects; throws (as Argo CD's conversion would fail) on anything else. */
export function parseManifests(text: string): Manifest[] {
  let docs: unknown[];
  try {
    docs = documents(text);
  } catch (err) {
    throw new Error(`error generating manifests: failed to unmarshal manifest: ${(err as Error).message}`);
  }
  return docs.filter((d) => d !== null && d !== undefined).map((d, i) => {
    const o = d as Record<string, unknown>;
    if (typeof d !== 'object' || Array.isArray(d)) throw new Error(`failed to convert CMP manifests to unstructured objects: failed to unmarshal manifest: document ${i + 1} is not a mapping: ${JSON.stringify(d).slice(0, 80)}`);
    if (typeof o.kind !== 'string' || o.kind === '') throw new Error(`failed to convert CMP manifests to unstructured objects: failed to unmarshal manifest: Object 'Kind' is missing in '${JSON.stringify(d).slice(0, 80)}'`);
    return o as Manifest;
  });
}

/**
 * apimachinery's isNullList corner case as repo-server tests it (repository.go isNullList): an
 * `items` key holding null, and neither `spec` nor `status`.
 */
function isNullList(o: Manifest): boolean {
  return !('spec' in o) && !('status' in o) && 'items' in o && o.items === null;
}

/**
 * What repo-server makes of the plugin's objects (argo-cd v3.5.1 reposerver/repository/repository.go,
 * the loop over targetObjs after the source type's manifests are built): an object whose `items`
 * is an array is replaced by its items, whatever its kind (apimachinery Unstructured.IsList and
 * EachListItem: every item must be a mapping, and only one level is unwrapped); an object whose
 * `items` is null (and that has no spec or status) is dropped; anything else is kept. Throws
 * EachListItem's error for an item that is not a mapping.
 */
export function unwrapLists(objects: readonly Manifest[]): Manifest[] {
  return objects.flatMap((o): Manifest[] => {
    if (Array.isArray(o.items)) {
      return o.items.map((item: unknown) => {
        // EachListItem formats the type of its (nil) map variable, not the item's, so the text never names the item's type.
        if (!item || typeof item !== 'object' || Array.isArray(item)) throw new Error('items member is not an object: map[string]interface {}');
        return item as Manifest;
      });
    }
    return isNullList(o) ? [] : [o];
  });
}

/** Documents of plugin output that {@link unwrapLists} changes (a List unwrapped or dropped): Meshplane emits none. */
export function listDocuments(objects: readonly Manifest[]): Manifest[] {
  return objects.filter((o) => Array.isArray(o.items) || isNullList(o));
}

/**
 * What Argo CD lets through but the apply refuses: an object without apiVersion or (an unwrapped
 * List item) without kind. Empty when every object is applicable.
 */
export function applicableProblems(objects: readonly Manifest[]): string[] {
  return objects.flatMap((o, i) => {
    const kind = typeof o.kind === 'string' && o.kind !== '' ? o.kind : undefined;
    return [
      ...(kind === undefined ? [`object ${i + 1} has no kind`] : []),
      ...(typeof o.apiVersion !== 'string' || o.apiVersion === '' ? [`object ${i + 1} (${kind ?? 'no kind'}) has no apiVersion`] : []),
    ];
  });
}

/** The ParameterAnnouncement fields (repository.proto) and the JSON type Go's unmarshal accepts for each. */
const ANNOUNCEMENT_TYPES: Readonly<Record<string, (v: unknown) => boolean>> = {
  name: (v) => typeof v === 'string' && v !== '',
  title: (v) => typeof v === 'string',
  tooltip: (v) => typeof v === 'string',
  required: (v) => typeof v === 'boolean',
  itemType: (v) => typeof v === 'string',
  collectionType: (v) => v === '' || v === 'string' || v === 'array' || v === 'map',
  string: (v) => typeof v === 'string',
  array: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
  map: (v) => !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string'),
};

/** Validates a dynamic-parameters output: a JSON array of well-typed ParameterAnnouncement objects. */
export function parseAnnouncements(text: string): Announcement[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`error unmarshaling dynamic parameter output into ParametersAnnouncementResponse: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new Error('error unmarshaling dynamic parameter output into ParametersAnnouncementResponse: not an array');
  for (const [i, entry] of parsed.entries()) {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new Error(`announcement ${i} is not an object`);
    for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
      const check = ANNOUNCEMENT_TYPES[k];
      if (!check) throw new Error(`announcement ${i} has unknown key "${k}"`);
      if (!check(v)) throw new Error(`announcement ${i} ("${String((entry as { name?: unknown }).name)}"): "${k}" has the wrong type: ${JSON.stringify(v)}`);
    }
    const a = entry as Record<string, unknown>;
    if (!ANNOUNCEMENT_TYPES.name?.(a.name)) throw new Error(`announcement ${i} has no name`);
    const collection = (a.collectionType as string | undefined) || 'string';
    for (const field of ['string', 'array', 'map']) {
      if (a[field] !== undefined && field !== collection) throw new Error(`announcement ${i} ("${String(a.name)}"): "${field}" is set but collectionType is ${collection}`);
    }
  }
  return parsed as Announcement[];
}
