/**
 * Stage `emit`: canonical YAML (or JSON). Keys are sorted, with apiVersion, kind and metadata
 * first; YAML 1.1 quoting so Go YAML parsers read `"on"`/`"yes"` as strings, widened to every
 * plain scalar go-yaml v2/v3 would not read as a string (go-yaml-scalars.ts: `"0o17"`, `"0X1f"`,
 * `"<<"`), and every string holding a character their reader refuses or breaks a line at written
 * double-quoted with escapes (go-yaml-scalars.ts GO_ESCAPE); no line folding. Same objects in → byte-identical text out.
 *
 * The `yaml` library's `stringify` with {@link YAML_OPTIONS} defines the canonical text. Building
 * its document model costs ~1 ms per object (most of a cold generate's emit time), so objects are
 * written by a direct emitter ({@link fastObjectToYaml}) that produces the same bytes: structure
 * is written here, every string (plain, quoted or a literal block scalar) by yaml-scalar.ts, which
 * restates the library's string rules; the library itself writes only what those do not model (a
 * non-integer number, the merge key `<<`, a key over 1024 characters), and an object the direct
 * emitter cannot vouch for (a `__proto__` key, a value JSON cannot hold) goes through it whole.
 * emit.test.ts and yaml-scalar.test.ts compare both paths byte for byte on every example, on
 * generated objects and on generated hostile strings.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../core/types.js';
import { goSafeTags } from './go-yaml-scalars.js';
import { nonStringTest, yamlString } from './yaml-scalar.js';

const HEAD_KEYS = ['apiVersion', 'kind', 'metadata'];

/** The library options that define canonical YAML (`customTags`: the Go parsers' rules, go-yaml-scalars.ts). */
export const YAML_OPTIONS = { version: '1.1', customTags: goSafeTags, lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false, indentSeq: true } as const;

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

/** One object as canonical YAML through the library (the reference the direct emitter must match). */
export function libraryObjectToYaml(obj: KubeObject): string {
  return stringify(canonicalize(obj), YAML_OPTIONS);
}

/** A string → string memo that forgets everything once it holds more than `maxBytes` (UTF-16 units × 2). */
export class ByteBoundedMemo {
  private readonly entries = new Map<string, string>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}
  /** The remembered value, if any. */
  get(key: string): string | undefined {
    return this.entries.get(key);
  }
  /** Remembers a value; a pair larger than the whole bound is not kept. */
  set(key: string, value: string): void {
    const size = 2 * (key.length + value.length);
    if (size > this.maxBytes) return;
    if (this.bytes + size > this.maxBytes) this.clear();
    if (!this.entries.has(key)) this.bytes += size;
    this.entries.set(key, value);
  }
  /** Forgets everything. */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
  /** Bytes held (for tests and metrics). */
  get size(): number {
    return this.bytes;
  }
}

/** One object as canonical YAML (no document marker); repeated objects come from the YAML memo when it is on. */
export function objectToYaml(obj: KubeObject): string {
  return throughMemo(yamlMemo, obj, (o) => fastObjectToYaml(o) ?? libraryObjectToYaml(o));
}

/**
 * `write(value)`, remembered in `memo` under the value's JSON ({@link memoKey}) and taken from it
 * next time; with no memo, or a value JSON cannot key, just `write(value)`.
 */
export function throughMemo<T>(memo: ByteBoundedMemo | undefined, value: T, write: (value: T) => string): string {
  const key = memo === undefined ? undefined : memoKey(value as KubeObject);
  if (memo === undefined || key === undefined) return write(value);
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const text = write(value);
  memo.set(key, text);
  return text;
}

/**
 * Canonical YAML of objects seen before, by their JSON text; off unless {@link enableYamlMemo}
 * turned it on. Why: a server renders the same objects for many clusters (an ApplicationSet
 * sends one intent with per-cluster parameters), and writing YAML costs about fifteen times what
 * JSON.stringify does (measured on the canary example: 57 ms against 3.7 ms for its 93 objects
 * under load). Why off by default: a CLI process emits once and would only pay for the keys.
 */
let yamlMemo: ByteBoundedMemo | undefined;

/** Turns the YAML memo on (the server's render workers), bounded by `maxBytes`; 0 turns it off. */
export function enableYamlMemo(maxBytes = 32 * 1024 * 1024): ByteBoundedMemo | undefined {
  yamlMemo = maxBytes > 0 ? new ByteBoundedMemo(maxBytes) : undefined;
  return yamlMemo;
}

/** Not memoised: a value JSON cannot tell apart from another (−0, non-finite numbers, non-plain objects). */
class Unmemoisable extends Error {}

function jsonKeyPart(this: unknown, _key: string, v: unknown): unknown {
  // JSON writes an undefined array item as null; the emitter does not, so such arrays are not memoised.
  if (v === undefined && Array.isArray(this)) throw new Unmemoisable();
  if (typeof v === 'number' && (Object.is(v, -0) || !Number.isFinite(v))) throw new Unmemoisable();
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) throw new Unmemoisable();
  }
  if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw new Unmemoisable();
  return v;
}

