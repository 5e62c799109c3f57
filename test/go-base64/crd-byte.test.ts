/**
 * A custom resource's `format: byte` field (GrafanaDashboard spec.gzipJson and
 * spec.jsonnetLib.gzipJsonnetProject, grafana-operator v5.24.0 CRD) against Go itself. Two Go checks
 * stand between such a value and the controller: the API server's format check (kube-openapi's
 * strfmt "byte", govalidator.IsBase64) and the controller's encoding/json decode into []byte
 * (base64.StdEncoding). The Ajv format `byte` of test/schemas/object-validators.ts
 * (crdByteProblem) must accept exactly the strings that pass both. The harness
 * test/go-base64/crd-byte answers for Go, over a table of named values and every string of up to six
 * characters over a small alphabet that holds each character class the two checks treat differently.
 *
 * Needs the Go toolchain and Debian's govalidator source (`apt-get install golang-go
 * golang-github-asaskevich-govalidator-dev`; .ci/run installs them); without them the test fails
 * with that hint, it does not skip.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../../src/core/types.js';
import { crdByteProblem, validateObject } from '../schemas/object-validators.js';
import { goEnv, runGo } from '../helpers/go-toolchain.js';
import { EXHAUSTIVE_LENGTH, everyString, SMALL_ALPHABET } from './exhaustive.js';

/** One harness answer: the API server's format check, and the controller's decode. */
interface GoOutcome {
  format: boolean;
  decode: boolean;
  error?: string;
}

/** Where Debian's golang-*-dev packages put Go sources (a GOPATH). */
const DEBIAN_GOPATH = '/usr/share/gocode';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

function askGo(values: readonly string[]): GoOutcome[] {
  if (!existsSync(join(DEBIAN_GOPATH, 'src', 'github.com', 'asaskevich', 'govalidator'))) {
    throw new Error(`github.com/asaskevich/govalidator not under ${DEBIAN_GOPATH}/src: install it with \`apt-get install golang-github-asaskevich-govalidator-dev\` (.ci/run does)`);
  }
  const env = { ...goEnv(), GO111MODULE: 'off', GOPATH: DEBIAN_GOPATH };
  const r = runGo(['run', join('test', 'go-base64', 'crd-byte', 'main.go')], { cwd: repoRoot(), env, input: JSON.stringify(values) });
  if (r.status !== 0) throw new Error(`test/go-base64/crd-byte failed (exit ${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout) as GoOutcome[];
  assert.equal(out.length, values.length);
  return out;
}

const dashboard = (gzipJson: string): KubeObject => ({
  apiVersion: 'grafana.integreatly.org/v1beta1', kind: 'GrafanaDashboard', metadata: { name: 'x', namespace: 'n' },
  spec: { instanceSelector: { matchLabels: { dashboards: 'grafana' } }, gzipJson },
} as KubeObject);

/** The pattern the test schema had before: it let through every row marked `old: true` below that Go refuses. */
const OLD_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

// [case, value, the API server's format check, Go's []byte decode] (checked against the harness, so the table documents Go)
const TABLE: Array<[string, string, boolean, boolean]> = [
  ['one padded group', 'QQ==', true, true],
  ['three characters and one =', 'QUI=', true, true],
  ['two groups', 'QUJDREVG', true, true],
  ['non-zero trailing bits (StdEncoding is not strict)', 'ab==', true, true],
  ['non-zero trailing bits, one =', 'abc=', true, true],
  ['missing padding (three characters)', 'abc', false, false],
  ['missing padding (two characters)', 'QQ', false, false],
  ['one character', 'A', false, false],
  ['padding after a full group', 'QUJD==', false, false],
  ['only padding', '==', false, false],
  ['one = where two are needed', 'QQ=', false, false],
  ['empty', '', false, true],
  ['a line break inside', 'QUJD\nREVG', false, true],
  ['\\r\\n at the end', 'QUJD\r\n', false, true],
  ['a blank inside', 'QUJD REVG', false, false],
  ['URL-safe - and _', '-_8=', false, false],
];


describe('format byte (GrafanaDashboard gzipJson) is checked as the API server and the operator check it in Go', () => {
  const exhaustive = everyString(SMALL_ALPHABET, EXHAUSTIVE_LENGTH);
  let go: GoOutcome[];
  before(() => {
    go = askGo([...TABLE.map(([, v]) => v), ...exhaustive]);
  });

  for (const [i, [name, value, format, decode]] of TABLE.entries()) {
    it(`${name}: ${JSON.stringify(value)} ${format && decode ? 'passes' : 'is refused'}`, async () => {
      const answer = go[i] as GoOutcome;
      assert.deepEqual({ format: answer.format, decode: answer.decode }, { format, decode }, `Go answered ${JSON.stringify(answer)}`);
      assert.equal(crdByteProblem(value) === undefined, format && decode, `crdByteProblem: ${crdByteProblem(value) ?? 'passes'}`);
      const v = await validateObject(dashboard(value));
      assert.equal(v.status, format && decode ? 'valid' : 'invalid', v.status === 'invalid' ? v.message : '');
    });
  }

  it('the rows the old pattern answered wrongly are among them', () => {
    const wrong = TABLE.filter(([, value, format, decode]) => OLD_PATTERN.test(value) !== (format && decode)).map(([, v]) => v);
    assert.deepEqual(wrong, ['abc', 'QQ', 'A', 'QUJD==', '==', 'QQ=', '']);
  });

  it(`every string of up to ${EXHAUSTIVE_LENGTH} characters over ${JSON.stringify(SMALL_ALPHABET.join(''))}: crdByteProblem answers as Go`, () => {
    const disagree: string[] = [];
    let passes = 0;
    for (const [k, value] of exhaustive.entries()) {
      const answer = go[TABLE.length + k] as GoOutcome;
      // The format check is the binding one: whatever it lets through, the decode accepts too.
      if (answer.format) assert.ok(answer.decode, `${JSON.stringify(value)}: format passes, decode fails: ${answer.error ?? ''}`);
      const goPasses = answer.format && answer.decode;
      if (goPasses) passes++;
      if ((crdByteProblem(value) === undefined) !== goPasses) disagree.push(`${JSON.stringify(value)} (Go: ${goPasses ? 'passes' : 'refuses'})`);
    }
    assert.equal(passes, 28, 'every group of four over A and /, padded or not (16 + 8 + 4)');
    assert.deepEqual(disagree.slice(0, 20), [], `${disagree.length} disagreements`);
  });

  it('a 16 MiB value is checked without running out of stack', async () => {
    const big = 'QUJD'.repeat(4 * 1024 * 1024);
    assert.equal(crdByteProblem(big), undefined);
    assert.equal((await validateObject(dashboard(big))).status, 'valid');
    assert.equal((await validateObject(dashboard(`${big}Q`))).status, 'invalid');
  });
});
