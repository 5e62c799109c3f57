/**
 * The README's exit-code contract, cell by cell: the table under "### Exit codes" says, per
 * command, what stdout holds on exit 0, 1 and 2. Each cell is run here: "nothing…" means stdout
 * must be empty, "never exits 1" means no input makes the command exit 1 (so none is listed),
 * anything else means the run must print that output (checked for its shape). A command added to
 * the CLI without a row, or a row without runs, fails the test.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { COMMAND_TABLE } from '../../src/cli/commands/table.js';
import { BIN, REPO_ROOT, runCli, type CliResult } from '../helpers/cli.js';
import type { KubeObj } from '../fake-apiserver/cluster.js';
import { startScenario, writeKubeconfig } from '../fake-apiserver/harness.js';
import { startFakeApiServer } from '../fake-apiserver/server.js';

type Code = 0 | 1 | 2;
type Cell = { empty: boolean } | { never: true };

/** The README table as {command → code → cell}. */
async function readmeTable(): Promise<Map<string, Record<Code, Cell>>> {
  const text = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = text.slice(text.indexOf('### Exit codes'), text.indexOf('\n## ', text.indexOf('### Exit codes')));
  const rows = section.split('\n').filter((l) => /^\| `[a-z-]+` \|/.test(l));
  const cell = (t: string): Cell => (/^never exits/.test(t) ? { never: true } : { empty: /^nothing\b/.test(t) });
  return new Map(rows.map((r) => {
    const [name, c0, c1, c2] = r.split(' | ').map((c) => c.replace(/^\| |\|$/g, '').trim());
    return [name!.replace(/`/g, ''), { 0: cell(c0!), 1: cell(c1!), 2: cell(c2!) }];
  }));
}

const NOW = ['--now', '2026-06-15'];
const CLEAN = path.join(REPO_ROOT, 'examples', 'single-revision');
const CANARY = path.join(REPO_ROOT, 'examples', 'canary');
const FINDINGS = path.join(REPO_ROOT, 'test', 'cases', 'check', 'exceptions');
const MISSING = path.join(REPO_ROOT, 'test', 'no-such-folder');
/** A mesh naming a revision the catalog does not know: nothing can be rendered, so exit 2. */
const UNKNOWN_REVISION = path.join(REPO_ROOT, 'test', 'cases', 'cli', 'unknown-revision');
const HELM = path.join(REPO_ROOT, 'test', 'cases', 'post-render', 'helm-output.yaml');
/** The intent test/cases/post-render/helm-output.yaml was written for (its revision labels). */
const HELM_INTENT = path.join(REPO_ROOT, 'test', 'cases', 'diff', 'canary', 'mesh.yaml');
const ENVOY_FILTER = 'apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata: {name: f, namespace: shop}\nspec: {}\n';

/** Objects in a YAML stream (each with apiVersion and kind), for "the manifests" cells. */
function manifests(stdout: string): unknown[] {
  const docs = parseAllDocuments(stdout).map((d) => d.toJS() as { apiVersion?: string; kind?: string } | null).filter((d) => d !== null);
  for (const d of docs) assert.ok(d.apiVersion && d.kind, 'every document is a Kubernetes object');
  return docs;
}

/** `meshplane serve` until it logs "listening", then SIGTERM: its exit code and stdout. */
function serveAndStop(): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['serve', '--port', '0', '--insecure-allow-unauthenticated'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let asked = false;
    const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      const port = /"port":(\d+)[^\n]*"msg":"listening"/.exec(stderr)?.[1];
      // One HTTP round trip first: the stop-signal handlers are installed once startServer has
      // resolved, which is after "listening" is logged; an answered request proves the loop moved on.
      if (port && !asked) {
        asked = true;
        void fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined).finally(() => child.kill('SIGTERM'));
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(kill);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** `upgrade status --gate complete` against a fake cluster mid-way through examples/waves' upgrade. */
async function upgradeStatusMidWave(): Promise<CliResult> {
  const fixture = parse(await readFile(path.join(REPO_ROOT, 'test', 'cases', 'upgrade-status', 'mid-wave.yaml'), 'utf8')) as { version: string; objects: KubeObj[] };
  const server = await startFakeApiServer({ gitVersion: fixture.version, objects: fixture.objects }, { token: 'exit-codes' });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-exit-status-'));
  try {
    const kubeconfig = await writeKubeconfig(server.url, 'exit-codes', server.caPem);
    const mesh = (await readFile(path.join(REPO_ROOT, 'examples', 'waves', 'mesh.yaml'), 'utf8'))
      .replace('revisions: [asm-1-28]', 'revisions: [asm-1-28, asm-1-29]').replace('wave-early: asm-1-28', 'wave-early: asm-1-29').replace('wave-main: asm-1-28', 'wave-main: asm-1-29');
    await writeFile(path.join(dir, 'mesh.yaml'), mesh);
    return await runCli(['upgrade', 'status', dir, '--kubeconfig', kubeconfig, '--gate', 'complete']);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs per command and code; `shape` checks a non-empty stdout. */
const RUNS: Record<string, Partial<Record<Code, { run: () => Promise<CliResult>; shape?: (stdout: string) => void }>>> = {
  generate: {
    0: { run: () => runCli(['generate', CLEAN, ...NOW]), shape: (o) => assert.ok(manifests(o).length > 5) },
    1: { run: () => runCli(['generate', FINDINGS, ...NOW]) },
    2: { run: () => runCli(['generate', MISSING, ...NOW]) },
  },
  check: {
    0: { run: () => runCli(['check', CLEAN, ...NOW]), shape: (o) => assert.match(o, /rules: /) },
    1: { run: () => runCli(['check', FINDINGS, ...NOW]), shape: (o) => assert.match(o, /^error\[/m) },
    2: { run: () => runCli(['check', UNKNOWN_REVISION, ...NOW]) },
  },
  diff: {
    0: { run: () => runCli(['diff', '--base', CLEAN, '--head', CLEAN, ...NOW, '--output', 'json']), shape: (o) => assert.ok(JSON.parse(o)) },
    1: { run: () => runCli(['diff', '--base', CLEAN, '--head', CANARY, ...NOW, '--output', 'json']), shape: (o) => assert.ok(JSON.parse(o)) },
    2: { run: () => runCli(['diff', '--head', CLEAN, ...NOW]) },
  },
  'post-render': {
    0: { run: async () => runCli(['post-render', `--intent=${HELM_INTENT}`, ...NOW], { input: await readFile(HELM, 'utf8') }), shape: (o) => assert.ok(manifests(o).length > 0) },
    1: { run: () => runCli(['post-render', `--intent=${path.join(CLEAN, 'mesh.yaml')}`, ...NOW], { input: ENVOY_FILTER }) },
    2: { run: () => runCli(['post-render', ...NOW], { input: ENVOY_FILTER }) },
  },
  upgrade: {
    0: { run: () => runCli(['upgrade', 'plan', CLEAN, ...NOW]), shape: (o) => assert.ok(o.trim().length > 0) },
    1: { run: () => upgradeStatusMidWave(), shape: (o) => assert.match(o, /safe to complete: no/) },
    2: { run: () => runCli(['upgrade', 'start', 'not-a-revision', CLEAN]) },
  },
  fleet: {
    // The examples folder holds three clusters; on 2026-08-01 none is past end of life and none fails.
    0: { run: () => runCli(['fleet', path.join(REPO_ROOT, 'examples'), '--now', '2026-08-01', '--output', 'json']), shape: (o) => assert.equal((JSON.parse(o) as { clusters: unknown[] }).clusters.length, readdirSync(path.join(REPO_ROOT, 'examples'), { withFileTypes: true }).filter((d) => d.isDirectory()).length) },
    1: { run: () => runCli(['fleet', path.dirname(FINDINGS), ...NOW]), shape: (o) => assert.match(o, /^exceptions: failing$/m) },
    2: { run: () => runCli(['fleet', MISSING, ...NOW]) },
  },
  lock: {
    0: { run: () => runCli(['lock', path.join(REPO_ROOT, 'test', 'cases', 'lock', 'locked'), '--check']) },
    1: { run: () => runCli(['lock', CLEAN, '--check']) },
    2: { run: () => runCli(['lock', MISSING]) },
  },
  import: {
    0: { run: () => runCli(['import', '--aks', path.join(REPO_ROOT, 'test', 'cases', 'import', 'aks-show-cli.json')]), shape: (o) => assert.match(o, /kind: ServiceMesh/) },
    2: { run: () => runCli(['import']) },
  },
  images: {
    0: { run: () => runCli(['images', CLEAN]), shape: (o) => assert.match(o, /^(\S+\n)+$/) },
    2: { run: () => runCli(['images', MISSING]) },
  },
  parameters: {
    0: { run: () => runCli(['parameters', CLEAN]), shape: (o) => assert.ok(Array.isArray(JSON.parse(o))) },
    2: { run: () => runCli(['parameters', MISSING]) },
  },
  preflight: {
    0: { run: () => preflightScenario('clean'), shape: (o) => assert.ok(o.trim().length > 0) },
    1: { run: () => preflightScenario('osm'), shape: (o) => assert.match(o, /preflight-osm-installed/) },
    2: { run: () => runCli(['preflight', CLEAN, '--kubeconfig', MISSING], { env: { KUBECONFIG: undefined, HOME: '/nonexistent', KUBERNETES_SERVICE_HOST: undefined } }) },
  },
  completion: {
    0: { run: () => runCli(['completion', 'bash']), shape: (o) => assert.match(o, /complete -F _meshplane meshplane/) },
    2: { run: () => runCli(['completion', 'tcsh']) },
  },
  version: {
    0: { run: () => runCli(['version', '-o', 'json']), shape: (o) => assert.equal(typeof (JSON.parse(o) as { version: unknown }).version, 'string') },
    2: { run: () => runCli(['version', '-o', 'yaml']) },
  },
  help: {
    0: { run: () => runCli(['help', 'generate']), shape: (o) => assert.match(o, /^Usage:$/m) },
    2: { run: () => runCli(['help', 'gen']) },
  },
  serve: {
    0: { run: serveAndStop },
    2: { run: () => runCli(['serve', '--port', 'nope']) },
  },
};

async function preflightScenario(name: string): Promise<CliResult> {
  const s = await startScenario(name);
  try {
    return await runCli(['preflight', s.dir, '--kubeconfig', s.kubeconfig], { env: { KUBECONFIG: undefined, HOME: '/nonexistent', KUBERNETES_SERVICE_HOST: undefined } });
  } finally {
    await s.close();
    await rm(s.dir, { recursive: true, force: true });
  }
}

describe('README exit-code contract', () => {
  it('has one row per CLI command', async () => {
    const table = await readmeTable();
    assert.deepEqual([...table.keys()].sort(), COMMAND_TABLE.map((c) => c.name).sort());
    assert.deepEqual(Object.keys(RUNS).sort(), [...table.keys()].sort());
  });

  for (const [command, runs] of Object.entries(RUNS)) {
    for (const code of [0, 1, 2] as const) {
      it(`${command}: exit ${code}`, async () => {
        const cell = (await readmeTable()).get(command)?.[code];
        assert.ok(cell, `README row for ${command}`);
        const r = runs[code];
        if ('never' in cell) return assert.equal(r, undefined, `the README says ${command} never exits ${code}, but a run is listed`);
        assert.ok(r, `a run for ${command} exit ${code}`);
        const res = await r.run();
        assert.equal(res.code, code, `${command}: stderr: ${res.stderr.slice(0, 600)}`);
        if (cell.empty) assert.equal(res.stdout, '', `${command} exit ${code}: stdout must be empty`);
        else {
          assert.notEqual(res.stdout, '', `${command} exit ${code}: stdout holds the output`);
          r.shape?.(res.stdout);
        }
        assert.doesNotMatch(res.stderr, /\n\s+at .+\(.+:\d+:\d+\)/, 'no stack trace');
      });
    }
  }
});