/** The memo key of an object: its JSON text, or undefined when JSON would merge distinct values. */
export function memoKey(obj: KubeObject): string | undefined {
  try {
    return JSON.stringify(obj, jsonKeyPart);
  } catch (err) {
    if (err instanceof Unmemoisable) return undefined;
    throw err;
  }
}

/** A multi-document YAML stream: each object preceded by `---`. Empty list → empty string. */
export function emitYaml(objects: KubeObject[]): string {
  return joinYamlDocuments(yamlDocuments(objects));
}

/**
 * The documents of {@link emitYaml}, one per object. `known` holds the text of objects written
 * before (generate's stored rendered objects, src/engine/output-cache.ts): an object found there
 * (the same object, not an equal one) is not written again.
 */
export function yamlDocuments(objects: readonly KubeObject[], known?: ReadonlyMap<KubeObject, string>): string[] {
  return objects.map((o) => known?.get(o) ?? objectToYaml(o));
}

/** The stream {@link emitYaml} prints, from its {@link yamlDocuments}. */
export function joinYamlDocuments(documents: readonly string[]): string {
  let out = '';
  for (const d of documents) out += `---\n${d}`;
  return out;
}

/** A `kind: List` JSON document (what `--format json` prints), with a trailing newline. */
export function emitJson(objects: KubeObject[]): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects.map(canonicalize) }, null, 2)}\n`;
}

// ---- the direct emitter -------------------------------------------------------------------

/** Thrown inside the direct emitter when an object needs the library. */
class NeedsLibrary extends Error {}

/**
 * Strings that the library writes plain (unquoted) in both key and value position when no
 * schema tag claims them ({@link YamlDialect.nonString}): a letter first, then only letters,
 * digits and `_ . / -`, or `:` not at the end. Why this is safe: no YAML indicator can start it
 * and `: `/` #` cannot occur. The common case, checked before the full rules of yaml-scalar.ts.
 */
const SAFE_PLAIN = /^[A-Za-z](?:[A-Za-z0-9_./-]|:(?!$))*$/;

/** The library options a direct emission reproduces, with what the emitter derives from them. */
export interface YamlDialect {
  /** The `stringify` options (the reference, and the fallback for what the emitter does not write). */
  readonly options: Readonly<Record<string, unknown>>;
  /** The schema's non-string test ({@link nonStringTest}). */
  readonly nonString: RegExp;
  /** Keys written first at the top level, in this order (the rest sorted). */
  readonly headKeys: readonly string[];
  readonly valueMemo: Map<unknown, string>;
  readonly keyMemo: Map<string, string>;
}

/** A dialect for `stringify` options whose `version` is 1.1 or 1.2 (the default), with any `customTags`. */
export function yamlDialect(options: Readonly<Record<string, unknown>>, headKeys: readonly string[] = []): YamlDialect {
  return { options, nonString: nonStringTest(options), headKeys, valueMemo: new Map(), keyMemo: new Map() };
}

/** Canonical output: {@link YAML_OPTIONS} with apiVersion, kind and metadata first. */
const CANONICAL: YamlDialect = yamlDialect(YAML_OPTIONS, HEAD_KEYS);

/** Why a bound: the server renders many intents in one process; the memo must not grow without limit. */
const MEMO_LIMIT = 50_000;

function remember(memo: Map<unknown, string>, key: unknown, text: string): string {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, text);
  return text;
}

/** Why: the library writes a string that starts like a document marker or directive differently at different depths (stringifyString.js), so the library-written scalars below refuse it. */
const DOCUMENT_MARKER_START = /^(?:%|---|\.\.\.)/;

function isSafePlain(s: string, d: YamlDialect): boolean {
  return SAFE_PLAIN.test(s) && !d.nonString.test(s);
}

/** A scalar in value position that yaml-scalar.ts does not write (numbers other than safe integers, `<<`), written by the library once (`k: <value>`), else refused. */
function libraryValue(v: unknown, d: YamlDialect): string {
  const hit = d.valueMemo.get(v);
  if (hit !== undefined) return hit;
  if (typeof v === 'string' && DOCUMENT_MARKER_START.test(v)) throw new NeedsLibrary();
  const text = stringify({ k: v }, d.options);
  if (!text.startsWith('k: ') || text.indexOf('\n') !== text.length - 1) throw new NeedsLibrary();
  return remember(d.valueMemo, v, text.slice(3, -1));
}

/**
 * A scalar value whose `ctx.indent` (in the library's terms) is `indent`. Booleans and null are
 * the library's `trueStr`/`falseStr`/`nullStr` defaults (stringify.js), which its bool and null
 * tags write for a value with no source text (schema/yaml-1.1/bool.js, schema/core/bool.js,
 * schema/common/null.js at 2.9.1).
 */
function scalar(v: unknown, indent: string, d: YamlDialect): string {
  if (typeof v === 'string') return isSafePlain(v, d) ? v : (yamlString(v, indent, 'value', d.nonString) ?? libraryValue(v, d));
  if (typeof v === 'number') return Number.isSafeInteger(v) && !Object.is(v, -0) ? String(v) : libraryValue(v, d);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) return 'null';
  throw new NeedsLibrary();
}

