/**
 * Acceptance of the server as users run it: `bin/meshplane serve` spawned for real. A cached
 * render is byte-identical to `bin/meshplane generate` on a folder with the same files and
 * environment; `generate --server` prints what a local generate prints (stdout, stderr, exit
 * code), and falls back in-process when the server is unreachable; SIGTERM under load lets every
 * accepted request finish and exits 0; a non-loopback bind without a token is refused. Client
 * cases run the real command in-process (warm) against the spawned server, to stay fast.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { clientMode } from '../../src/cli/start-ahead.js';
import type { Io } from '../../src/cli/io.js';
import { readSourceTree } from '../../src/pipeline/load.js';
import { REPO_ROOT, runCli, type CliResult } from '../helpers/cli.js';
import { ENVOY_FILTER, parseLine, spawnServe, type SpawnedServer } from '../helpers/server.js';

const ENV = { KUBE_VERSION: 'v1.32.4', KUBE_API_VERSIONS: '' };

async function tempSource(example: string, extra: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-server-acc-'));
  await cp(path.join(REPO_ROOT, 'examples', example), dir, { recursive: true });
  for (const [p, text] of Object.entries(extra)) await writeFile(path.join(dir, p), text);
  return dir;
}

async function filesOf(dir: string): Promise<Record<string, string>> {
  return Object.fromEntries((await readSourceTree(dir)).map((f) => [f.path, f.text]));
}

async function post(url: string, body: unknown, token?: string): Promise<{ status: number; text: string; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const res = await fetch(`${url}/v1/render`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Runs the CLI in-process (the real command code, warm) and captures what it prints. */
async function runInProcess(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, cwd: REPO_ROOT, readStdin: async () => '', isTTY: false };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

