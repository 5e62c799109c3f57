/**
 * bin/meshplane itself, on installs broken on purpose: a copy of bin/ beside a stand-in for the
 * compiled CLI. Whatever goes wrong before main() returns, the process must fail closed: a
 * non-zero status, nothing on stdout, one error on stderr.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'mp-bin-entry-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** An install holding the real bin/ and, as dist/src/cli/cli-entry.js, `entry` (none when undefined). */
function install(name: string, entry: string | undefined): string {
  const root = path.join(scratch, name);
  mkdirSync(path.join(root, 'bin'), { recursive: true });
  for (const f of ['meshplane', 'package.json', 'load-bundle.cjs']) copyFileSync(path.join(REPO_ROOT, 'bin', f), path.join(root, 'bin', f));
  writeFileSync(path.join(root, 'package.json'), '{"type":"module"}\n');
  if (entry !== undefined) {
    mkdirSync(path.join(root, 'dist', 'src', 'cli'), { recursive: true });
    writeFileSync(path.join(root, 'dist', 'src', 'cli', 'cli-entry.js'), entry);
  }
  return path.join(root, 'bin', 'meshplane');
}

describe('bin/meshplane fails closed when main() does not finish', () => {
  // Each: a stand-in for the compiled CLI, and what stderr must say.
  const cases: Array<[string, string | undefined, RegExp]> = [
    ['main() never settles and nothing keeps the process alive', 'export async function main() { await new Promise(() => {}); return 0; }\nexport function enableDiskCache() {}\n', /stopped before the command finished/],
    ['main() throws before it returns a code', 'export async function main() { throw new Error("boom"); }\nexport function enableDiskCache() {}\n', /could not start: boom/],
    ['the compiled CLI is missing', undefined, /could not start: .*cli-entry\.js/],
  ];
  for (const [name, entry, stderr] of cases) {
    for (const command of ['version', 'generate']) {
      it(`${name} (${command}): status 2, nothing on stdout`, () => {
        const bin = install(`${name.replace(/\W+/g, '-')}-${command}`, entry);
        const r = spawnSync(process.execPath, [bin, command], { encoding: 'utf8', env: { ...process.env, MESHPLANE_RENDER_CACHE: 'off' } });
        assert.equal(r.status, 2, r.stderr);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, stderr);
      });
    }
  }

  it('a main() that returns a code still ends with that code, and no extra error', () => {
    const bin = install('returns', 'export async function main() { process.stdout.write("ok\\n"); return 1; }\nexport function enableDiskCache() {}\n');
    const r = spawnSync(process.execPath, [bin, 'version'], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, 'ok\n');
    assert.equal(r.stderr, '');
  });
});
