import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Document, stringify } from 'yaml';
import { GO_NON_STRING } from './go-yaml-scalars.js';
import { MERGE_KEY, NON_STRING, yamlString, type ScalarPosition } from './yaml-scalar.js';
import { YAML_OPTIONS, fastObjectToYaml, libraryObjectToYaml, objectToYaml } from './emit.js';

/**
 * The library's own text for `value` at `position`, nested `depth` mappings deep (ctx.indent is
 * then `depth + 1` indentation steps): a wrapper object is written by the library and the
 * wrapper's fixed parts are cut off.
 */
function libraryText(value: string, position: ScalarPosition, depth: number): string {
  let obj: Record<string, unknown> = position === 'key' ? { [value]: 1 } : { k: value };
  for (let d = 0; d < depth; d++) obj = { a: obj };
  const text = stringify(obj, YAML_OPTIONS);
  const prefix = 'a:\n'.repeat(depth ? 1 : 0) + Array.from({ length: Math.max(0, depth - 1) }, (_, d) => `${'  '.repeat(d + 1)}a:\n`).join('') + '  '.repeat(depth);
  assert.ok(text.startsWith(prefix), `wrapper prefix of ${JSON.stringify(text)}`);
  const rest = text.slice(prefix.length);
  if (position === 'key') {
    assert.ok(rest.endsWith(': 1\n'), JSON.stringify(rest));
    return rest.slice(0, -4);
  }
  assert.ok(rest.startsWith('k: ') && rest.endsWith('\n'), JSON.stringify(rest));
  return rest.slice(3, -1);
}

function indentAt(depth: number): string {
  return '  '.repeat(depth + 1);
}

/** Strings for each branch of the library's rules (stringifyString.js, yaml 2.9.1). */
const BRANCHES: { name: string; value: string }[] = [
  { name: 'plain word', value: 'istiod' },
  { name: 'empty (the null test claims it)', value: '' },
  { name: 'YAML 1.1 boolean word', value: 'on' },
  { name: 'octal-looking number', value: '0755' },
  { name: 'sexagesimal', value: '1:20' },
  { name: 'timestamp', value: '2026-12-02' },
  { name: 'exponent float', value: 'e5' },
  { name: 'indicator first', value: '*alias' },
  { name: 'colon space', value: 'a: b' },
  { name: 'space hash', value: 'a #b' },
  { name: 'trailing colon', value: 'a:' },
  { name: 'trailing space', value: 'a ' },
  { name: 'lone dash', value: '-' },
  { name: 'dash space', value: '- x' },
  { name: 'double quote inside → single quotes', value: 'say "hi"' },
  { name: 'both quotes → double quotes', value: `it's "x" ` },
  { name: 'single quote inside → double quotes', value: "it's " },
  { name: 'document marker', value: '--- x' },
  { name: 'directive', value: '%TAG x' },
  { name: 'document end', value: '... x' },
  { name: 'control character', value: 'a\u0001b' },
  { name: 'named escapes', value: '\u0000\u0007\u000b\u001b\u0085\u00a0\u2028\u2029 x' },
  { name: 'C1 control, raw inside double quotes', value: 'x\u0090y' },
  { name: 'lone surrogate', value: 'x\ud800y' },
  { name: 'surrogate pair stays plain', value: 'x\ud83d\ude00y' },
  { name: 'tab inside', value: 'a\tb' },
  { name: 'literal block, clip', value: 'line one\nline two\n' },
  { name: 'literal block, strip', value: 'line one\nline two' },
  { name: 'literal block, keep', value: 'line one\n\n\n' },
  { name: 'literal block, only newlines', value: '\n\n' },
  { name: 'literal block, leading spaces → indentation indicator', value: '  indented\nnext\n' },
  { name: 'literal block, leading newline then spaces', value: '\n  x\ny' },
  { name: 'literal block, leading tab', value: '\tx\ny\n' },
  { name: 'literal block, trailing spaces on the last line', value: 'a\nb  ' },
  { name: 'literal block, blank line with spaces in the end', value: 'a\n \n' },
  { name: 'literal block, empty lines inside', value: 'a\n\n\nb\n' },
  { name: 'literal block, document marker line', value: 'a\n---\nb\n' },
  { name: 'trailing whitespace after the last newline → quoted', value: 'a\nb\n  ' },
  { name: 'short double-quoted newline escape', value: 'a\u0001\nb' },
  { name: 'long double-quoted folded newlines', value: `${'x'.repeat(40)}\u0001\n\n\n ${'y'.repeat(10)} \nz` },
  { name: 'long single-quoted multi-line', value: `"quoted" ${'x'.repeat(40)}\n\nnext: line\n` },
  { name: 'CRLF lines', value: 'a\r\nb\r\n' },
  { name: 'very long line', value: 'word '.repeat(300).trim() },
  { name: 'non-ASCII', value: 'héllo wörld ✓' },
];

