/**
 * The install is relocatable: the runtime tree (scripts/runtime-tree.mjs, what the image holds) is
 * laid out, copied to a new prefix, and the staging copy removed. Then, in a mount namespace where
 * the checkout's addon build tree is hidden under an empty tmpfs, every example renders through
 * the CMP emulator as uid 999 with HOME=/tmp from that prefix, byte-identical to the checkout's
 * own render. Before the addon was re-linked with $ORIGIN-relative paths, its absolute RUNPATH
 * into the build tree made exactly this fail (`libjsonnet.so.0: cannot open shared object file`).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../helpers/cli.js';
import { EXAMPLES_DIR, exampleNames } from '../helpers/examples.js';
import { layOutRuntimeTree, readableTempDir, type RuntimeTree } from '../helpers/runtime-tree.js';
import { defaultApp } from './cmp-env.js';
import type { RelocatedRender } from './relocated-render.js';
import { meshplaneSidecar, uid999Unavailable } from './sidecar.js';

const run = promisify(execFile);
const BUILD_TREE = path.join(REPO_ROOT, 'node_modules', '@hanazuki', 'node-jsonnet', 'build');
const skip = uid999Unavailable();
let prefix = '';
let tree: RuntimeTree;
let relocated = '';

before(() => {
  if (skip) return;
  const staging = readableTempDir('mp-stage-');
  tree = layOutRuntimeTree(path.join(staging, 'meshplane'));
  prefix = readableTempDir('mp-prefix-');
  relocated = path.join(prefix, 'opt', 'meshplane');
  cpSync(tree.dest, relocated, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  rmSync(staging, { recursive: true, force: true });
});
after(() => {
  if (prefix) rmSync(prefix, { recursive: true, force: true });
});

/** Every ELF file under a folder (by magic number). */
function elfFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(node|so(\.\d+)*)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('the relocated runtime tree', { skip, timeout: 600_000 }, () => {
  it('carries no build tree: the addon package holds only its binaries besides its JS', () => {
    const addon = path.join(relocated, 'node_modules', '@hanazuki', 'node-jsonnet');
    const built = readdirSync(path.join(addon, 'build'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(addon, path.join(e.parentPath, e.name))).sort();
    assert.deepEqual(built, ['build/Release/node-jsonnet.node', 'build/third_party/jsonnet/libjsonnet.so.0']);
    for (const gone of ['src', 'third_party', 'CMakeLists.txt']) assert.equal(existsSync(path.join(addon, gone)), false, `${gone} is not shipped`);
  });

  it('`readelf -d` shows no absolute RUNPATH or RPATH on any shipped ELF file', async (t) => {
    const files = elfFiles(relocated);
    assert.ok(files.length >= 2, files.join(', '));
    const readelf = spawnSync('readelf', ['--version']).status === 0;
    for (const f of files) {
      const ours = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'elf-dynamic.mjs'), f], { encoding: 'utf8' });
      const dyn = JSON.parse(ours.stdout) as { runpath: string[]; rpath: string[]; needed: string[] };
      assert.deepEqual([...dyn.runpath, ...dyn.rpath].filter((p) => p.startsWith('/')), [], f);
      if (readelf) {
        // binutils' own reading, when it is installed (CI installs g++, which brings it).
        const { stdout } = await run('readelf', ['-d', f]);
        const paths = [...stdout.matchAll(/\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[(.*)\]/g)].flatMap((m) => (m[1] as string).split(':'));
        assert.deepEqual(paths, [...dyn.runpath, ...dyn.rpath], `${f}: readelf and scripts/elf-dynamic.mjs agree`);
        assert.deepEqual(paths.filter((p) => p.startsWith('/')), [], f);
      } else t.diagnostic('readelf is not installed: checked with scripts/elf-dynamic.mjs only');
    }
  });

  it('every example renders from the new prefix as uid 999 with HOME=/tmp, the build tree hidden, byte-identical to the checkout', async (t) => {
    assert.ok(statSync(BUILD_TREE).isDirectory(), 'the checkout has a build tree to hide');
    const runner = path.join(REPO_ROOT, 'dist', 'test', 'argocd', 'relocated-render.js');
    // Inside a private mount namespace: an empty tmpfs over the build tree, then the renders.
    const script = 'mount -t tmpfs -o ro,mode=0555 meshplane-hidden "$1" && test -z "$(ls -A "$1")" && shift && exec "$@"';
    const { stdout } = await run('unshare', ['--mount', '--propagation', 'private', '--', 'sh', '-c', script, 'sh', BUILD_TREE, process.execPath, runner, relocated], { maxBuffer: 256 * 1024 * 1024, timeout: 540_000 });
    const results = stdout.trim().split('\n').map((l) => JSON.parse(l) as RelocatedRender);
    assert.deepEqual(results.map((r) => r.example), exampleNames());
    const reference = meshplaneSidecar();
    try {
      for (const r of results) {
        assert.equal(r.status, 'manifests', `${r.example}: ${r.error ?? ''}\n${r.stderr}`);
        const expected = await reference.generate(EXAMPLES_DIR, defaultApp({ path: r.example, name: r.example }));
        assert.equal(expected.status, 'manifests', expected.error);
        assert.equal(r.stdout, expected.result?.stdout, `${r.example}: the relocated render equals the checkout's`);
        t.diagnostic(`examples/${r.example}: ${r.stdout.length} bytes from ${relocated}`);
      }
    } finally {
      rmSync(reference.options.sidecarEnv.HOME as string, { recursive: true, force: true });
    }
  });
});
