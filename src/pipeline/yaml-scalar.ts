/**
 * Writes one string as the `yaml` library (2.9.1) writes it in a block mapping or block sequence
 * under the options of emit.ts and encode.ts (`lineWidth: 0`, every other string option at its
 * default; YAML 1.1 or 1.2, which differ only in the schema tests of {@link nonStringTest}), so
 * the direct emitter never has to build the library's document model for a string. Each rule below restates a branch of the library's `stringifyString`, `plainString`,
 * `quotedString`, `singleQuotedString`, `doubleQuotedString` and `blockString`
 * (node_modules/yaml/dist/stringify/stringifyString.js at 2.9.1), specialised to:
 * - `lineWidth: 0`: `foldFlowLines` returns its text unchanged (foldFlowLines.js), and a block
 *   scalar is always literal (`lineLengthOverLimit` is false without a width);
 * - `singleQuote: null`, `blockQuote: true`, `doubleQuotedMinMultiLineLength: 40`,
 *   `defaultStringType: 'PLAIN'`, no `defaultKeyType` (the defaults of stringify.js);
 * - block context only (the emitter writes no flow collections), no comments, and a non-empty
 *   indentation (`ctx.indent` is at least two spaces for every key and value inside an object).
 * emit.test.ts and yaml-scalar.test.ts compare every branch with the library byte for byte.
 */
import { Document } from 'yaml';
import { goDoubleQuoted, goEscaped, goSafeTags } from './go-yaml-scalars.js';

/** Where a string stands: a mapping key (the library's `implicitKey`) or a value/sequence item. */
export type ScalarPosition = 'key' | 'value';

/** stringifyString: control characters and unpaired surrogates force double quotes. */
const FORCE_DOUBLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
/** plainString: an indicator first, `: `/` #`, a lone `-`/`?`, space around a newline or a trailing space/colon. */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** containsDocumentMarker: a line starting with `%`, `---` or `...`. */
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
/** singleQuotedString: single quotes cannot keep whitespace next to a line break. */
const SPACE_AROUND_NEWLINE = /[ \t]\n|\n[ \t]/;
/** blockString: a block scalar cannot end in whitespace after its last line break. */
const TRAILING_BLANK_LINE = /\n[\t ]+$/;
/** blockString's `blockEndNewlines`: a run of line breaks in the trailing whitespace that more text follows. */
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;
/** The library's `doubleQuotedMinMultiLineLength` default: shorter double-quoted text keeps `\n` escapes. */
const MIN_MULTI_LINE_LENGTH = 40;
/** The library's indentation step (`indentStep`, two spaces): a top-level key is written at this `ctx.indent`. */
const INDENT_STEP = '  ';
/** Why this value is special: a schema with the YAML 1.1 merge tag (schema/yaml-1.1/merge.js) claims the string `<<` and writes it plain; the emitter leaves it to the library, whose schema decides (Meshplane's dialects drop that tag and quote it, go-yaml-scalars.ts). */
export const MERGE_KEY = '<<';

/**
 * Why a short table: `doubleQuotedString` replaces these JSON `\uXXXX` escapes with YAML's named
 * escapes; any other `\u00XX` becomes `\xXX` and the rest stay as JSON wrote them.
 */
const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '0000': '\\0',
  '0007': '\\a',
  '000b': '\\v',
  '001b': '\\e',
  '0085': '\\N',
  '00a0': '\\_',
  '2028': '\\L',
  '2029': '\\P',
};

/**
 * One test for every non-string tag of the schema that `options` give the library (YAML 1.1, or
 * 1.2's core schema, with their `customTags`: for Meshplane's dialects the Go test of
 * go-yaml-scalars.ts joins them) that the library checks before writing a plain string
 * (`plainString`: a match means it quotes), read from the library's own schema and joined into a
 * single pattern (each source is anchored, so the union matches exactly when one of them does).
 */
export function nonStringTest(options: Readonly<Record<string, unknown>>): RegExp {
  const schema = new Document(null, options).schema;
  const tests = [...schema.tags, ...(schema.compat ?? [])].flatMap((t) => (t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test ? [t.test] : []));
  if (tests.some((re) => re.flags !== '')) throw new Error('yaml schema: a tag test has flags; the union below would change its meaning');
  return new RegExp(tests.map((re) => `(?:${re.source})`).join('|'));
}

/** The test of canonical output (emit.ts's options: YAML 1.1 and the Go test, no merge tag). */
export const NON_STRING: RegExp = nonStringTest({ version: '1.1', customTags: goSafeTags });