describe('yamlString writes what the yaml library writes', () => {
  for (const { name, value } of BRANCHES) {
    for (const position of ['key', 'value'] as const) {
      for (const depth of [0, 1, 3]) {
        it(`${name}: ${position} at depth ${depth}`, () => {
          const expected = libraryText(value, position, depth);
          const got = yamlString(value, indentAt(depth), position);
          // undefined only where the direct emitter hands the string back to the library
          if (got !== undefined) assert.equal(got, expected);
          else assert.ok(position === 'key' && expected.length > 1024, 'refused without a reason');
        });
      }
    }
  }
  it('refuses the merge key `<<`, which the library quotes (its merge tag is dropped, go-yaml-scalars.ts)', () => {
    assert.equal(yamlString(MERGE_KEY, '  ', 'value'), undefined);
    assert.equal(libraryText(MERGE_KEY, 'value', 0), '"<<"', 'the library quotes it as a value');
    assert.equal(libraryText(MERGE_KEY, 'key', 0), '"<<"', 'and as a key');
  });
  it('refuses a key the library would write as an explicit `? ` key', () => {
    assert.equal(yamlString('k'.repeat(1025), '  ', 'key'), undefined);
    assert.equal(yamlString('k'.repeat(1024), '  ', 'key'), 'k'.repeat(1024));
  });
  it('refuses a string with no indentation (a whole document, which this module does not model)', () => {
    assert.equal(yamlString('x', '', 'value'), undefined);
  });
});

describe('NON_STRING is the union of the library schema tests and the Go test', () => {
  const schema = new Document(null, { version: '1.1' }).schema;
  const tests = schema.tags.flatMap((t) => (t.default && t.tag !== 'tag:yaml.org,2002:str' && t.tag !== 'tag:yaml.org,2002:merge' && t.test ? [t.test] : []));
  const samples = ['', '~', 'null', 'Null', 'y', 'No', 'off', '0b101', '0o7', '0O7', '+0o7', '0X1f', '0B1', '0b-1', '0o+7', '+_1', '1e1_0', '0755', '12', '-3_0', '0x1F', '.inf', '-.Inf', '.nan', '1e3', 'e5', '1.5', '.', '1:20', '1:20.5', '<<', '2026-12-02', '2026-12-02T10:00:00Z', '2026-12-02 10:00:00,5', 'istio', 'yes!', '1.2.3'];
  for (const s of samples) {
    it(JSON.stringify(s), () => assert.equal(NON_STRING.test(s), tests.some((re) => re.test(s)) || GO_NON_STRING.test(s)));
  }
});

/** Pieces that hit the rules' edges; a hostile string is a few of them joined. */
const HOSTILE_PIECES = [' ', '  ', '\n', '\n\n', '\t', '#', ': ', ':', '-', '?', '- ', '"', "'", '\\', '%', '---', '...', '\r\n', '\r', '\u0085', '\u00a0', '\u2028', '\ud800', '\udfff', '\ud83d\ude00', '\u0000', '\u001b', '\u007f', 'é', 'a', 'yes', '<<', '1', '0x', '|', '>', '{', '[', ',', '&', '*', '!', 'x'.repeat(120), ' x'.repeat(60)];

describe('yamlString on generated hostile strings', () => {
  const hostile = fc.oneof(
    fc.array(fc.constantFrom(...HOSTILE_PIECES), { maxLength: 12 }).map((p) => p.join('')),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
  );
  it('agrees with the library in key and value position at several depths', () => {
    fc.assert(
      fc.property(hostile, fc.constantFrom<ScalarPosition>('key', 'value'), fc.integer({ min: 0, max: 3 }), (value, position, depth) => {
        const got = yamlString(value, indentAt(depth), position);
        if (got !== undefined) assert.equal(got, libraryText(value, position, depth));
      }),
      { numRuns: 3000 },
    );
  });
  it('whole objects: the direct emitter and the library write the same bytes', () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 4 }), (strings) => {
        const [a, b = 'b', c = 'c', d = 'd'] = strings;
        const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { [a]: b } }, [a]: a, data: { [b]: c, list: [a, [b, { [c]: d }], d], nested: { [d]: { [a]: [c] } } } };
        const fast = fastObjectToYaml(obj);
        // The only refusals here: a key the library writes as `? ` (over 1024 characters once
        // quoted; one character becomes at most six), and a `__proto__` key, which the direct
        // emitter always leaves to the library (emit.ts: it cannot vouch for it).
        if (fast === undefined) assert.ok(strings.some((s) => s.length > 1024 / 6 || s === '__proto__'), 'a generated object went to the library without a long or __proto__ key');
        else assert.equal(fast, libraryObjectToYaml(obj));
        // Whatever path it takes, what is printed is the library's bytes.
        assert.equal(objectToYaml(obj), libraryObjectToYaml(obj));
      }),
      { numRuns: 1500 },
    );
  });
  it('a __proto__ key (found by the property above, seed 899566905) is printed as the library prints it', () => {
    const obj = JSON.parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":{"__proto__":"","b":"c"}}') as Parameters<typeof objectToYaml>[0];
    assert.equal(fastObjectToYaml(obj), undefined);
    assert.equal(objectToYaml(obj), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  __proto__: ""\n  b: c\n');
  });
});
