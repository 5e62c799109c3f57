/**
 * Acceptance: `meshplane post-render` driven the way Helm 3 drives a post-renderer
 * (test/helpers/helm-exec.ts reproduces its exec contract). Issue 7's "Must show" points:
 * clean output passes through (byte for byte when canonical), each forbidden kind fails closed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { BIN, REPO_ROOT } from '../helpers/cli.js';
import { assertGolden } from '../helpers/golden-file.js';
import { helmPostRender } from '../helpers/helm-exec.js';

const INTENT = path.join(REPO_ROOT, 'test', 'cases', 'diff', 'canary', 'mesh.yaml');
const HELM_OUTPUT = readFileSync(path.join(REPO_ROOT, 'test', 'cases', 'post-render', 'helm-output.yaml'), 'utf8');
const CANONICAL = 'test/golden/post-render/helm-output.yaml';
/** `--post-renderer-args` as a Helm user passes them; a fixed clock keeps end-of-life warnings stable. */
const ARGS = ['post-render', `--intent=${INTENT}`, '--now=2026-01-01'];
const ENV = { ...process.env, KUBE_VERSION: undefined, MESHPLANE_INTENT: undefined };

const objects = (text: string): unknown[] => parseAllDocuments(text).map((d) => d.toJS());

describe('post-render through Helm\'s exec contract', () => {
  it('turns Helm output into the same objects in canonical YAML, keeping Helm 4\'s filename annotation', async () => {
    const r = await helmPostRender(BIN, ARGS, HELM_OUTPUT, { env: ENV, helm4: true });
    assert.ok(r.ok, r.ok ? '' : r.error);
    assertGolden(CANONICAL, r.manifests);
    const out = objects(r.manifests) as Array<{ kind: string; metadata: { annotations?: Record<string, string> } }>;
    assert.deepEqual(out.map((o) => o.kind), ['Namespace', 'Service', 'Deployment', 'ConfigMap'], 'stream order kept, the List unwrapped');
    for (const o of out) assert.match(o.metadata.annotations?.['postrenderer.helm.sh/postrender-filename'] ?? '', /^shop\/templates\//);
    const input = objects(HELM_OUTPUT) as Array<{ kind: string; items?: unknown[] }>;
    assert.deepEqual(out, input.flatMap((o) => (o.kind === 'List' ? (o.items ?? []) : [o])), 'nothing but the representation changed');
  });

  it('passes canonical input through byte for byte', async () => {
    const canonical = readFileSync(path.join(REPO_ROOT, CANONICAL), 'utf8');
    const r = await helmPostRender(BIN, ARGS, canonical, { env: ENV });
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.manifests, canonical);
  });

  it('labels namespaces with --label-revision, leaving an explicit label alone', async () => {
    const stream = `${HELM_OUTPUT}\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop-extra\n`;
    const r = await helmPostRender(BIN, [...ARGS, '--label-revision=prod-canary'], stream, { env: ENV });
    assert.ok(r.ok, r.ok ? '' : r.error);
    const ns = (objects(r.manifests) as Array<{ kind: string; metadata: { name: string; labels?: Record<string, string> } }>).filter((o) => o.kind === 'Namespace');
    assert.deepEqual(ns.map((o) => [o.metadata.name, o.metadata.labels?.['istio.io/rev']]), [['shop', 'prod-stable'], ['shop-extra', 'prod-canary']]);
  });

  it('fails closed when --label-revision names no installed revision or tag', async () => {
    const r = await helmPostRender(BIN, [...ARGS, '--label-revision=asm-9-99'], `${HELM_OUTPUT}\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop-extra\n`, { env: ENV });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /error\[injection-revision-missing\]: <stdin>:\d+:\d+: core\/Namespace\/_cluster\/shop-extra: istio\.io\/rev is "asm-9-99"/);
  });

  it('reads the intent from MESHPLANE_INTENT (Helm before 3.10 cannot pass arguments)', async () => {
    const r = await helmPostRender(BIN, ['post-render', '--now=2026-01-01'], HELM_OUTPUT, { env: { ...ENV, MESHPLANE_INTENT: INTENT } });
    assert.ok(r.ok, r.ok ? '' : r.error);
  });

  it('fails closed without a mesh context, saying how to give one', async () => {
    const r = await helmPostRender(BIN, ['post-render'], HELM_OUTPUT, { env: ENV });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /^error while running command .*meshplane\. error output:\nerror\[usage\].*\n {2}fix: pass --intent/);
  });
});

