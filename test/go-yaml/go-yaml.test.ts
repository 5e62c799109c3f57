/**
 * Meshplane's YAML read back by the real Go parsers its consumers use: go-yaml v2 (gopkg.in/yaml.v2),
 * sigs.k8s.io/yaml (Argo CD, Helm, kubectl) and go-yaml v3 (kustomize's kyaml), through the harness
 * test/go-yaml/parse. Objects holding a large table of tricky strings (every number prefix, sign,
 * underscore, exponent, .inf/.nan, the YAML 1.1 words in every case, dates, `<<`, spaces, and
 * seeded random strings) are emitted the three ways Meshplane writes YAML: the printed output
 * (direct emitter), the library path the emitter falls back to, and an embedded document
 * (encode.ts). Every parser must return exactly the JSON of the object: strings stay strings,
 * numbers stay numbers, and go-yaml v3's node tags show no string resolved as a timestamp or merge.
 *
 * Needs the Go toolchain and Debian's Go YAML sources (`apt-get install golang-go
 * golang-gopkg-yaml.v2-dev golang-gopkg-yaml.v3-dev golang-k8s-sigs-yaml-dev`; .ci/run installs
 * them); without them the test fails with that hint, it does not skip.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { KubeObject } from '../../src/core/types.js';
import { emitYaml, libraryObjectToYaml } from '../../src/pipeline/emit.js';
import { encodeValue } from '../../src/pipeline/encode.js';
import { GO_PARSERS, readWithGo, type GoParser, type GoReading } from './go-parsers.js';

/** Every upper/lower-case spelling of `word` (2^letters of them). */
function everyCase(word: string): string[] {
  let out = [''];
  for (const ch of word) {
    const spellings = ch.toLowerCase() === ch.toUpperCase() ? [ch] : [ch.toLowerCase(), ch.toUpperCase()];
    out = out.flatMap((prefix) => spellings.map((s) => prefix + s));
  }
  return out;
}

/** `sign` + every integer prefix form with `digits`, with underscores where go-yaml removes them and a sign after the prefix. */
function prefixForms(sign: string, prefix: string, digits: string): string[] {
  const [zero, letter] = [prefix[0], prefix.slice(1)];
  return [
    `${sign}${prefix}${digits}`,
    `${sign}${prefix}_${digits}`,
    `${sign}${zero}_${letter}${digits}`,
    `${sign}${prefix}${digits[0]}_${digits.slice(1)}`,
    `${sign}${prefix}${digits}_`,
    `${sign}_${prefix}${digits}`,
    `${sign}${prefix}-${digits}`,
    `${sign}${prefix}+${digits}`,
  ];
}

/** Why these prefixes and digits: every base Go's strconv (base 0) and go-yaml's own 0b/0o branches read, in both letter cases. */
const PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['0x', '1f'], ['0X', '1F'], ['0o', '17'], ['0O', '17'], ['0b', '101'], ['0B', '101'],
];

/** Why a seeded sample: the same strings every run, so a failure reproduces; the alphabet is what number syntaxes are made of. */
function seededStrings(alphabet: string, seed: number, count: number): string[] {
  return fc.sample(fc.string({ unit: fc.constantFrom(...alphabet), minLength: 1, maxLength: 10 }), { seed, numRuns: count });
}

/** Number-shaped strings: a sign, a prefix, digits with underscores, maybe a fraction and an exponent. */
function numberShaped(seed: number, count: number): string[] {
  const part = (chars: string) => fc.string({ unit: fc.constantFrom(...chars), maxLength: 5 });
  const shape = fc.tuple(fc.constantFrom('', '+', '-', '_', '+_'), fc.constantFrom('', '0', '0_', '0x', '0X', '0o', '0O', '0b', '0B'), part('0123456789abcdefABCDEF_'), fc.constantFrom('', '.', '._'), part('0123456789_'), fc.constantFrom('', 'e', 'E', 'e+', 'e-', 'e_'), part('0123456789_'));
  return fc.sample(shape.map((p) => p.join('')).filter((s) => s !== ''), { seed, numRuns: count });
}