/** A mapping key written at column `indent.length - 2`. */
function keyText(k: string, indent: string, d: YamlDialect): string {
  if (isSafePlain(k, d)) return k;
  const direct = yamlString(k, indent, 'key', d.nonString);
  if (direct !== undefined) return direct;
  const hit = d.keyMemo.get(k);
  if (hit !== undefined) return hit;
  if (DOCUMENT_MARKER_START.test(k)) throw new NeedsLibrary();
  const text = stringify({ [k]: 1 }, d.options);
  if (!text.endsWith(': 1\n') || text.startsWith('? ') || text.indexOf('\n') !== text.length - 1) throw new NeedsLibrary();
  return remember(d.keyMemo, k, text.slice(0, -4));
}

/**
 * Keys in the order a canonicalized copy iterates them: array-index-like keys first (numerically,
 * as JS objects order them), then the rest as given. One pass splits the two: looking each key up
 * in the index-like list was quadratic in a map of numbered keys (80,000: 18.7 s).
 */
function iterationOrder(keys: string[]): string[] {
  const indexLike: string[] = [];
  const rest: string[] = [];
  for (const k of keys) (/^(?:0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295 ? indexLike : rest).push(k);
  if (indexLike.length === 0) return keys;
  return [...indexLike.sort((a, b) => Number(a) - Number(b)), ...rest];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The keys of `obj` in canonical order (see {@link canonicalize}), undefined values included. */
function orderedKeys(obj: Record<string, unknown>, head: readonly string[]): string[] {
  const keys = Object.keys(obj).sort();
  let digitFirst = false;
  for (const k of keys) {
    if (k === '__proto__') throw new NeedsLibrary();
    const c = k.charCodeAt(0);
    if (c >= 48 && c <= 57) digitFirst = true;
  }
  const ordered = head.length > 0 ? [...head.filter((k) => k in obj), ...keys.filter((k) => !head.includes(k))] : keys;
  // An index-like key starts with a digit; without one the order is already the iteration order.
  return digitFirst ? iterationOrder(ordered) : ordered;
}

/** The text after `key:` for a value of a key at column `indent`: ` scalar`, ` {}`/` []`, or a nested block. */
function afterKey(v: unknown, indent: string, d: YamlDialect): string {
  const inner = `${indent}  `;
  if (Array.isArray(v)) return v.length === 0 ? ' []' : `\n${inner}${seqBody(v, inner, d)}`;
  if (isPlainObject(v)) {
    const body = mapBody(v, orderedKeys(v, NO_KEYS), inner, d);
    return body === '' ? ' {}' : `\n${inner}${body}`;
  }
  if (v !== null && typeof v === 'object') throw new NeedsLibrary();
  return ` ${scalar(v, inner, d)}`;
}

const NO_KEYS: readonly string[] = [];

/** The entries of a mapping whose keys stand at column `indent`; empty when every value is undefined. */
function mapBody(obj: Record<string, unknown>, keys: string[], indent: string, d: YamlDialect): string {
  const inner = `${indent}  `;
  let out = '';
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += `${out === '' ? '' : `\n${indent}`}${keyText(k, inner, d)}:${afterKey(v, indent, d)}`;
  }
  return out;
}

/** The items of a sequence whose `-` stand at column `indent`. */
function seqBody(items: unknown[], indent: string, d: YamlDialect): string {
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const v = items[i];
    if (v === undefined) throw new NeedsLibrary();
    out += `${i === 0 ? '' : `\n${indent}`}-${seqItem(v, indent, d)}`;
  }
  return out;
}

function seqItem(v: unknown, indent: string, d: YamlDialect): string {
  const inner = `${indent}  `;
  if (Array.isArray(v)) return v.length === 0 ? ' []' : ` ${seqBody(v, inner, d)}`;
  if (isPlainObject(v)) {
    const body = mapBody(v, orderedKeys(v, NO_KEYS), inner, d);
    return body === '' ? ' {}' : ` ${body}`;
  }
  if (v !== null && typeof v === 'object') throw new NeedsLibrary();
  return ` ${scalar(v, inner, d)}`;
}

/**
 * One object as canonical YAML written directly, or undefined when only the library can write it
 * (then {@link objectToYaml} uses the library for the whole object).
 */
export function fastObjectToYaml(obj: KubeObject): string | undefined {
  return isPlainObject(obj) ? fastYaml(obj, CANONICAL) : undefined;
}

/**
 * A mapping or sequence as `stringify(value, dialect.options)` writes it, written directly; or
 * undefined when only the library can write it (any other value, or a part the emitter refuses).
 */
export function fastYaml(value: unknown, d: YamlDialect): string | undefined {
  try {
    if (Array.isArray(value)) return value.length === 0 ? '[]\n' : `${seqBody(value, '', d)}\n`;
    if (!isPlainObject(value)) return undefined;
    const body = mapBody(value, orderedKeys(value, d.headKeys), '', d);
    return body === '' ? '{}\n' : `${body}\n`;
  } catch (err) {
    if (err instanceof NeedsLibrary) return undefined;
    throw err;
  }
}