describe('meshplane serve (spawned)', () => {
  let srv: SpawnedServer;
  const dirs: string[] = [];
  before(async () => {
    srv = await spawnServe();
  });
  after(async () => {
    srv.child.kill('SIGTERM');
    await srv.exited;
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('a cached render is byte-identical to bin/meshplane generate (also via --server) and counts a cache hit in /metrics', async () => {
    const dir = await tempSource('canary', { 'README.md': '# not a manifest' });
    dirs.push(dir);
    const cli = await runCli(['generate', dir], { env: ENV });
    assert.equal(cli.code, 0, cli.stderr);
    const body = { files: { ...(await filesOf(dir)), 'README.md': '# not a manifest' }, env: ENV };
    const first = await post(srv.url, body);
    const second = await post(srv.url, body);
    assert.equal(first.status, 200, first.text);
    assert.equal(first.headers.get('meshplane-cache'), 'miss');
    assert.equal(second.headers.get('meshplane-cache'), 'hit');
    assert.equal(first.text, cli.stdout, 'the computed answer is the CLI output, byte for byte');
    assert.equal(second.text, cli.stdout, 'so is the cached one');
    const metrics = await (await fetch(`${srv.url}/metrics`)).text();
    assert.match(metrics, /meshplane_cache_hits_total\{route="render"\} 1\n/);
    const client = await runCli(['generate', dir, '--server', srv.url], { env: ENV });
    assert.deepEqual(client, cli, 'bin/meshplane generate --server: same exit code, stdout and stderr');
  });

  it('generate --server talks HTTP through node:http: fetch (undici) is never loaded (its WebAssembly parser held every exit back ~100 ms)', async () => {
    const dir = await tempSource('single-revision');
    dirs.push(dir);
    const probe = path.join(dir, 'probe.cjs');
    const loaded = path.join(dir, 'loaded.json');
    await writeFile(probe, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(process.moduleLoadList)));\n`);
    const local = await runCli(['generate', dir], { env: ENV });
    const client = await runCli(['generate', dir, '--server', srv.url], { env: { ...ENV, NODE_OPTIONS: `--require ${probe}` } });
    assert.equal(client.code, 0, client.stderr);
    assert.doesNotMatch(client.stderr, /did not answer/);
    assert.equal(client.stdout, local.stdout);
    const modules = JSON.parse(await readFile(loaded, 'utf8')) as string[];
    assert.ok(modules.includes('NativeModule http'), 'the request went through node:http');
    assert.deepEqual(modules.filter((m) => /undici|fetch/.test(m)), []);
  });

  const clientCases: Array<[string, Record<string, string>, number]> = [
    ['a clean mesh (exit 0)', {}, 0],
    ['a forbidden kind (exit 1, nothing on stdout)', { 'filter.yaml': ENVOY_FILTER }, 1],
    ['an invalid intent (exit 2)', { 'mesh.yaml': 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: x}\nspec: {mode: Istio, istio: {revisions: [asm-1-28]}, colour: blue}\n' }, 2],
  ];
  for (const [name, extra, code] of clientCases) {
    it(`generate --server prints what a local generate prints: ${name}`, async () => {
      const dir = await tempSource('single-revision', extra);
      dirs.push(dir);
      const local = await runInProcess(['generate', dir], ENV);
      const remote = await runInProcess(['generate', dir, '--server', srv.url], ENV);
      assert.equal(local.code, code, local.stderr);
      assert.deepEqual(remote, local);
      if (code !== 0) assert.equal(remote.stdout, '');
    });
  }

  it('generate --server --output-dir writes the same files as a local run', async () => {
    const dir = await tempSource('single-revision');
    const out = await mkdtemp(path.join(os.tmpdir(), 'mp-server-out-'));
    dirs.push(dir, out);
    const local = await runInProcess(['generate', dir, '--output-dir', path.join(out, 'local')], ENV);
    const remote = await runInProcess(['generate', dir, '--output-dir', path.join(out, 'remote'), '--server', srv.url], ENV);
    assert.equal(remote.code, 0, remote.stderr);
    assert.equal(remote.stderr.replace(path.join(out, 'remote'), path.join(out, 'local')), local.stderr);
    const names = (await readdir(path.join(out, 'local'))).sort();
    assert.ok(names.length > 10);
    assert.deepEqual((await readdir(path.join(out, 'remote'))).sort(), names);
    for (const n of names) assert.equal(await readFile(path.join(out, 'remote', n), 'utf8'), await readFile(path.join(out, 'local', n), 'utf8'), n);
  });

  it('generate with MESHPLANE_SERVER unreachable renders in-process, says so on stderr, same stdout', async () => {
    const dir = await tempSource('single-revision');
    dirs.push(dir);
    const url = `http://127.0.0.1:${await freePort()}`;
    const local = await runInProcess(['generate', dir], ENV);
    const fallback = await runInProcess(['generate', dir], { ...ENV, MESHPLANE_SERVER: url });
    assert.equal(fallback.code, 0, fallback.stderr);
    assert.equal(fallback.stdout, local.stdout);
    const notice = `warning: the Meshplane server at ${url}/ did not answer (ECONNREFUSED); rendering in-process\n`;
    assert.equal(fallback.stderr, notice + local.stderr, 'one line says so; the rest is what a local run prints');
  });

  describe('generate through a server: the client bundle (dist/src/bundle/client.cjs)', () => {
    const DEBUG = { ...ENV, MESHPLANE_DEBUG: '1' };
    /** The debug lines of bin/meshplane and the engine, which only MESHPLANE_DEBUG prints. */
    const withoutDebug = (text: string): string => text.replace(/^debug: .*\n/gm, '');

    // Each case also names an Argo CD Application and gives a deprecated flag: the provenance line
    // and the parser's notice are held with the rest, and printed once whoever finishes.
    const INVALID_INTENT = { 'mesh.yaml': 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: x}\nspec: {mode: Istio, istio: {revisions: [asm-1-28]}, colour: blue}\n' };
    const cases: Array<[string, Record<string, string>, string[], number, RegExp]> = [
      ['a clean mesh (exit 0)', {}, [], 0, /^debug: client: answered by the server$/m],
      ['a forbidden kind (exit 1, nothing on stdout)', { 'filter.yaml': ENVOY_FILTER }, [], 1, /^debug: client: answered by the server$/m],
      ['an invalid intent: the server\'s input error, printed as the CLI\'s own (exit 2)', INVALID_INTENT, [], 2, /^debug: client: answered by the server$/m],
      ['a usage error before the server is asked (exit 2)', {}, ['--bogus'], 2, /^debug: client: stopped on an error before the server answered$/m],
      ['--help: the full CLI prints the help', {}, ['--help'], 0, /^debug: client: the full CLI runs the command$/m],
    ];
    for (const [name, extra, flags, code, debugLine] of cases) {
      it(`prints what the full CLI prints through the same server: ${name}`, async () => {
        const dir = await tempSource('single-revision', extra);
        dirs.push(dir);
        const args = ['generate', dir, '--server', srv.url, '--format', 'yaml', ...flags];
        const env = { ...DEBUG, ARGOCD_APP_NAME: 'shop' };
        const full = await runCli(args, { env: { ...env, MESHPLANE_BUNDLE: 'off' } });
        const client = await runCli(args, { env });
        assert.equal(client.code, code, client.stderr);
        assert.equal(client.stdout, full.stdout);
        assert.equal(withoutDebug(client.stderr), withoutDebug(full.stderr));
        // Printed once; not at all when the words do not parse (--bogus) or ask for help.
        assert.equal(withoutDebug(client.stderr).split('--format is deprecated').length - 1, flags.length === 0 ? 1 : 0);
        assert.doesNotMatch(full.stderr, /debug: client/, 'the unbundled CLI asks the server itself');
        assert.match(client.stderr, debugLine);
        if (!/full CLI/.test(debugLine.source)) assert.doesNotMatch(client.stderr, /debug: (start-ahead|engine)/, 'neither the start-ahead step nor the generate bundle ran');
        if (flags.includes('--help')) assert.match(client.stdout, /^meshplane generate: /);
        else if (code !== 0) assert.equal(client.stdout, '');
      });
    }

    it('an input error answered by the server is asked for once and printed as the CLI prints it', async () => {
      const dir = await tempSource('single-revision');
      dirs.push(dir);
      const refusing = await countingServer(400, { code: 'yaml-invalid', message: 'mesh.yaml is not valid YAML', details: [{ where: { file: 'mesh.yaml', line: 3, column: 1 }, message: 'a tab' }], hint: 'fix the YAML' });
      try {
        const { full, client } = await fullThenClient(refusing, ['generate', dir], { ...ENV, MESHPLANE_SERVER: refusing.url }, { ...DEBUG, MESHPLANE_SERVER: refusing.url });
        assert.equal(client.code, 2);
        assert.equal(client.stdout, '');
        assert.equal(withoutDebug(client.stderr), full.stderr);
        assert.match(full.stderr, /^error\[yaml-invalid\]: mesh\.yaml is not valid YAML\n {2}mesh\.yaml:3:1: a tab\n/);
      } finally {
        await refusing.close();
      }
    });

    it('a server that does not answer is asked once: the full CLI renders in-process with the same one-line warning', async () => {
      const dir = await tempSource('single-revision');
      dirs.push(dir);
      const busy = await countingServer(503);
      try {
        // A deprecated flag and an Application name: what the client held is dropped, and the full CLI prints it once.
        const args = ['generate', dir, '--format', 'yaml'];
        const env = { ...DEBUG, MESHPLANE_SERVER: busy.url, ARGOCD_APP_NAME: 'shop' };
        const { full, client } = await fullThenClient(busy, args, env, env);
        assert.equal(client.code, 0, client.stderr);
        assert.equal(client.stdout, full.stdout);
        assert.ok(client.stdout.length > 1000);
        assert.match(client.stderr, /^debug: client: the full CLI runs the command \(the server did not answer: HTTP 503 overloaded\)$/m);
        assert.equal(withoutDebug(client.stderr), withoutDebug(full.stderr));
        const shown = withoutDebug(client.stderr);
        for (const line of [`warning: the Meshplane server at ${busy.url}/ did not answer (HTTP 503 overloaded); rendering in-process\n`, '--format is deprecated', 'info: rendering Argo CD application "shop"']) {
          assert.equal(shown.split(line).length - 1, 1, `once: ${line}`);
        }
      } finally {
        await busy.close();
      }
    });

    it('bin/meshplane picks the client exactly when the start-ahead step\'s clientMode says client mode, and a generate the server answers never loads the step', async () => {
      const dir = await tempSource('single-revision');
      dirs.push(dir);
      // A port nothing listens on: a client hands over at once and the full CLI renders.
      const down = await countingServer(503);
      await down.close();
      const table: Array<[string[], Record<string, string>]> = [
        [['--server', down.url], {}],
        [[`--server=${down.url}`], {}],
        [[], { MESHPLANE_SERVER: down.url }],
        [[], { MESHPLANE_SERVER: '' }],
        [['--server-url', down.url], {}],
        [[], {}],
      ];
      for (const [flags, extraEnv] of table) {
        const args = ['generate', dir, ...flags];
        const r = await runCli(args, { env: { ...DEBUG, ...extraEnv } });
        const picked = /^debug: client: /m.test(r.stderr);
        // The child's environment: this process's, then the test's (as runCli merges them).
        const childEnv = { ...(process.env as Record<string, string>), ...DEBUG, ...extraEnv };
        assert.equal(picked, clientMode(args, childEnv), `${flags.join(' ')} ${JSON.stringify(extraEnv)}: ${r.stderr}`);
        if (!picked) continue;
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, /^debug: start-ahead skipped \(client mode\)$/m, 'after the hand-over the step runs, and starts nothing');
      }
      const probe = path.join(dir, 'required.cjs');
      const loaded = path.join(dir, 'required.json');
      await writeFile(probe, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify({ files: Object.keys(require.cache), modules: process.moduleLoadList })));\n`);
      const answered = await runCli(['generate', dir, '--server', srv.url], { env: { ...DEBUG, NODE_OPTIONS: `--require ${probe}` } });
      assert.match(answered.stderr, /^debug: client: answered by the server$/m);
      assert.match(answered.stderr, /^debug: client: code cache used$/m, 'the client bundle loaded with its code cache');
      const uncached = await runCli(['generate', dir, '--server', srv.url], { env: { ...DEBUG, MESHPLANE_CODE_CACHE: 'off' } });
      assert.match(uncached.stderr, /^debug: client: code cache not used$/m);
      assert.equal(uncached.stdout, answered.stdout);
      const seen = JSON.parse(await readFile(loaded, 'utf8')) as { files: string[]; modules: string[] };
      const files = seen.files.map((f) => path.relative(REPO_ROOT, f));
      assert.deepEqual(files.filter((f) => /start-ahead/.test(f)), [], 'the start-ahead step was not loaded');
      // The generate bundle's loader checks its build id with node:crypto; the client's cache is checked without it.
      assert.deepEqual(seen.modules.filter((m) => /crypto/.test(m)), [], 'node:crypto was not loaded: nor was the generate bundle');
    });

    it('an uncaught error while the client waits for the server ends the generate with status 2, though the server answered', async () => {
      const dir = await tempSource('single-revision');
      dirs.push(dir);
      // A bug is injected: a timer that throws fires while the request is in flight.
      const inject = path.join(dir, 'throw.cjs');
      await writeFile(inject, "setTimeout(() => { throw new Error('injected failure'); }, 0);\n");
      const r = await runCli(['generate', dir, '--server', srv.url], { env: { ...DEBUG, NODE_OPTIONS: `--require ${inject}` } });
      assert.match(r.stderr, /^debug: client: answered by the server$/m, 'the client finished the command');
      assert.match(r.stderr, /error\[internal\]: injected failure/);
      assert.equal(r.code, 2, r.stderr);
    });

    it('a client cache that cannot be written (the build-only MESHPLANE_CLIENT_CACHE_OUT) leaves the answered command as it is: printed once, asked once', async () => {
      const dir = await tempSource('single-revision');
      dirs.push(dir);
      const plain = await runCli(['generate', dir, '--server', srv.url], { env: DEBUG });
      const before = await (await fetch(`${srv.url}/metrics`)).text();
      const r = await runCli(['generate', dir, '--server', srv.url], { env: { ...DEBUG, MESHPLANE_CLIENT_CACHE_OUT: path.join(dir, 'no-such-folder', 'client.v8') } });
      const after = await (await fetch(`${srv.url}/metrics`)).text();
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, plain.stdout, 'the manifests once');
      assert.match(r.stderr, /^debug: client: answered by the server$/m);
      assert.doesNotMatch(r.stderr, /debug: (start-ahead|engine)/, 'the full CLI did not run it again');
      const renders = (text: string) => Number(/^meshplane_http_requests_total\{route="render",method="POST",status="200"\} (\d+)$/m.exec(text)?.[1] ?? 'NaN');
      assert.equal(renders(after) - renders(before), 1, 'the server was asked once');
    });

    it('--output-dir: the full CLI runs it (writing the files needs the YAML emitter)', async () => {
      const dir = await tempSource('single-revision');
      const out = await mkdtemp(path.join(os.tmpdir(), 'mp-client-out-'));
      dirs.push(dir, out);
      const written = await runCli(['generate', dir, '--server', srv.url, '--output-dir', path.join(out, 'o')], { env: DEBUG });
      assert.equal(written.code, 0, written.stderr);
      assert.doesNotMatch(written.stderr, /debug: client/, '--output-dir needs the YAML emitter: the full CLI runs it');
      assert.ok((await readdir(path.join(out, 'o'))).includes('kustomization.yaml'));
    });

    it('leaves out what a generate the server answers never runs: the YAML library, the template engine, the guardrails', async () => {
      const text = await readFile(path.join(REPO_ROOT, 'dist', 'src', 'bundle', 'client.cjs'), 'utf8');
      const generate = await readFile(path.join(REPO_ROOT, 'dist', 'src', 'bundle', 'generate.cjs'), 'utf8');
      // Each marker is a function the generate bundle defines (esbuild may add a digit to a name), so the check cannot pass by a rename alone.
      for (const marker of ['parseAllDocuments', 'composeCollection', 'nativeInputBundle', 'prepareGuardrails', 'objectToYaml']) {
        const defined = new RegExp(`function ${marker}\\d*\\(`);
        assert.match(generate, defined, `the generate bundle defines ${marker}`);
        assert.doesNotMatch(text, defined, `the client bundle defines no ${marker}`);
      }
      assert.ok(text.length < generate.length / 4, `the client bundle is ${text.length} bytes`);
    });
  });
});

/**
 * Runs `args` through the full CLI (unbundled, `fullEnv`), then through bin/meshplane's client
 * (`clientEnv`), both against `server`: each asks it exactly once (the client, and nothing after
 * it: a hand-over does not ask again).
 */
async function fullThenClient(server: { requests: () => number }, args: string[], fullEnv: Record<string, string>, clientEnv: Record<string, string>): Promise<{ full: CliResult; client: CliResult }> {
  const before = server.requests();
  const full = await runCli(args, { env: { ...fullEnv, MESHPLANE_BUNDLE: 'off' } });
  assert.equal(server.requests(), before + 1, 'the full CLI asked once');
  const client = await runCli(args, { env: clientEnv });
  assert.equal(server.requests(), before + 2, 'the client asked once, and nothing asked again');
  return { full, client };
}

/** A listener that answers every request with `status` and `error` and counts them (a server that cannot render, or refuses the source). */
async function countingServer(status: number, error: Record<string, unknown> = { code: 'overloaded', message: 'busy', details: [] }): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server = createHttpServer((req, res) => {
    requests += 1;
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error })));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests: () => requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('meshplane serve shutdown', () => {
  it('SIGTERM under load: the listener closes, accepted requests (running and queued) complete, exit 0; the token never reaches the logs', async () => {
    const token = 'acceptance-token-5f0c1d2e3a4b';
    const dir = await tempSource('single-revision');
    const tokenFile = path.join(dir, 'token');
    await writeFile(tokenFile, `${token}\n`);
    const srv = await spawnServe(['--max-concurrent', '1', '--token-file', tokenFile]);
    try {
      const refused = await fetch(`${srv.url}/v1/render`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(refused.status, 401);
      const files = await filesOf(dir);
      // Distinct mesh names: distinct jsonnet inputs, so each request really renders.
      const bodies = [1, 2].map((i) => ({ files: { ...files, 'mesh.yaml': (files['mesh.yaml'] ?? '').replace(/name: \S+/, `name: drain-${i}`) }, env: ENV }));
      const requests = bodies.map((b) => post(srv.url, b, token));
      const deadline = Date.now() + 20_000;
      while (!/meshplane_renders_queued 1/.test(await (await fetch(`${srv.url}/metrics`)).text())) {
        assert.ok(Date.now() < deadline, 'one render running, one queued');
        await new Promise((r) => setTimeout(r, 5));
      }
      srv.child.kill('SIGTERM');
      const answers = await Promise.all(requests);
      for (const [i, a] of answers.entries()) {
        assert.equal(a.status, 200, a.text.slice(0, 500));
        assert.match(a.text, new RegExp(`meshplane.io/mesh: drain-${i + 1}`));
      }
      assert.deepEqual(await srv.exited, { code: 0, signal: null });
      const logs = srv.stderr().split('\n').map(parseLine).filter((l) => l !== undefined);
      const drain = logs.find((l) => l.msg === 'shutting down: finishing requests in flight');
      assert.ok(drain && Number(drain.inFlight) >= 1, 'SIGTERM arrived while requests were in flight');
      assert.ok(logs.some((l) => l.msg === 'stopped'));
      await assert.rejects(fetch(`${srv.url}/healthz`), 'nothing listens any more');
      assert.ok(!srv.stderr().includes(token), 'the token is not in the logs');
    } finally {
      srv.child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to listen beyond loopback without a token (exit 2, nothing bound)', async () => {
    const r = await runCli(['serve', '--host', '0.0.0.0', '--port', '0'], { env: { MESHPLANE_TOKEN: undefined }, timeoutMs: 20_000 });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error\[usage\]: meshplane serve: refusing to listen on 0\.0\.0\.0 without a token/);
    assert.equal(r.stdout, '');
  });
});
