/**
 * The published package works on its own: `npm pack` the repo, install the tarball into a clean
 * prefix from the local npm cache (`--offline`: no network; `npm ci` filled the cache), and run
 * the installed `meshplane` through the CMP emulator on examples/single-revision. Its output must
 * be byte-identical to the repo's own.
 *
 * Bounded: the install runs with `--ignore-scripts`, so libjsonnet is not compiled again (≈1 min
 * of cmake on this machine); the addon binary the repo's `npm ci` built (build/Release/
 * node-jsonnet.node) is copied in instead, after checking the installed @hanazuki/node-jsonnet is
 * the same version, and it runs on the same Node binary, so the ABI matches. The image build
 * (Dockerfile) compiles the addon for real.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../helpers/cli.js';
import { EXAMPLES_DIR } from '../helpers/examples.js';
import { defaultApp } from './cmp-env.js';
import { meshplaneSidecar, uid999Unavailable } from './sidecar.js';

const run = promisify(execFile);
const ADDON = path.join('node_modules', '@hanazuki', 'node-jsonnet');
let work = '';
let prefix = '';
let tarball = '';

async function version(dir: string): Promise<string> {
  return (JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'mp-pack-'));
  await chmod(work, 0o755);
  const packed = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: REPO_ROOT, timeout: 60_000 });
  tarball = path.join(work, packed.stdout.trim().split('\n').at(-1) as string);
  prefix = path.join(work, 'prefix');
  await mkdir(prefix);
  await run('npm', ['install', '--prefix', prefix, tarball, '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--omit=dev'], { timeout: 240_000 });
  const installed = path.join(prefix, ADDON);
  assert.equal(await version(installed), await version(path.join(REPO_ROOT, ADDON)), 'same node-jsonnet version as the repo build');
  await mkdir(path.join(installed, 'build', 'Release'), { recursive: true });
  await copyFile(path.join(REPO_ROOT, ADDON, 'build', 'Release', 'node-jsonnet.node'), path.join(installed, 'build', 'Release', 'node-jsonnet.node'));
});
after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed package from a clean prefix', { timeout: 300_000 }, () => {
  it('ships what the plugin needs and no compiled tests', async () => {
    const { stdout } = await run('tar', ['tzf', tarball]);
    const files = stdout.split('\n');
    for (const f of ['plugin.yaml', 'bin/meshplane', 'dist/src/cli/main.js', 'dist/schemas/servicemesh.validate.mjs', 'templates/main.jsonnet', 'catalog/revisions.yaml', 'schemas/servicemesh.v1alpha1.schema.json']) {
      assert.ok(files.includes(`package/${f}`), `${f} is in the tarball`);
    }
    assert.deepEqual(files.filter((f) => f.endsWith('.test.js')), []);
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
      for (const cmp of [installed, repo]) await rm(cmp.options.sidecarEnv.HOME as string, { recursive: true, force: true });
    }
  });

  it('runs as uid 999 from the prefix', { skip: uid999Unavailable() }, async () => {
    const cmp = meshplaneSidecar({ meshplaneBin: path.join(prefix, 'node_modules', '.bin', 'meshplane'), asSidecarUser: true });
    try {
      const out = await cmp.generate(EXAMPLES_DIR, defaultApp({ path: 'single-revision' }));
      assert.equal(out.status, 'manifests', out.error);
    } finally {
      await rm(cmp.options.sidecarEnv.HOME as string, { recursive: true, force: true });
    }
  });
});