/** The table: strings by kind. Why each kind: a way some Go parser reads a plain scalar as something other than a string. */
const TABLE: Record<string, string[]> = {
  'reported by the audit': ['0o17', '0O17', '+0o17', '0B101', '0X1f', '0o1_7'],
  'integer prefixes, signs and underscores': [
    ...['', '+', '-'].flatMap((sign) => PREFIXES.flatMap(([prefix, digits]) => prefixForms(sign, prefix, digits))),
    '0x', '0o', '0b', '0x_', '0o8', '0b2', '0xg', '0o-17', '0o+17', '0b-101', '0b+101', '-0b-1', '-0o-7',
  ],
  'decimal and octal integers': ['0', '00', '0777', '0o777', '-0777', '+0777', '08', '09', '0_7', '-0', '+0', '10', '1_000', '1__0', '_1', '1_', '+_1', '-_1', '9223372036854775807', '9223372036854775808', '18446744073709551616', '-9223372036854775809', '0xFFFFFFFFFFFFFFFFFF'],
  'floats and exponents': ['1.5', '1.', '.5', '+.5', '-.5', '._5', '.5_5', '.5_', '1e3', '1E3', '1e+3', '1e-3', '1.5e3', '.5e3', '1.e5', '.e5', '1e', 'e5', 'E5', '1e1_0', '1_0e1', '1e_1', '1e400', '.5e400', '0x1p-2', '0x1.8p1', '1.2.3', '+.', '-.', '.', '..', '1..2', '6.02e23', '-1_0.0_1e+0_1'],
  'infinity and NaN': [...['', '+', '-'].flatMap((sign) => [...everyCase('.inf'), ...everyCase('.nan')].map((w) => sign + w)), 'inf', 'Inf', 'Infinity', '+Infinity', 'NaN', 'nan', '.Infinity'],
  'YAML 1.1 booleans in every case': ['yes', 'no', 'on', 'off', 'y', 'n', 'true', 'false'].flatMap(everyCase),
  'null in every case': [...everyCase('null'), '~', '', 'Nil', 'none', '~~'],
  'dates and timestamps': ['2026-12-02', '2026-1-2', '2026-12-02T10:00:00Z', '2026-12-02t10:00:00Z', '2026-12-02T10:00:00.5+01:00', '2026-12-02T10:00:00,5Z', '2026-12-02T10:00:00+0100', '2026-12-02T10:00:00', '2026-12-02 10:00:00', '2026-12-02  10:00:00', '2026-12-02 10:00:00.123', '2026-12-02 10:00:00,5', '2026-12-02 10:00:00 +1', '2026-13-45', '2026-02-30', '20261202', '2026-12', '+2026-12-02', '12:30:45', '1:20', '-1:20', '1:20:30', '190:20:30.15'],
  'merge, value and other indicators': ['<<', '=', '<', '<<<', '<< ', 'a<<', '!', '!!str', '&a', '*a', '%', '@', '`', '|', '>', '?', '-', ':', '#'],
  'leading and trailing spaces': [' 1', '1 ', ' yes', 'yes ', ' 0o17', '0o17 ', ' ', '  ', '\t1', '1\t', ' 2026-12-02'],
  // Go's reader refuses DEL and the C1 controls raw and takes NEL, LS and PS for line breaks (go-yaml-scalars.ts GO_ESCAPE).
  'characters Go reads as line breaks or refuses': [
    'a\u2028b', 'a\u2029b', 'c\u0085d', 'a\u007fb', 'a\u0080b', 'a\u009fb', 'x\ufffey', 'x\uffffy', '\u2028', 'yes\u2028',
    'first line\nsecond\u2028x', 'a long line that the library would fold at forty characters\u2029 and more\nnext', 'a\u2028"b\'c\\d',
    'keep: x\u00a0y', 'keep: \ufeffz', 'keep: a\u{1F600}b', 'tab\tand\rreturn\u0085',
    `${'a'.repeat(1020)}\u007f`, `${'k'.repeat(1030)}\u2028`,
  ],
  // A literal block whose first line starts with a tab stops Go's indentation detection (go-yaml-scalars.ts GO_TAB_FIRST_BLOCK).
  'blocks whose first line starts with a tab': ['\tgo build\nall: x\n', '\n\ta', '\t\n', ' \tx\ny', '\n\n\tz\n', 'keep: a\n\tb', 'keep: a\n\tb\n\tc\n', `${'t'.repeat(1030)}\n\tx`],
  'seeded random strings over number characters and letters': seededStrings('0123456789._+-eExob:aAfFyYnNtTXOBZ', 20251, 1500),
  'seeded number-shaped strings': numberShaped(20252, 1500),
};

/** An object that holds `s` as a value, a key, in sequences and beside numbers, booleans and null. */
function holder(s: string, i: number): KubeObject {
  const data: Record<string, unknown> = { value: s, list: [s, [s], { [s]: s }], int: 15, negative: -3, float: 1.5, big: 1e21, yes: true, no: false, none: null };
  if (!Object.hasOwn(data, s)) data[s] = 'as a key';
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `case-${i}` }, data };
}

