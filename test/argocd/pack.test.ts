/**
 * The published package works on its own: `npm pack` the repo and install the tarball into a clean
 * prefix, then run the installed `meshplane` through the CMP emulator on examples/single-revision.
 * Its output must be byte-identical to the repo's own.
 *
 * No network and no npm cache: the tarball is unpacked where npm puts a dependency
 * (node_modules/meshplane, with its .bin link), and its dependencies come from the runtime tree
 * (scripts/runtime-tree.mjs: the production dependencies this checkout's `npm ci` installed, with
 * the addon already built and relocatable). `npm ls` then checks, offline, that the prefix
 * satisfies every dependency range the tarball's package.json declares.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../helpers/cli.js';
import { EXAMPLES_DIR } from '../helpers/examples.js';
import { readableTempDir, sharedRuntimeTree } from '../helpers/runtime-tree.js';
import { defaultApp } from './cmp-env.js';
import { meshplaneSidecar, uid999Unavailable } from './sidecar.js';

const run = promisify(execFile);
let work = '';
let prefix = '';
let tarball = '';
/** An empty npm cache for every npm call here: nothing may come from an earlier install. */
let cache = '';

before(async () => {
  work = readableTempDir('mp-pack-');
  cache = mkdtempSync(path.join(os.tmpdir(), 'mp-npm-cache-'));
  const env = { ...process.env, npm_config_cache: cache, npm_config_offline: 'true' };
  const packed = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: REPO_ROOT, env, timeout: 120_000 });
  tarball = path.join(work, packed.stdout.trim().split('\n').at(-1) as string);
  prefix = path.join(work, 'prefix');
  const installed = path.join(prefix, 'node_modules', 'meshplane');
  mkdirSync(path.dirname(installed), { recursive: true });
  await run('tar', ['xzf', tarball, '-C', work]);
  renameSync(path.join(work, 'package'), installed);
  cpSync(path.join(sharedRuntimeTree().dest, 'node_modules'), path.join(prefix, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  mkdirSync(path.join(prefix, 'node_modules', '.bin'));
  symlinkSync('../meshplane/bin/meshplane', path.join(prefix, 'node_modules', '.bin', 'meshplane'));
  const version = (JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { version: string }).version;
  writeFileSync(path.join(prefix, 'package.json'), `${JSON.stringify({ name: 'prefix', private: true, dependencies: { meshplane: version } })}\n`);
});
after(() => {
  for (const d of [work, cache]) if (d) rmSync(d, { recursive: true, force: true });
});

describe('the packed package from a clean prefix', { timeout: 300_000 }, () => {
  it('ships what the plugin needs and no compiled tests', async () => {
    const { stdout } = await run('tar', ['tzf', tarball]);
    const files = stdout.split('\n');
    for (const f of ['plugin.yaml', 'bin/meshplane', 'bin/load-bundle.cjs', 'bin/package.json', 'dist/src/bundle/generate.cjs', 'dist/src/bundle/generate.cjs.v8', 'dist/src/bundle/client.cjs', 'dist/src/bundle/client.cjs.v8', 'dist/src/bundle/start-ahead.cjs', 'dist/src/cli/main.js', 'dist/schemas/servicemesh.check.cjs', 'dist/schemas/servicemesh.validate.cjs', 'templates/main.jsonnet', 'catalog/revisions.yaml', 'schemas/servicemesh.v1alpha1.schema.json']) {
      assert.ok(files.includes(`package/${f}`), `${f} is in the tarball`);
    }
    assert.deepEqual(files.filter((f) => f.endsWith('.test.js') || f.startsWith('package/dist/test/')), []);
  });

  it('the prefix satisfies the tarball\'s dependencies (npm ls, offline, empty cache)', async () => {
    const env = { ...process.env, npm_config_cache: cache, npm_config_offline: 'true' };
    // npm ls exits 1 when it finds problems; its JSON report is read either way.
    const { stdout } = await run('npm', ['ls', '--omit=dev', '--all', '--json', '--prefix', prefix], { env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '{}' }));
    const tree = JSON.parse(stdout) as { problems?: string[]; dependencies: { meshplane: { version: string; dependencies: Record<string, unknown> } } };
    // The only gaps allowed: what the runtime tree leaves out on purpose, because it only compiles
    // the addon (scripts/runtime-tree.mjs BUILD_ONLY); the addon itself is built already.
    const expected = (p: string): boolean => /^missing: (cmake-js|node-addon-api)@\S+, required by @hanazuki\/node-jsonnet@/.test(p);
    assert.deepEqual((tree.problems ?? []).filter((p) => !expected(p)), []);
    const declared = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies;
    assert.deepEqual(Object.keys(tree.dependencies.meshplane.dependencies).sort(), Object.keys(declared).sort());
  });

  it('renders examples/single-revision through the CMP emulator, byte-identical to the repo', async (t) => {
    const bin = path.join(prefix, 'node_modules', '.bin', 'meshplane');
    const installed = meshplaneSidecar({ meshplaneBin: bin });
    const repo = meshplaneSidecar();
    try {
      const app = defaultApp({ path: 'single-revision' });
      const out = await installed.generate(EXAMPLES_DIR, app, 'meshplane-v1');
      assert.equal(out.status, 'manifests', out.error);
      assert.match(out.result?.stderr ?? '', /info: rendering Argo CD application/);
      const reference = await repo.generate(EXAMPLES_DIR, app);
      assert.equal(out.result?.stdout, reference.result?.stdout);
      const params = await installed.parameters(EXAMPLES_DIR, app);
      assert.ok(params.announcements.length > 10);
      t.diagnostic(`installed package: ${out.objects.length} objects in ${Math.round(out.durationMs)} ms`);
    } finally {
      for (const cmp of [installed, repo]) rmSync(cmp.options.sidecarEnv.HOME as string, { recursive: true, force: true });
    }
  });

  it('runs as uid 999 from the prefix', { skip: uid999Unavailable() }, async () => {
    const cmp = meshplaneSidecar({ meshplaneBin: path.join(prefix, 'node_modules', '.bin', 'meshplane'), asSidecarUser: true });
    try {
      const out = await cmp.generate(EXAMPLES_DIR, defaultApp({ path: 'single-revision' }));
      assert.equal(out.status, 'manifests', out.error);
    } finally {
      rmSync(cmp.options.sidecarEnv.HOME as string, { recursive: true, force: true });
    }
  });
});
