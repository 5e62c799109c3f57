/**
 * The plain scalars that Go's YAML parsers do not read as strings. Every consumer of Meshplane's
 * YAML is Go: Argo CD and Helm convert a manifest with sigs.k8s.io/yaml (go-yaml v2 underneath),
 * kubectl with the same, kustomize (kyaml) with go-yaml v3. The `yaml` library's YAML 1.1 schema,
 * which the emitter otherwise follows, misses some of what those parsers resolve: a plain `0o17`,
 * `0X1f` or `+_1` is an int to Go, so a ConfigMap value written that way stops being a string.
 *
 * What the parsers do with an untagged plain scalar `s`, read from their `resolve` functions:
 * - go-yaml v2.4.0 resolve.go (gopkg.in/yaml.v2; Debian golang-gopkg-yaml.v2-dev 2.4.0-4, no
 *   patch to it). The first byte picks a hint. A whole-string table comes first: y Y yes Yes YES
 *   n N no No NO true True TRUE false False FALSE on On ON off Off OFF are bools, "" ~ null Null
 *   NULL are null, .nan .NaN .NAN and [+-]?.inf/.Inf/.INF are floats, and `<<` is the merge key
 *   (as a key it merges, and fails unless its value is a mapping). Hint `.`:
 *   strconv.ParseFloat(s). Hint digit or sign: a timestamp when parseTimestamp accepts it (four
 *   digits and `-` first, then time.Parse with "2006-1-2T15:4:5.999999999Z07:00", the same with a
 *   lower-case `t`, "2006-1-2 15:4:5.999999999" or "2006-1-2"); otherwise every `_` is removed and
 *   the rest is an int when strconv.ParseInt(rest, 0, 64) or ParseUint(rest, 0, 64) accepts it
 *   (base 0: Go's own syntax, so a sign and then 0x/0X, 0o/0O, 0b/0B or a leading 0 for octal),
 *   a float when it matches `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$` and
 *   ParseFloat accepts it, and an int when it starts with "0b" and ParseInt(rest[2:], 2) accepts
 *   what follows (so `0b-101` is -5). Every other plain scalar is a string. decode_test.go at
 *   the same tag shows the underscore forms (`0x_0A_74_AE`, `+685_230`, `685.230_15e+03`).
 * - sigs.k8s.io/yaml v1.4.0 goyaml.v2/resolve.go: the fork Kubernetes uses; the same function
 *   as go-yaml v2.4.0 (one dead branch differs). v1.3.0 (Debian golang-k8s-sigs-yaml-dev
 *   1.3.0-1) imports gopkg.in/yaml.v2 v2.4.0 itself. Its YAMLToJSON writes what v2 decoded.
 * - go-yaml v3.0.1 resolve.go (gopkg.in/yaml.v3; Debian golang-gopkg-yaml.v3-dev 3.0.1-3): the
 *   same steps without the y/n/yes/no/on/off words, plus an int when the underscore-free text
 *   starts with "0o" and ParseInt(rest[2:], 8) accepts what follows (so `0o+17` is 15). Its
 *   decode.go sets an interface{} target to whatever `resolve` returned, so a timestamp becomes
 *   a time.Time (v2's decode.go keeps the text there); a string-typed target gets the raw text.
 *
 * {@link GO_NON_STRING} matches every plain scalar any of them resolves to something other than a
 * string. Where a parser checks a range (an int that overflows 64 bits, a float exponent that
 * overflows, a month 13) the test ignores it and matches the syntax: quoting a string that Go
 * would have kept is harmless, and the parsers do not agree on ranges (a later, untagged revision
 * of the fork reads an overflowing int as a big.Int).
 */
import type { ScalarTag, Tags } from 'yaml';

/** Why these words: the whole-string tables of both parsers (v2's is the larger), plus the empty string. */
const WORDS = '|~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)|<<';

/** Hint `.`: a Go float literal ParseFloat reads; underscores only between digits (strconv's underscoreOK). */
const DOT_FLOAT = '\\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?';

/** A sign, then any underscores (they are removed before ParseInt); without a sign the first character is a digit. */
const SIGN = '(?:[-+]_*)?';

/** ParseInt/ParseUint with base 0 on the underscore-free text: hex, 0o octal, binary, leading-0 octal, decimal. */
const GO_INT = `${SIGN}(?:0_*[xX]_*[0-9a-fA-F][_0-9a-fA-F]*|0_*[oO]_*[0-7][_0-7]*|0_*[bB]_*[01][_01]*|0[_0-7]*|[1-9][_0-9]*)`;

/** The `yamlStyleFloat` pattern on the underscore-free text (a leading `.` needs a sign here: without one the `.` hint applies). */
const GO_FLOAT = '(?:[-+]_*\\._*[0-9][_0-9]*|(?:[-+]_*)?[0-9][_0-9]*(?:\\.[_0-9]*)?)(?:[eE]_*(?:[-+]_*)?[0-9][_0-9]*)?';

/** v2 and v3: "0b" then ParseInt(…, 2), which takes its own sign; v3 only: "0o" then ParseInt(…, 8). */
const SIGNED_AFTER_PREFIX = '0_*b_*[-+]_*[01][_01]*|0_*o_*[-+]_*[0-7][_0-7]*';