/**
 * The text the library writes for `value` at `position`, where `indent` is its `ctx.indent` (two
 * spaces more than the column of the key or `-` the scalar belongs to). Undefined when the
 * library would write something this module does not model: the merge key `<<` and a key longer
 * than 1024 characters (the library turns it into an explicit `? ` key). `nonString` is the
 * schema's test ({@link nonStringTest}).
 */
export function yamlString(value: string, indent: string, position: ScalarPosition, nonString: RegExp = NON_STRING): string | undefined {
  if (value === MERGE_KEY || indent === '') return undefined;
  const key = position === 'key';
  // Before the library's own rules: Meshplane's dialects write these with a tag of their own.
  if (goEscaped(value)) {
    // The library turns a key whose written text exceeds 1024 characters into an explicit `? ` key.
    const text = goDoubleQuoted(value);
    return key && text.length > 1024 ? undefined : text;
  }
  const text = FORCE_DOUBLE.test(value) ? doubleQuoted(value, indent, key) : plain(value, indent, key, nonString);
  return key && text.length > 1024 ? undefined : text;
}

function plain(value: string, indent: string, key: boolean, nonString: RegExp): string {
  const multiLine = value.includes('\n');
  if (key && multiLine) return quoted(value, indent, key);
  if (NOT_PLAIN.test(value)) return key || !multiLine ? quoted(value, indent, key) : literalBlock(value, indent);
  if (multiLine) return literalBlock(value, indent);
  if (key && indent === INDENT_STEP && DOCUMENT_MARKER.test(value)) return quoted(value, indent, key);
  return nonString.test(value) ? quoted(value, indent, key) : value;
}

function quoted(value: string, indent: string, key: boolean): string {
  return value.includes('"') && !value.includes("'") ? singleQuoted(value, indent, key) : doubleQuoted(value, indent, key);
}

function singleQuoted(value: string, indent: string, key: boolean): string {
  if ((key && value.includes('\n')) || SPACE_AROUND_NEWLINE.test(value)) return doubleQuoted(value, indent, key);
  return `'${value.replace(/'/g, "''").replace(/\n+/g, `$&\n${indent}`)}'`;
}

/** JSON's escapes turned into YAML's; outside keys, a long string's `\n` becomes a folded line break. */
function doubleQuoted(value: string, indent: string, key: boolean): string {
  const json = JSON.stringify(value);
  const foldNewlines = !key && json.length >= MIN_MULTI_LINE_LENGTH;
  let out = '';
  let start = 0;
  for (let i = 0; i < json.length; i++) {
    let ch = json[i];
    if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
      // a space before a line break is escaped so that folding cannot eat it
      out += `${json.slice(start, i)}\\ `;
      i += 1;
      start = i;
      ch = '\\';
    }
    if (ch !== '\\') continue;
    const next = json[i + 1];
    if (next === 'u') {
      const code = json.slice(i + 2, i + 6);
      out += json.slice(start, i) + (NAMED_ESCAPES[code] ?? (code.startsWith('00') ? `\\x${code.slice(2)}` : json.slice(i, i + 6)));
      i += 5;
      start = i + 1;
    } else if (next === 'n' && foldNewlines && json[i + 2] !== '"') {
      out += `${json.slice(start, i)}\n\n`;
      while (json[i + 2] === '\\' && json[i + 3] === 'n' && json[i + 4] !== '"') {
        out += '\n';
        i += 2;
      }
      out += indent;
      if (json[i + 2] === ' ') out += '\\';
      i += 1;
      start = i + 1;
    } else {
      i += 1;
    }
  }
  return start ? out + json.slice(start) : json;
}

/** A literal block scalar (`|`), with the chomping and indentation indicators its ends need. */
function literalBlock(value: string, indent: string): string {
  if (TRAILING_BLANK_LINE.test(value)) return quoted(value, indent, false);
  let endStart = value.length;
  while (endStart > 0 && isBlank(value.charCodeAt(endStart - 1))) endStart--;
  let end = value.slice(endStart);
  const endNewline = end.indexOf('\n');
  const chomp = endNewline === -1 ? '-' : value === end || endNewline !== end.length - 1 ? '+' : '';
  let body = value.slice(0, endStart);
  if (end) {
    if (end.endsWith('\n')) end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${indent}`);
  }
  let startWithSpace = false;
  let lastNewline = -1;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === ' ') startWithSpace = true;
    else if (c === '\n') lastNewline = i;
    else break;
  }
  let start = body.slice(0, lastNewline + 1);
  if (start) {
    body = body.slice(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? '2' : '') + chomp;
  return `|${header}\n${indent}${start}${body.replace(/\n+/g, `$&${indent}`)}${end}`;
}

/** `\n`, `\t` or a space: what the library strips from a block scalar's end to choose its chomping. */
function isBlank(code: number): boolean {
  return code === 10 || code === 9 || code === 32;
}