describe('the Helm 4 post-renderer plugin (deploy/helm/meshplane-postrenderer)', () => {
  const pluginFile = path.join(REPO_ROOT, 'deploy', 'helm', 'meshplane-postrenderer', 'plugin.yaml');
  const plugin = parse(readFileSync(pluginFile, 'utf8')) as { apiVersion: string; type: string; name: string; runtime: string; runtimeConfig: { platformCommand: Array<{ command: string; args: string[] }> } };

  it('is a postrenderer/v1 plugin of the subprocess runtime that runs `meshplane post-render`', () => {
    assert.equal(plugin.apiVersion, 'v1');
    assert.equal(plugin.type, 'postrenderer/v1');
    assert.equal(plugin.name, path.basename(path.dirname(pluginFile)));
    assert.equal(plugin.runtime, 'subprocess');
    assert.deepEqual(plugin.runtimeConfig.platformCommand, [{ command: 'meshplane', args: ['post-render'] }]);
  });

  it('works the way Helm 4 runs it: platform command + args + --post-renderer-args, non-empty output', async () => {
    const [cmd] = plugin.runtimeConfig.platformCommand;
    // `meshplane` is resolved on PATH by Helm; here it is this checkout's bin/meshplane.
    const r = await helmPostRender(cmd?.command === 'meshplane' ? BIN : String(cmd?.command), [...(cmd?.args ?? []), `--intent=${INTENT}`, '--now=2026-01-01'], HELM_OUTPUT, { env: ENV, helm4: true });
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.manifests, readFileSync(path.join(REPO_ROOT, CANONICAL), 'utf8'));
  });
});

describe('post-render fails closed on each forbidden kind', () => {
  const forbidden: Array<[string, string]> = [
    ['networking.istio.io/v1alpha3', 'EnvoyFilter'],
    ['networking.istio.io/v1beta1', 'ProxyConfig'],
    ['networking.istio.io/v1', 'WorkloadEntry'],
    ['networking.istio.io/v1', 'WorkloadGroup'],
    ['telemetry.istio.io/v1', 'Telemetry'],
    ['install.istio.io/v1alpha1', 'IstioOperator'],
    ['extensions.istio.io/v1alpha1', 'WasmPlugin'],
  ];
  for (const [apiVersion, kind] of forbidden) {
    it(`${kind}: non-zero exit, nothing on stdout, the rule and the document's position on stderr`, async () => {
      const doc = `---\n# Source: shop/templates/extra.yaml\napiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: extra\n  namespace: shop\nspec: {}\n`;
      const stream = HELM_OUTPUT + doc;
      const r = await helmPostRender(BIN, ARGS, stream, { env: ENV });
      assert.equal(r.ok, false, `${kind} got through`);
      const error = r.ok ? '' : r.error;
      assert.ok(error.startsWith(`error while running command ${BIN}. error output:\n`));
      const line = stream.split('\n').indexOf(`apiVersion: ${apiVersion}`, HELM_OUTPUT.split('\n').length - 1) + 1;
      assert.match(error, new RegExp(`error\\[forbidden-kind\\]: <stdin>:${line}:1: [a-z.]+/${kind}/shop/extra: `));
    });
  }
});

describe('post-render bounds the time stdin may stay open', () => {
  it('a writer that never closes the pipe: exit 2, input-timeout on stderr, empty stdout', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [BIN, ...ARGS], { env: { ...ENV, MESHPLANE_STDIN_TIMEOUT_SECONDS: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    // Half a release and then silence: the pipe stays open until the child gives up.
    child.stdin.write(HELM_OUTPUT.slice(0, 200));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    child.stdin.destroy();
    assert.equal(code, 2, stderr);
    assert.equal(stdout, '');
    assert.match(stderr, /error\[input-timeout\]: stdin did not end within 1 s/);
    assert.match(stderr, /MESHPLANE_STDIN_TIMEOUT_SECONDS/);
  });
  it('an invalid MESHPLANE_STDIN_TIMEOUT_SECONDS is a usage error (exit 2, empty stdout)', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, [BIN, ...ARGS], { env: { ...ENV, MESHPLANE_STDIN_TIMEOUT_SECONDS: 'soon' }, input: HELM_OUTPUT, encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /MESHPLANE_STDIN_TIMEOUT_SECONDS="soon" is not a positive number/);
  });
});
