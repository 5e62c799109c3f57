/**
 * Golden files: `bin/meshplane generate examples/<name>` must print exactly
 * test/golden/examples/<name>.yaml, byte for byte. After an intended change, refresh them with
 * `UPDATE_GOLDEN=1 node --test dist/test/golden/` and review the diff like code.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { EXAMPLES_DIR, exampleNames } from '../helpers/examples.js';

const GOLDEN_DIR = path.join(REPO_ROOT, 'test', 'golden', 'examples');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** The first differing line, for a readable failure instead of two huge strings. */
function firstDifference(want: string, got: string): string {
  const a = want.split('\n');
  const b = got.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}:\n  golden: ${JSON.stringify(a[i])}\n  output: ${JSON.stringify(b[i])}`;
  }
  return 'no line differs (trailing bytes?)';
}

describe('golden output of every example', () => {
  const names = exampleNames();
  it('has examples to check', () => assert.ok(names.length >= 2));

  for (const name of names) {
    it(`examples/${name}`, async () => {
      // KUBE_VERSION unset: the examples pin spec.cluster.kubernetesVersion themselves.
      const r = await runCli(['generate', path.join(EXAMPLES_DIR, name)], { env: { KUBE_VERSION: undefined, ARGOCD_APP_PARAMETERS: undefined } });
      assert.equal(r.code, 0, r.stderr);
      const file = path.join(GOLDEN_DIR, `${name}.yaml`);
      if (UPDATE) {
        mkdirSync(GOLDEN_DIR, { recursive: true });
        writeFileSync(file, r.stdout);
        return;
      }
      assert.ok(existsSync(file), `${path.relative(REPO_ROOT, file)} is missing; create it with UPDATE_GOLDEN=1`);
      const want = readFileSync(file, 'utf8');
      if (want !== r.stdout) assert.fail(`examples/${name} differs from its golden file (UPDATE_GOLDEN=1 refreshes it after an intended change)\n${firstDifference(want, r.stdout)}`);
    });
  }

  it('keeps no golden file for an example that no longer exists', () => {
    if (!existsSync(GOLDEN_DIR)) return assert.ok(UPDATE, 'test/golden/examples is missing; create it with UPDATE_GOLDEN=1');
    const stale = readdirSync(GOLDEN_DIR).filter((f) => !names.includes(f.replace(/\.yaml$/, '')));
    assert.deepEqual(stale, []);
  });
});