/** parseTimestamp's four layouts (time.Parse takes 1–2 digit fields, `.` or `,` before a fraction, and a run of spaces for the layout's one). */
const TIMESTAMP = '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:[.,][0-9]+)?(?:Z|[-+][0-9]{2}:[0-9]{2})| +[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:[.,][0-9]+)?)?';

/**
 * Matches a string that go-yaml v2, sigs.k8s.io/yaml or go-yaml v3 would not read back as a string
 * if it were written as a plain scalar (anchored, no flags, so it can join the `yaml` library's
 * schema tests).
 */
export const GO_NON_STRING = new RegExp(`^(?:${WORDS}|${DOT_FLOAT}|${GO_INT}|${GO_FLOAT}|${SIGNED_AFTER_PREFIX}|${TIMESTAMP})$`);

/**
 * Characters a Go YAML reader does not take as they are inside a scalar: DEL and the C1 controls
 * (its reader accepts only tab, LF, CR, 0x20-0x7E, NEL, 0xA0-0xD7FF, 0xE000-0xFFFD and the planes
 * above: "control characters are not allowed", go-yaml v2.4.0 readerc.go, the same check in v3.0.1),
 * NEL U+0085, LS U+2028 and PS U+2029 (line breaks to its scanner, is_break in yamlprivateh.go of
 * both: a plain or literal scalar holding one breaks the document, a double-quoted one folds it
 * into a space), and the non-characters U+FFFE and U+FFFF. The `yaml` library writes all of them
 * raw (its double quotes escape only what JSON escapes), so a string holding one is written by
 * {@link goDoubleQuoted} instead. C0 controls, CR and LF are left to the library: JSON escapes them.
 */
export const GO_ESCAPE = /[\x7f-\x9f\u2028\u2029\ufffe\uffff]/;
const GO_ESCAPE_ALL = new RegExp(GO_ESCAPE.source, 'g');

/**
 * A multi-line string whose first line with content starts with a tab (after nothing but line
 * breaks and spaces). The `yaml` library writes such a string as a literal block scalar, and a
 * Go parser detecting the block's indentation stops at that tab: "found a tab character where an
 * indentation space is expected" (go-yaml v2.4.0 and v3.0.1 scannerc.go,
 * yaml_parser_scan_block_scalar_breaks). A tab later in the block is content and reads fine.
 */
const GO_TAB_FIRST_BLOCK = /^[ \n]*\t[^]*\n|^[ \n]*\n[ \n]*\t/;

/** Whether `value` is written by {@link goDoubleQuoted}: it holds a {@link GO_ESCAPE} character, or is a block Go cannot read. */
export function goEscaped(value: string): boolean {
  return GO_ESCAPE.test(value) || GO_TAB_FIRST_BLOCK.test(value);
}

/**
 * `value` as one double-quoted line: JSON's escapes (each a YAML escape too: `\"`, `\\`, `\/`,
 * `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX`) and every {@link GO_ESCAPE} character as `\uXXXX`,
 * which both Go parsers read back (scannerc.go's double-quoted escapes).
 */
export function goDoubleQuoted(value: string): string {
  return JSON.stringify(value).replace(GO_ESCAPE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The string tag for a string {@link goEscaped} claims, ahead of the schema's own
 * (the `yaml` library writes a value with the first tag whose `identify` claims it): written by
 * {@link goDoubleQuoted}. Every other string goes on to the schema's string tag.
 */
const GO_ESCAPED_STRING_TAG: ScalarTag = {
  tag: 'tag:yaml.org,2002:str',
  default: true,
  identify: (value) => typeof value === 'string' && goEscaped(value),
  resolve: (text) => text,
  stringify: (item) => goDoubleQuoted(String(item.value)),
};

/** The YAML 1.1 merge tag's name (the `yaml` library's schema/yaml-1.1/merge.js). */
const MERGE_TAG = 'tag:yaml.org,2002:merge';

/**
 * A tag that only tests: the `yaml` library quotes a string that any default tag's `test`
 * matches (`plainString` in stringifyString.js), so this makes it quote {@link GO_NON_STRING}. It
 * claims no value (`identify` is false) and, should these options ever parse, reads a match back
 * as the string it is (tags before it in the list win).
 */
const GO_NON_STRING_TAG: ScalarTag = {
  tag: 'tag:meshplane.io,2025:go-yaml-non-string',
  default: true,
  test: GO_NON_STRING,
  identify: () => false,
  resolve: (text) => text,
};

/**
 * The `customTags` of every Meshplane YAML dialect: {@link GO_ESCAPED_STRING_TAG} first, the
 * schema's own tags without the merge tag, and {@link GO_NON_STRING_TAG}. Why without the merge tag: it claims the string `<<` and writes
 * it plain, which Go reads as a merge key (and rejects unless its value is a mapping); without
 * it `<<` is a string like any other, and the Go test quotes it.
 */
export function goSafeTags(tags: Tags): Tags {
  return [GO_ESCAPED_STRING_TAG, ...tags.filter((t) => (typeof t === 'string' ? t !== 'merge' : t.tag !== MERGE_TAG)), GO_NON_STRING_TAG];
}
