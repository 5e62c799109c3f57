/**
 * Secret.data and ConfigMap.binaryData against Go itself: the Kubernetes API server decodes these
 * []byte fields with encoding/json's base64.StdEncoding (through sigs.k8s.io/json), and
 * schema-invalid (the object schema's base64Bytes characters plus src/rules/support/go-base64.ts)
 * must accept exactly the strings Go accepts. The harness test/go-base64/decode answers for Go:
 * a table of named values, every string of up to six characters over a small alphabet that holds
 * each character class the decoder treats differently, and YAML documents read by
 * sigs.k8s.io/yaml (a plain scalar wrapped over lines folds its line breaks into blanks).
 *
 * Needs the Go toolchain and Debian's sigs.k8s.io/yaml source (`apt-get install golang-go
 * golang-k8s-sigs-yaml-dev`; .ci/run installs them); without them the test fails with that hint,
 * it does not skip.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../../src/core/types.js';
import { parseSourceFiles, sourceFilesFromTexts } from '../../src/pipeline/load.js';
import { goBase64Problem } from '../../src/rules/support/go-base64.js';
import { precompiledValidators, runtimeValidators, schemaErrors } from '../../src/rules/support/object-schemas.js';
import { schemaInvalidRule } from '../../src/rules/schema-invalid.js';
import { goEnv, runGo } from '../helpers/go-toolchain.js';
import { memoryContext } from '../helpers/rule-context.js';
import { EXHAUSTIVE_LENGTH, everyString, SMALL_ALPHABET } from './exhaustive.js';

/** One harness answer. */
interface GoOutcome {
  ok?: boolean;
  error?: string;
  data?: Record<string, string>;
}

/** Where Debian's golang-*-dev packages put Go sources (a GOPATH). */
const DEBIAN_GOPATH = '/usr/share/gocode';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