/** The ways Meshplane writes YAML, each as the document a Go consumer reads, with the value it must read back. */
const WRITERS: Record<string, (obj: KubeObject) => { text: string; value: unknown }> = {
  'printed output (emitYaml)': (obj) => ({ text: emitYaml([obj]), value: obj }),
  'library path (libraryObjectToYaml)': (obj) => ({ text: `---\n${libraryObjectToYaml(obj)}`, value: obj }),
  'embedded document (encodeValue)': (obj) => ({ text: encodeValue('yaml', obj.data), value: obj.data }),
};

/** go-yaml v3's tag for each scalar of `value`, and "!!str <key>" for each key (what the harness's tag reading prints). */
function tagsOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tagsOf);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [`!!str ${k}`, tagsOf(v)]));
  if (typeof value === 'string') return '!!str';
  if (typeof value === 'number') return '!!number';
  return value === null ? '!!null' : '!!bool';
}

/** The harness's tag reading with "!!int" and "!!float" as one "!!number" (the emitter chooses how a number is spelled). */
function numbersAsOne(tags: unknown): unknown {
  if (Array.isArray(tags)) return tags.map(numbersAsOne);
  if (tags !== null && typeof tags === 'object') return Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, numbersAsOne(v)]));
  return tags === '!!int' || tags === '!!float' ? '!!number' : tags;
}

/** What each parser must read for `value`: its JSON, and for the tag reading, the JSON's tags. */
function expectations(value: unknown): Record<GoParser, unknown> {
  const json: unknown = JSON.parse(JSON.stringify(value));
  return { 'gopkg.in/yaml.v2': json, 'sigs.k8s.io/yaml': json, 'gopkg.in/yaml.v3': json, 'gopkg.in/yaml.v3 tags': tagsOf(json) };
}

function matches(parser: GoParser, reading: GoReading, want: unknown): boolean {
  if (reading.error !== undefined) return false;
  return isDeepStrictEqual(parser === 'gopkg.in/yaml.v3 tags' ? numbersAsOne(reading.json) : reading.json, want);
}

/** One line per parser that read `s` wrongly, with what it read in place of the string. */
function mismatches(s: string, reading: Record<GoParser, GoReading>, want: Record<GoParser, unknown>): string[] {
  return GO_PARSERS.filter((p) => !matches(p, reading[p], want[p])).map((p) => {
    const r = reading[p];
    const data = r.json as { data?: { value?: unknown }; value?: unknown } | undefined;
    const seen = r.error ?? JSON.stringify(data?.data?.value ?? data?.value ?? r.json);
    return `${JSON.stringify(s)} → ${p}: ${seen.slice(0, 300)}`;
  });
}

describe('Go parsers read every emitted string as the same string', () => {
  const cases = Object.entries(TABLE).flatMap(([kind, strings]) => strings.map((s) => ({ kind, s })));
  const writes = Object.entries(WRITERS).flatMap(([writer, write]) =>
    cases.map(({ kind, s }, i) => {
      const { text, value } = write(holder(s, i));
      return { writer, kind, s, text, want: expectations(value) };
    }),
  );
  let readings: Array<Record<GoParser, GoReading>> = [];
  before(() => {
    readings = readWithGo(writes.map((w) => w.text));
  });

  it('the harness sees what the audit saw: a plain 0o17 is an int to go-yaml v2 and v3', () => {
    const [plain] = readWithGo(['v: 0o17\nw: "0o17"\nd: 2026-12-02\n']);
    assert.deepEqual(plain!['gopkg.in/yaml.v2'].json, { v: 15, w: '0o17', d: '2026-12-02' });
    assert.deepEqual(plain!['sigs.k8s.io/yaml'].json, { v: 15, w: '0o17', d: '2026-12-02' });
    assert.deepEqual(plain!['gopkg.in/yaml.v3 tags'].json, { '!!str v': '!!int', '!!str w': '!!str', '!!str d': '!!timestamp' });
  });

  for (const writer of Object.keys(WRITERS)) {
    for (const kind of Object.keys(TABLE)) {
      it(`${writer}: ${kind}`, () => {
        const failures = writes.flatMap((w, i) => (w.writer === writer && w.kind === kind ? mismatches(w.s, readings[i]!, w.want) : []));
        assert.equal(failures.length, 0, `${failures.length} readings differ from the object:\n${failures.slice(0, 30).join('\n')}`);
      });
    }
  }
});
