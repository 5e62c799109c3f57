/**
 * YAML parsing with a duplicate-key check that is linear in the number of keys.
 *
 * Why not the yaml library's own check (`uniqueKeys: true`, its default): it compares each new
 * key with every earlier key of the same mapping (yaml 2.9.1, compose/util-map-includes.js,
 * called from compose/resolve-block-map.js and resolve-flow-collection.js), so one mapping of
 * n keys costs n²/2 comparisons. A 950 KB ConfigMap with 80,000 data keys, well under every byte
 * limit, took 103 s in `post-render`. Every parse of text Meshplane did not write goes through
 * here instead: the library runs with `uniqueKeys: false`, and {@link duplicateKeyErrors} then
 * finds the same duplicates with one hash lookup per key and reports them with the library's code
 * and message (DUPLICATE_KEY, "Map keys must be unique"), placed among the document's other errors
 * in source order.
 *
 * Where this differs from the library's own check, on purpose (the tests pin both):
 * - the offset is always where the repeated key starts. The library reports the end of what it
 *   read before the key, which is the key's start unless the previous entry has an empty value
 *   (`b:` alone on its line) or a value that is only an anchor or a tag: then it points at the end
 *   of that previous line, a line that holds no repeated key.
 * - the order is source order. In a flow mapping (`{…}`, JSON) the library checks a key only after
 *   reading its value, so errors inside that value, a repeated key of a nested flow mapping
 *   included, come before the outer one.
 * Which keys repeat is the same (the errors' codes are equal as multisets on every input tried).
 *
 * Keys are equal exactly when the library's default comparison says so: the same node, or two
 * scalars whose values are `===` (so `~` and `null` are the same key, `1` and `"1"` are not,
 * `.nan` never repeats, and merge keys `<<`, which the parser gives a fresh symbol each, never
 * repeat).
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, YAMLParseError, type Document, type DocumentOptions, type Node, type ParseOptions, type SchemaOptions } from 'yaml';

/** The options the parse functions here take (the library's own, less `uniqueKeys`, which is always this module's check). */
export type YamlParseOptions = Omit<ParseOptions & DocumentOptions & SchemaOptions, 'uniqueKeys'>;

/** The message the yaml library gives a repeated key (kept, so errors read the same as before). */
export const DUPLICATE_KEY_MESSAGE = 'Map keys must be unique';

/**
 * The documents of a YAML stream, as the yaml library's `parseAllDocuments` returns them, with
 * repeated mapping keys reported in each document's `errors`. With `prettyErrors` (the
 * library's default) every error message ends with ` at line L, column C`.
 */
export function parseYamlStream(text: string, options: YamlParseOptions = {}): Document.Parsed[] {
  const lines = options.lineCounter ?? new LineCounter();
  const docs = Array.from(parseAllDocuments(text, { ...options, lineCounter: lines, prettyErrors: false, uniqueKeys: false })) as Document.Parsed[];
  for (const doc of docs) withDuplicateKeyErrors(doc, lines, options.prettyErrors !== false);
  return docs;
}

/** One YAML document, as the yaml library's `parseDocument` returns it, with repeated keys reported as {@link parseYamlStream} does. */
export function parseYamlDocument(text: string, options: YamlParseOptions = {}): Document.Parsed {
  const lines = options.lineCounter ?? new LineCounter();
  const doc = parseDocument(text, { ...options, lineCounter: lines, prettyErrors: false, uniqueKeys: false }) as Document.Parsed;
  withDuplicateKeyErrors(doc, lines, options.prettyErrors !== false);
  return doc;
}

/** The plain value of one YAML document, as the yaml library's `parse`: the document's first error (a repeated key included) is thrown. */
export function parseYaml(text: string, options: YamlParseOptions = {}): unknown {
  const doc = parseYamlDocument(text, options);
  const first = doc.errors[0];
  if (first) throw first;
  return doc.toJS();
}

/** Adds the repeated-key errors of `doc` to its errors, in source order; with `pretty`, every error gets its line and column. */
function withDuplicateKeyErrors(doc: Document.Parsed, lines: LineCounter, pretty: boolean): void {
  const found = duplicateKeyErrors(doc);
  if (found.length > 0) doc.errors = mergeByOffset(doc.errors, found);
  if (pretty) for (const error of doc.errors) withPosition(error, lines);
}

/**
 * Every key of every mapping in `doc` that repeats an earlier key of the same mapping, as a
 * parse error at the repeated key's start, in source order. One pass over the nodes with an
 * explicit stack (no recursion, so any depth the parser accepts is walked), one Map per mapping.
 */
export function duplicateKeyErrors(doc: Document.Parsed): YAMLParseError[] {
  const offsets: number[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = sameKeyAs(pair.key);
        if (key !== UNIQUE) {
          if (seen.has(key)) offsets.push(startOf(pair.key as Node));
          else seen.add(key);
        }
        stack.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    } else if (isPair(node)) {
      stack.push(node.key, node.value);
    }
  }
  return offsets.sort((a, b) => a - b).map((offset) => new YAMLParseError([offset, offset + 1], 'DUPLICATE_KEY', DUPLICATE_KEY_MESSAGE));
}

/** Stands for a key that equals no other key (a collection, an alias, NaN, an object value). */
const UNIQUE = Symbol('unique key');

/**
 * What a key is compared by: a scalar's primitive value (a Set compares those as `===` does,
 * except NaN, which is set apart here, as `===` never matches it); anything else is unique,
 * since the library compares non-scalars, and scalars holding objects, by identity.
 */
function sameKeyAs(key: unknown): unknown {
  if (!isScalar(key)) return UNIQUE;
  const value = key.value;
  if (value !== null && (typeof value === 'object' || typeof value === 'function')) return UNIQUE;
  if (typeof value === 'number' && Number.isNaN(value)) return UNIQUE;
  return value;
}

function startOf(node: Node): number {
  return node.range?.[0] ?? 0;
}

/** `extra` (sorted) placed among `errors` so that each goes before the first error that starts later. */
function mergeByOffset(errors: YAMLParseError[], extra: YAMLParseError[]): YAMLParseError[] {
  const out: YAMLParseError[] = [];
  let next = 0;
  for (const error of errors) {
    while (next < extra.length && (extra[next] as YAMLParseError).pos[0] < error.pos[0]) out.push(extra[next++] as YAMLParseError);
    out.push(error);
  }
  while (next < extra.length) out.push(extra[next++] as YAMLParseError);
  return out;
}

/** Ends the message with the error's line and column, as the library's pretty errors begin (without the quoted source line). */
function withPosition(error: YAMLParseError, lines: LineCounter): void {
  if (error.pos[0] < 0 || error.linePos) return;
  const start = lines.linePos(error.pos[0]);
  error.linePos = [start, lines.linePos(error.pos[1])];
  error.message += ` at line ${start.line}, column ${start.col}`;
}
