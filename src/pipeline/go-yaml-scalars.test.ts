import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Document, stringify } from 'yaml';
import { GO_NON_STRING, goDoubleQuoted, goSafeTags } from './go-yaml-scalars.js';

/**
 * The edges of the rule as go-yaml-scalars.ts writes them down from the parsers' sources: true
 * where some Go parser reads the plain scalar as a non-string. test/go-yaml checks the emitter
 * against the parsers themselves; this table keeps the reading visible without Go.
 */
const EDGES: ReadonlyArray<readonly [string, boolean, string]> = [
  ['0o17', true, 'base-0 ParseInt: 0o'],
  ['0O17', true, 'base-0 ParseInt: 0O'],
  ['+0o17', true, 'a sign before the prefix'],
  ['0B101', true, 'base-0 ParseInt: 0B'],
  ['0X1f', true, 'base-0 ParseInt: 0X'],
  ['0o1_7', true, 'underscores are removed first'],
  ['0_x1', true, 'even between the 0 and the x'],
  ['+_1', true, 'and after the sign'],
  ['_1', false, 'but an underscore first is no hint'],
  ['0b-101', true, 'v2 and v3: "0b", then ParseInt(…, 2) takes a sign'],
  ['0o+17', true, 'v3: "0o", then ParseInt(…, 8) takes a sign'],
  ['0O+17', false, 'that branch wants a lower-case o'],
  ['+0b-1', false, 'and no sign before it'],
  ['08', true, 'not octal, but yamlStyleFloat reads it'],
  ['1e1_0', true, 'underscores in the exponent'],
  ['.5_5', true, 'hint ".": ParseFloat takes underscores between digits'],
  ['._5', false, 'but not after the dot'],
  ['0x1p-2', false, 'a hex float is not ParseInt and fails yamlStyleFloat'],
  ['.Infinity', false, 'only the table spellings of .inf'],
  ['+.nan', false, 'and .nan takes no sign'],
  ['yes', true, 'v2 bool'],
  ['yEs', false, 'only three spellings'],
  ['', true, 'null'],
  ['<<', true, 'the merge key'],
  ['2026-12-02', true, 'date-only timestamp'],
  ['2026-12-02T10:00:00,5Z', true, 'time.Parse takes a comma before the fraction'],
  ['2026-12-02T10:00:00', false, 'the T layouts need a zone'],
  ['2026-12-02  10:00:00', true, 'a run of spaces for the layout space'],
  ['2026-12-02 10:00:00 +1', false, 'the space layout has no zone'],
  ['1:20', false, 'no sexagesimal in Go (the YAML 1.1 schema quotes it anyway)'],
  ['0x', false, 'a prefix alone'],
  ['=', false, 'no value type'],
];

describe('GO_NON_STRING', () => {
  for (const [s, nonString, why] of EDGES) it(`${JSON.stringify(s)}: ${why}`, () => assert.equal(GO_NON_STRING.test(s), nonString));
});

describe('goSafeTags', () => {
  const options = { version: '1.1', customTags: goSafeTags } as const;
  it('drops the merge tag, so `<<` is quoted in key and value position', () => {
    assert.ok(!new Document(null, options).schema.tags.some((t) => t.tag === 'tag:yaml.org,2002:merge'));
    assert.equal(stringify({ '<<': '<<' }, options), '"<<": "<<"\n');
  });
  it('quotes what the Go parsers resolve and leaves other strings as they were', () => {
    assert.equal(stringify({ a: '0o17', b: '0X1f', c: 'istiod', d: '0x' }, options), 'a: "0o17"\nb: "0X1f"\nc: istiod\nd: 0x\n');
    assert.equal(stringify({ a: '0o17', c: 'istiod' }, { version: '1.1' }), 'a: 0o17\nc: istiod\n', 'the YAML 1.1 schema alone writes 0o17 plain');
  });
  it('claims no value: numbers and booleans are written as before', () => {
    assert.equal(stringify({ n: 15, f: 1.5, t: true }, options), stringify({ n: 15, f: 1.5, t: true }, { version: '1.1' }));
  });
});

describe('goDoubleQuoted', () => {
  // Why these: every character class GO_ESCAPE names, beside JSON's own escapes and characters Go reads as they are.
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['a\u2028b', '"a\\u2028b"'],
    ['a\u2029b', '"a\\u2029b"'],
    ['c\u0085d', '"c\\u0085d"'],
    ['\u007f\u0080\u009f', '"\\u007f\\u0080\\u009f"'],
    ['x\ufffe\uffff', '"x\\ufffe\\uffff"'],
    ['q"\\\n\t', '"q\\"\\\\\\n\\t"'],
    ['x\u00a0y\ufeff', '"x\u00a0y\ufeff"'],
  ];
  for (const [value, text] of cases) it(JSON.stringify(value), () => assert.equal(goDoubleQuoted(value), text));
  it('is what the library writes through goSafeTags, in key and value position', () => {
    const options = { version: '1.1', customTags: goSafeTags } as const;
    assert.equal(stringify({ 'k\u2028': 'v\u0085' }, options), `${goDoubleQuoted('k\u2028')}: ${goDoubleQuoted('v\u0085')}\n`);
    assert.equal(stringify({ k: 'a\u2028b' }, { version: '1.1' }), 'k: a\u2028b\n', 'the library alone writes LS raw in a plain scalar');
  });
});
