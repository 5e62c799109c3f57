/**
 * The start-ahead step of `bin/meshplane generate` (src/cli/start-ahead.ts): the template
 * evaluation starts before the CLI is loaded, the engine adopts it, and a generate whose output is
 * stored does not start one. Whatever it decides, the output is the same bytes, and no path can
 * leave the process waiting on an evaluation nobody will give an input to.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, runCli, type CliResult } from '../helpers/cli.js';
import { EXAMPLES_DIR } from '../helpers/examples.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'mp-start-ahead-bin-'));
chmodSync(scratch, 0o700);
after(() => rmSync(scratch, { recursive: true, force: true }));

const NOW = ['--now', '2026-12-02'];
const CANARY = path.join(EXAMPLES_DIR, 'canary');

/** The start-ahead decision bin/meshplane prints with MESHPLANE_DEBUG. */
function decision(stderr: string): string {
  const m = /^debug: start-ahead (\S+)/m.exec(stderr);
  assert.ok(m, `a start-ahead debug line in:\n${stderr}`);
  return m[1]!;
}

/** Both MESHPLANE_DEBUG lines of a bundled generate: the start-ahead decision, and what the engine did. */
function debugLine(r: CliResult): { decision: string; evaluations: number; fromDisk: number; adopted: number; released: number } {
  const m = /^debug: engine: evaluations (\d+), from disk (\d+), adopted (\d+), prestarted \d+, released (\d+)$/m.exec(r.stderr);
  assert.ok(m, `an engine debug line in:\n${r.stderr}`);
  return { decision: decision(r.stderr), evaluations: Number(m[1]), fromDisk: Number(m[2]), adopted: Number(m[3]), released: Number(m[4]) };
}