/** Go's answers for `values` (straight into a []byte field) and `yaml` (sigs.k8s.io/yaml, then the same). */
function decodeWithGo(values: readonly string[], yaml: readonly string[]): { values: GoOutcome[]; yaml: GoOutcome[] } {
  if (!existsSync(join(DEBIAN_GOPATH, 'src', 'sigs.k8s.io', 'yaml'))) throw new Error(`sigs.k8s.io/yaml not under ${DEBIAN_GOPATH}/src: install it with \`apt-get install golang-k8s-sigs-yaml-dev\` (.ci/run does)`);
  const env = { ...goEnv(), GO111MODULE: 'off', GOPATH: DEBIAN_GOPATH };
  const r = runGo(['run', join('test', 'go-base64', 'decode', 'main.go')], { cwd: repoRoot(), env, input: JSON.stringify({ values, yaml }) });
  if (r.status !== 0) throw new Error(`test/go-base64/decode failed (exit ${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { values: GoOutcome[]; yaml: GoOutcome[] };
  assert.equal(out.values.length, values.length);
  assert.equal(out.yaml.length, yaml.length);
  return out;
}

const secret = (data: Record<string, string>, name = 's'): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'ns' }, data }) as KubeObject;
const configMap = (binaryData: Record<string, string>, name = 'c'): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, binaryData }) as KubeObject;

/** For each value, whether schema-invalid accepts it as Secret data and as ConfigMap binaryData (the two must agree). */
function meshplaneAccepts(values: readonly string[]): boolean[] {
  const objects = values.flatMap((v, i) => [secret({ k: v }, `v${i}`), configMap({ k: v }, `v${i}`)]);
  const refused = new Set(schemaInvalidRule.check(memoryContext(30, [], objects)).map((v) => v.resource));
  return values.map((v, i) => {
    const asSecret = !refused.has(`core/Secret/ns/v${i}`);
    assert.equal(!refused.has(`core/ConfigMap/ns/v${i}`), asSecret, `${JSON.stringify(v)}: Secret.data and ConfigMap.binaryData disagree`);
    return asSecret;
  });
}

// [case, value, what Go's decoder answers (checked against the harness, so the table documents Go)]
const TABLE: Array<[string, string, boolean]> = [
  ['empty string', '', true],
  ['one padded quantum', 'QQ==', true],
  ['three characters and one =', 'QUI=', true],
  ['two quanta', 'QUJDREVG', true],
  ['\\n inside (a | block scalar)', 'QUJD\nREVG\n', true],
  ['\\r\\n inside', 'QUJD\r\nREVG\r\n', true],
  ['line breaks only', '\n\r\n', true],
  ['a line break between the two =', 'QQ=\n=', true],
  ['line breaks after the padding', 'QQ==\n\n', true],
  ['a line break first', '\nQUJD', true],
  ['a blank inside (a wrapped plain scalar)', 'QUJD REVG', false],
  ['a tab inside', 'QUJD\tREVG', false],
  ['a trailing blank', 'QUJD ', false],
  ['a leading blank', ' QUJD', false],
  ['a blank after the padding', 'QQ== ', false],
  ['missing padding (two characters)', 'QQ', false],
  ['missing padding (three characters)', 'QUI', false],
  ['length not a multiple of four (five characters)', 'QUJDR', false],
  ['one = where two are needed', 'QQ=', false],
  ['three =', 'Q===', false],
  ['= in the middle', 'QQ==QUJD', false],
  ['= then more text', 'QUI=A', false],
  ['only padding', '==', false],
  ['URL-safe - and _', '-_8=', false],
  ['URL-safe - in a longer value', 'QUJD-EVG', false],
  ['a form feed (a blank to \\s)', 'QUJD\fREVG', false],
  ['a non-ASCII character', 'QUJDé', false],
];


// [case, YAML document, Go's answer, the value sigs.k8s.io/yaml reads]
const YAML: Array<[string, string, boolean, string]> = [
  ['a plain scalar wrapped over lines', 'data:\n  k: QUJD\n    REVG\n', false, 'QUJD REVG'],
  ['a | block scalar', 'data:\n  k: |\n    QUJD\n    REVG\n', true, 'QUJD\nREVG\n'],
  ['a |- block scalar', 'data:\n  k: |-\n    QUJD\n    REVG\n', true, 'QUJD\nREVG'],
  ['a > folded block scalar', 'data:\n  k: >\n    QUJD\n    REVG\n', false, 'QUJD REVG\n'],
  ['a double-quoted scalar with \\r\\n escapes', 'data:\n  k: "QUJD\\r\\nREVG"\n', true, 'QUJD\r\nREVG'],
];

describe('Secret.data and ConfigMap.binaryData are checked as Go decodes []byte', () => {
  const values = [...TABLE.map(([, v]) => v), ...everyString(SMALL_ALPHABET, EXHAUSTIVE_LENGTH)];
  let go: { values: GoOutcome[]; yaml: GoOutcome[] };
  before(() => {
    go = decodeWithGo(values, YAML.map(([, doc]) => doc));
  });

  it('the schema part (the characters) is the same precompiled and compiled at run time', () => {
    const precompiled = precompiledValidators();
    assert.ok(precompiled, 'npm run build');
    for (const [, value] of TABLE) assert.deepEqual(schemaErrors(secret({ k: value }), precompiled).map((e) => e.instancePath), schemaErrors(secret({ k: value }), runtimeValidators()).map((e) => e.instancePath), JSON.stringify(value));
  });

  for (const [i, [name, value, accepted]] of TABLE.entries()) {
    it(`${name}: ${JSON.stringify(value)} is ${accepted ? 'accepted' : 'refused'} by Go and by the schema`, () => {
      const answer = go.values[i] as GoOutcome;
      assert.equal(answer.ok === true, accepted, `Go's decoder answered ${JSON.stringify(answer)}`);
      assert.equal(meshplaneAccepts([value])[0], accepted, 'schema-invalid');
      assert.equal(goBase64Problem(value) === undefined, accepted, `goBase64Problem: ${goBase64Problem(value) ?? 'accepted'}`);
    });
  }

  it(`every string of up to ${EXHAUSTIVE_LENGTH} characters over ${JSON.stringify(SMALL_ALPHABET.join(''))}: the schema answers as Go`, () => {
    const disagree: string[] = [];
    let acceptedByGo = 0;
    const rest = values.slice(TABLE.length);
    const ours = meshplaneAccepts(rest);
    for (const [k, value] of rest.entries()) {
      const goAccepts = (go.values[TABLE.length + k] as GoOutcome).ok === true;
      if (goAccepts) acceptedByGo++;
      if (ours[k] !== goAccepts) disagree.push(`${JSON.stringify(value)} (Go: ${goAccepts ? 'accepts' : 'refuses'})`);
    }
    assert.ok(acceptedByGo > 1000 && acceptedByGo < values.length - TABLE.length - 1000, `a table where both answers are common (Go accepted ${acceptedByGo})`);
    assert.deepEqual(disagree.slice(0, 20), [], `${disagree.length} disagreements`);
  });

  for (const [i, [name, doc, accepted, read]] of YAML.entries()) {
    it(`YAML, ${name}: sigs.k8s.io/yaml reads ${JSON.stringify(read)}, Go ${accepted ? 'accepts' : 'refuses'} it, and so does Meshplane`, () => {
      const answer = go.yaml[i] as GoOutcome;
      assert.deepEqual(answer.data, { k: read }, 'what sigs.k8s.io/yaml read');
      assert.equal(answer.ok === true, accepted, `Go's decoder answered ${JSON.stringify(answer)}`);
      const [parsed] = parseSourceFiles(sourceFilesFromTexts([['s.yaml', `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: ns}\n${doc}`]]));
      const object = parsed?.value as KubeObject;
      assert.deepEqual((object as unknown as { data: unknown }).data, { k: read }, 'what Meshplane read');
      assert.equal(schemaInvalidRule.check(memoryContext(30, [], [object])).length === 0, accepted);
    });
  }

  it('a refused value is reported with the key, what the API server accepts, and how to fix it', () => {
    const got = schemaInvalidRule.check(memoryContext(30, [], [secret({ 'tls.crt': 'QUJD REVG', ok: 'QUJD\nREVG\n' })]));
    assert.equal(got.length, 1, got.map((v) => v.message).join('\n'));
    const [v] = got;
    assert.equal(v?.where?.file, 's:data.tls.crt');
    assert.equal(v?.message, `Secret does not match its schema: data.tls.crt: is not base64 as the API server decodes it: a blank at character 5 (Go's base64.StdEncoding reads A-Z a-z 0-9 + / in groups of four, the last one padded with =, and skips only line breaks)`);
    assert.match(v?.remediation ?? '', /`\|` block scalar/);
    assert.match(v?.remediation ?? '', /stringData/);
  });

  it('a 16 MiB value is checked without running out of stack (a pattern counting groups of four threw there)', () => {
    const big = 'QUJD'.repeat(4 * 1024 * 1024);
    assert.deepEqual(meshplaneAccepts([big, `${big}\n`, `${big}Q`, `${big} `]), [true, true, false, false]);
  });

  it('stringData is not base64 and is not checked as base64', () => {
    assert.deepEqual(schemaErrors({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { k: 'plain text, with blanks!' } } as KubeObject), []);
  });
});