describe('bin/meshplane generate: the evaluation started ahead', { timeout: 240_000 }, () => {
  it('is adopted on a cold generate, and not started on the next one asked the same; same bytes every way', async () => {
    const reference = await runCli(['generate', CANARY, ...NOW], { env: { MESHPLANE_RENDER_CACHE: 'off', MESHPLANE_START_AHEAD: 'off' } });
    assert.equal(reference.code, 0, reference.stderr);
    const env = { MESHPLANE_RENDER_CACHE_DIR: path.join(scratch, 'cache-local'), MESHPLANE_DEBUG: '1' };
    const cold = await runCli(['generate', CANARY, ...NOW], { env });
    assert.equal(cold.stdout, reference.stdout);
    assert.deepEqual(debugLine(cold), { decision: 'started', evaluations: 1, fromDisk: 0, adopted: 1, released: 0 });
    const warm = await runCli(['generate', CANARY, ...NOW], { env });
    assert.equal(warm.stdout, reference.stdout);
    assert.deepEqual(debugLine(warm), { decision: 'expected-stored', evaluations: 0, fromDisk: 0, adopted: 0, released: 0 });
    const off = await runCli(['generate', CANARY, ...NOW], { env: { ...env, MESHPLANE_RENDER_CACHE: 'off' } });
    assert.equal(off.stdout, reference.stdout);
    assert.equal(decision(off.stderr), 'started');
  });

  it('in Argo CD (a fresh folder for every render), a commit that leaves mesh.yaml as it was starts nothing ahead; one that changes it does', async () => {
    const argo = { ARGOCD_APP_NAME: 'mesh', ARGOCD_APP_NAMESPACE: 'argocd', ARGOCD_APP_REVISION: 'f913b6cbf58aa5ae5ca1f8a2b149477aebcbd9d8', ARGOCD_APP_SOURCE_PATH: 'clusters/prod', MESHPLANE_RENDER_CACHE_DIR: path.join(scratch, 'cache-argo'), MESHPLANE_DEBUG: '1' };
    const checkout = (n: number) => {
      const dir = path.join(scratch, `cmp-${n}`);
      cpSync(CANARY, dir, { recursive: true });
      return dir;
    };
    const first = await runCli(['generate', '.', ...NOW], { env: argo, cwd: checkout(1) });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(decision(first.stderr), 'started');
    const second = await runCli(['generate', '.', ...NOW], { env: argo, cwd: checkout(2) });
    assert.equal(second.stdout, first.stdout);
    assert.deepEqual(debugLine(second), { decision: 'expected-stored', evaluations: 0, fromDisk: 0, adopted: 0, released: 0 }, 'the same commit again: the output is stored');
    // The usual commit: an application changed, mesh.yaml did not. The mesh's rendered part comes from disk (the
    // evaluation is not even read: src/engine/output-cache.ts RenderedPart); nothing was started for nothing.
    const apps = checkout(3);
    writeFileSync(path.join(apps, 'app.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  a: b\n');
    const appsOnly = await runCli(['generate', '.', ...NOW], { env: { ...argo, ARGOCD_APP_REVISION: '1'.repeat(40) }, cwd: apps });
    assert.equal(appsOnly.code, 0, appsOnly.stderr);
    assert.match(appsOnly.stdout, /name: settings/);
    assert.deepEqual(debugLine(appsOnly), { decision: 'expected-stored', evaluations: 0, fromDisk: 0, adopted: 0, released: 0 });
    // A commit that changes mesh.yaml (here only a comment: the step cannot tell, the render can).
    const meshChanged = checkout(4);
    writeFileSync(path.join(meshChanged, 'mesh.yaml'), `${readFileSync(path.join(meshChanged, 'mesh.yaml'), 'utf8')}# reviewed\n`);
    const next = await runCli(['generate', '.', ...NOW], { env: { ...argo, ARGOCD_APP_REVISION: '2'.repeat(40) }, cwd: meshChanged });
    assert.equal(next.stdout, first.stdout);
    assert.equal(decision(next.stderr), 'started', 'mesh.yaml changed');
  });

  it('a generate that fails before rendering ends at once with its error (the evaluation is refused)', async () => {
    const bad = path.join(scratch, 'bad');
    mkdirSync(bad);
    writeFileSync(path.join(bad, 'mesh.yaml'), 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: prod}\nspec: {mode: Nonsense}\n');
    const env = { MESHPLANE_RENDER_CACHE: 'off', MESHPLANE_DEBUG: '1' };
    const invalid = await runCli(['generate', bad, ...NOW], { env, timeoutMs: 30_000 });
    assert.equal(invalid.signal, null, 'not killed by the timeout');
    assert.notEqual(invalid.code, 0);
    assert.equal(invalid.stdout, '');
    assert.deepEqual(debugLine(invalid), { decision: 'started', evaluations: 0, fromDisk: 0, adopted: 1, released: 1 });
    const missing = await runCli(['generate', path.join(scratch, 'no-such-folder'), ...NOW], { env, timeoutMs: 30_000 });
    assert.equal(missing.signal, null, 'not killed by the timeout');
    assert.equal(missing.code, 2, missing.stderr);
    assert.equal(missing.stdout, '');
  });

  // An uncaught error is a bug, so it is injected: a module preloaded with --require throws before
  // the render hands the evaluation its input (next tick) or once it runs (a timer). Node's default
  // would exit under an evaluation waiting for its input, which never ends.
  // The same with the step off (the engine starts its evaluation ahead itself) and unbundled.
  const ways: Array<[string, Record<string, string>]> = [
    ['', {}],
    [', the step off', { MESHPLANE_START_AHEAD: 'off' }],
    [', unbundled', { MESHPLANE_BUNDLE: 'off' }],
  ];
  for (const [when, schedule] of [['before the input is handed over', 'process.nextTick'], ['while the evaluation runs', 'setTimeout']] as const) {
    for (const [way, extra] of ways) {
      it(`an uncaught error ${when}${way} ends the generate with status 2, not a hang`, async () => {
        const inject = path.join(scratch, `throw-${schedule}.cjs`);
        writeFileSync(inject, `${schedule}(() => { throw new Error('injected failure'); });\n`);
        const r = await runCli(['generate', CANARY, ...NOW], { env: { MESHPLANE_RENDER_CACHE: 'off', MESHPLANE_DEBUG: '1', NODE_OPTIONS: `--require ${inject}`, ...extra }, timeoutMs: 30_000 });
        assert.equal(r.signal, null, 'not killed by the timeout');
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /error\[internal\]: injected failure/);
      });
    }
  }

  it('help and client mode start nothing', async () => {
    const help = await runCli(['generate', '--help'], { env: { MESHPLANE_DEBUG: '1' } });
    assert.equal(help.code, 0);
    assert.equal(decision(help.stderr), 'skipped');
    // Nothing listens there: the client falls back to rendering in-process, which still works.
    const client = await runCli(['generate', CANARY, ...NOW, '--server', 'http://127.0.0.1:9'], { env: { MESHPLANE_DEBUG: '1', MESHPLANE_RENDER_CACHE: 'off' } });
    assert.equal(client.code, 0, client.stderr);
    assert.equal(decision(client.stderr), 'skipped');
    assert.match(client.stderr, /rendering in-process/);
  });

  it('with MESHPLANE_DEBUG and a stderr nobody reads, it still ends, with its output and status (no hang, no exit 1)', async () => {
    // The debug lines must be written like every other line (synchronously, a failure ignored): an
    // asynchronous EPIPE on process.stderr is an uncaught exception, and exiting on one while the
    // evaluation started ahead waits for its input never ends (the addon's thread cannot be joined).
    for (const cache of ['on', 'off']) {
      const env = { ...process.env, MESHPLANE_DEBUG: '1', MESHPLANE_RENDER_CACHE: cache, MESHPLANE_RENDER_CACHE_DIR: path.join(scratch, 'cache-epipe') };
      const child = spawn(path.join(REPO_ROOT, 'bin', 'meshplane'), ['generate', CANARY, ...NOW], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stderr.destroy();
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
      clearTimeout(timer);
      assert.equal(signal, null, `render cache ${cache}: not killed by the timeout`);
      assert.equal(code, 0, `render cache ${cache}`);
      assert.match(stdout, /^apiVersion: /m);
    }
  });

  it('a CLI that cannot load still ends, with its error (the evaluation started ahead is refused)', () => {
    // A package whose start-ahead step and templates are the shipped ones but whose generate bundle throws.
    const pkg = path.join(scratch, 'pkg-broken');
    mkdirSync(path.join(pkg, 'dist', 'src', 'bundle'), { recursive: true });
    mkdirSync(path.join(pkg, 'dist', 'src', 'cli'), { recursive: true });
    for (const part of ['package.json', 'templates', 'catalog', 'schemas', 'node_modules']) symlinkSync(path.join(REPO_ROOT, part), path.join(pkg, part));
    // The entry point itself is copied: it finds its package from its own folder.
    mkdirSync(path.join(pkg, 'bin'));
    for (const f of ['meshplane', 'load-bundle.cjs', 'package.json']) copyFileSync(path.join(REPO_ROOT, 'bin', f), path.join(pkg, 'bin', f));
    copyFileSync(path.join(REPO_ROOT, 'dist', 'src', 'cli', 'cli-entry.js'), path.join(pkg, 'dist', 'src', 'cli', 'cli-entry.js'));
    for (const f of ['start-ahead.cjs', 'templates.jsonnet']) copyFileSync(path.join(REPO_ROOT, 'dist', 'src', 'bundle', f), path.join(pkg, 'dist', 'src', 'bundle', f));
    // Written last, so it is newer than cli-entry.js and bin/meshplane takes it for current.
    writeFileSync(path.join(pkg, 'dist', 'src', 'bundle', 'generate.cjs'), "// meshplane-bundle broken\nthrow new Error('this bundle is broken');\n");
    const r = spawnSync(process.execPath, [path.join(pkg, 'bin', 'meshplane'), 'generate', CANARY, ...NOW], { encoding: 'utf8', env: { ...process.env, MESHPLANE_RENDER_CACHE: 'off', MESHPLANE_DEBUG: '1' }, timeout: 60_000 });
    assert.equal(r.signal, null, 'not killed by the timeout');
    assert.equal(decision(r.stderr), 'started');
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /meshplane could not start: this bundle is broken/);
  });
});
