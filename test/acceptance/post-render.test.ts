/**
 * Acceptance: `meshplane post-render` driven the way Helm drives a post-renderer
 * (test/helpers/helm-exec.ts reproduces Helm 3's exec contract and Helm 4's plugin runtime).
 * Issue 7's "Must show" points: clean output passes through (byte for byte when canonical), each
 * forbidden kind fails closed; and what Helm users see: the template of each finding, Helm 3's
 * `# Source:` lines kept for `helm template --show-only`, the findings under Helm 4 (report file).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { BIN, REPO_ROOT, runCli } from '../helpers/cli.js';
import { assertGolden } from '../helpers/golden-file.js';
import { helm4FilesOf, helm4PostRender, helmPostRender } from '../helpers/helm-exec.js';

const INTENT = path.join(REPO_ROOT, 'test', 'cases', 'diff', 'canary', 'mesh.yaml');
const HELM_OUTPUT = readFileSync(path.join(REPO_ROOT, 'test', 'cases', 'post-render', 'helm-output.yaml'), 'utf8');
/** What Helm 4 sends its post-renderer plugin: no `# Source:` lines, the filename annotation on every object. */
const HELM4_OUTPUT = readFileSync(path.join(REPO_ROOT, 'test', 'cases', 'post-render', 'helm4-output.yaml'), 'utf8');
const CANONICAL = 'test/golden/post-render/helm-output.yaml';
/** `--post-renderer-args` as a Helm user passes them; a fixed clock keeps end-of-life warnings stable. */
const ARGS = ['post-render', `--intent=${INTENT}`, '--now=2026-01-01'];
const ENV = { ...process.env, KUBE_VERSION: undefined, MESHPLANE_INTENT: undefined, MESHPLANE_REPORT_FILE: undefined };

const objects = (text: string): unknown[] => parseAllDocuments(text).map((d) => d.toJS());

describe('post-render through Helm\'s exec contract', () => {
  it('turns Helm output into the same objects in canonical YAML, keeping Helm 4\'s filename annotation', async () => {
    const r = await helmPostRender(BIN, ARGS, HELM_OUTPUT, { env: ENV });
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
    // The flag is named, not the Namespace it would have labelled: the chart did not write that label.
    assert.match(r.ok ? '' : r.error, /error\[usage\]: meshplane post-render: --label-revision asm-9-99 is neither a revision the mesh installs nor one of its tags \(asm-1-27, asm-1-28, prod-canary, prod-stable\)/);
    assert.doesNotMatch(r.ok ? '' : r.error, /injection-revision-missing/);
  });

  it('reads the intent from MESHPLANE_INTENT (Helm before 3.9.0 cannot pass arguments)', async () => {
    const r = await helmPostRender(BIN, ['post-render', '--now=2026-01-01'], HELM_OUTPUT, { env: { ...ENV, MESHPLANE_INTENT: INTENT } });
    assert.ok(r.ok, r.ok ? '' : r.error);
  });

  it('fails closed without a mesh context, saying how to give one', async () => {
    const r = await helmPostRender(BIN, ['post-render'], HELM_OUTPUT, { env: ENV });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /^error while running command .*meshplane\. error output:\nerror\[usage\].*\n {2}fix: pass --intent/);
  });
});

/** A folder on PATH that holds `meshplane` (this checkout's bin/meshplane), as a user's PATH would. */
function pathWithMeshplane(dir: string): string {
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  symlinkSync(BIN, path.join(bin, 'meshplane'));
  return `${bin}${path.delimiter}${process.env.PATH ?? ''}`;
}

/** A stream with one forbidden kind, as Helm 3 sends it (`# Source:` line) or as Helm 4 does (annotation only). */
function withEnvoyFilter(stream: string, helm: 3 | 4): { stream: string; line: number } {
  const head = helm === 3 ? '---\n# Source: shop/templates/extra.yaml\n' : '---\n';
  const annotations = helm === 4 ? '  annotations:\n    postrenderer.helm.sh/postrender-filename: shop/templates/extra.yaml\n' : '';
  const text = `${stream}${head}apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata:\n  name: extra\n  namespace: shop\n${annotations}spec: {}\n`;
  return { stream: text, line: text.split('\n').lastIndexOf('apiVersion: networking.istio.io/v1alpha3') + 1 };
}

describe('the Helm 4 post-renderer plugin (deploy/helm/meshplane-postrenderer)', () => {
  const pluginDir = path.join(REPO_ROOT, 'deploy', 'helm', 'meshplane-postrenderer');
  const plugin = parse(readFileSync(path.join(pluginDir, 'plugin.yaml'), 'utf8')) as { apiVersion: string; type: string; name: string; runtime: string; runtimeConfig: { platformCommand: Array<{ command: string; args: string[] }> } };
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'meshplane-helm4-'));
    env = { ...ENV, PATH: pathWithMeshplane(dir) };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is a postrenderer/v1 plugin of the subprocess runtime that runs `meshplane post-render`', () => {
    assert.equal(plugin.apiVersion, 'v1');
    assert.equal(plugin.type, 'postrenderer/v1');
    assert.equal(plugin.name, path.basename(pluginDir));
    assert.equal(plugin.runtime, 'subprocess');
    assert.deepEqual(plugin.runtimeConfig.platformCommand, [{ command: 'meshplane', args: ['post-render'] }]);
  });

  it('works the way Helm 4 runs it: platform command + args + --post-renderer-args, non-empty output, the annotation kept', async () => {
    const r = await helm4PostRender(pluginDir, [`--intent=${INTENT}`, '--now=2026-01-01'], HELM4_OUTPUT, { env });
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.doesNotMatch(r.manifests, /# Source:/, 'Helm 4 sent no # Source: lines, so none are written');
    const out = objects(r.manifests) as Array<{ kind: string; metadata: { annotations?: Record<string, string> } }>;
    assert.deepEqual(out.map((o) => o.metadata.annotations?.['postrenderer.helm.sh/postrender-filename']), ['namespace', 'service', 'deployment'].map((t) => `shop/templates/${t}.yaml`));
  });

  it('a List Helm 4 sends whole (annotated on the List only) comes back with each item filed under the List\'s template', async () => {
    // helm v4.0.0 to v4.1.x annotateAndMerge parse a template file's whole output with kyaml, which
    // unwraps a `kind: List` only when it is the file's one document; no Helm 4 unwraps a typed List
    // (kyaml v0.20.1 / v0.21.1 kio/byteio_reader.go). Either way the List alone carries the annotation.
    const list = (kind: string, file: string, names: string[]) => `---\napiVersion: v1\nkind: ${kind}\nmetadata:\n  annotations:\n    postrenderer.helm.sh/postrender-filename: ${file}\nitems:\n${names.map((n) => `  - {apiVersion: v1, kind: ConfigMap, metadata: {name: ${n}, namespace: shop}}\n`).join('')}`;
    const own = '  - {apiVersion: v1, kind: ConfigMap, metadata: {name: own, namespace: shop, annotations: {postrenderer.helm.sh/postrender-filename: shop/templates/own.yaml}}}\n';
    const stream = `${HELM4_OUTPUT}${list('List', 'shop/templates/lists.yaml', ['l1', 'l2'])}${own}${list('ConfigMapList', 'shop/templates/typed.yaml', ['t1'])}`;
    const r = await helm4PostRender(pluginDir, [`--intent=${INTENT}`, '--now=2026-01-01'], stream, { env });
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.deepEqual(helm4FilesOf(r.manifests).slice(3), [
      ['ConfigMap/l1', 'shop/templates/lists.yaml'],
      ['ConfigMap/l2', 'shop/templates/lists.yaml'],
      ['ConfigMap/own', 'shop/templates/own.yaml'],
      ['ConfigMap/t1', 'shop/templates/typed.yaml'],
    ]);
  });

  it('a failure shows only `plugin … exited with error` in Helm 4: the findings are not in Helm\'s error', async () => {
    const { stream } = withEnvoyFilter(HELM4_OUTPUT, 4);
    const r = await helm4PostRender(pluginDir, [`--intent=${INTENT}`, '--now=2026-01-01'], stream, { env });
    assert.equal(r.ok, false);
    assert.equal(r.ok ? '' : r.error, 'error while running post render on files: failed to invoke post-renderer plugin "meshplane-postrenderer": plugin "meshplane-postrenderer" exited with error');
  });

  it('following docs/post-render.md (MESHPLANE_REPORT_FILE), a Helm 4 user gets the findings, each naming its template', async () => {
    const docs = readFileSync(path.join(REPO_ROOT, 'docs', 'post-render.md'), 'utf8');
    const block = /```sh\n(# Helm 4[^\n]*\n[\s\S]*?)```/.exec(docs)?.[1] ?? '';
    const reportVar = /^export (MESHPLANE_REPORT_FILE)=(\S+)$/m.exec(block);
    assert.ok(reportVar, 'the Helm 4 example of docs/post-render.md sets MESHPLANE_REPORT_FILE');
    assert.match(block, /--post-renderer meshplane-postrenderer\b/);
    const userArgs = [...block.matchAll(/--post-renderer-args=(\S+)/g)].map((m) => m[1] as string);
    assert.ok(userArgs.length > 0, 'the example passes --post-renderer-args');
    // The user's working directory: the intent where the example says it is.
    const cwd = mkdtempSync(path.join(dir, 'work-'));
    const intentArg = userArgs.find((a) => a.startsWith('--intent=')) ?? '';
    mkdirSync(path.dirname(path.join(cwd, intentArg.slice('--intent='.length))), { recursive: true });
    symlinkSync(INTENT, path.join(cwd, intentArg.slice('--intent='.length)));
    const report = path.join(cwd, String(reportVar?.[2]).replace(/^"|"$/g, '').replace(/^\$PWD\//, ''));
    const { stream, line } = withEnvoyFilter(HELM4_OUTPUT, 4);
    const r = await helm4PostRender(pluginDir, [...userArgs, '--now=2026-01-01'], stream, { env: { ...env, MESHPLANE_REPORT_FILE: report }, cwd });
    assert.equal(r.ok, false);
    const text = readFileSync(report, 'utf8');
    assert.match(text, /^meshplane post-render: exit 1 \(guardrail violations: nothing was passed on\)\n/);
    assert.match(text, new RegExp(`error\\[forbidden-kind\\]: <stdin>:${line}:1 \\(shop/templates/extra\\.yaml\\): networking\\.istio\\.io/EnvoyFilter/shop/extra: `));
  });
});

describe('post-render fails closed on each forbidden kind, naming the template', () => {
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
    it(`${kind}: non-zero exit, nothing on stdout, the rule, the document's position and its template on stderr`, async () => {
      const doc = `---\n# Source: shop/templates/extra.yaml\napiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: extra\n  namespace: shop\nspec: {}\n`;
      const stream = HELM_OUTPUT + doc;
      const r = await helmPostRender(BIN, ARGS, stream, { env: ENV });
      assert.equal(r.ok, false, `${kind} got through`);
      const error = r.ok ? '' : r.error;
      assert.ok(error.startsWith(`error while running command ${BIN}. error output:\n`));
      const line = stream.split('\n').indexOf(`apiVersion: ${apiVersion}`, HELM_OUTPUT.split('\n').length - 1) + 1;
      assert.match(error, new RegExp(`error\\[forbidden-kind\\]: <stdin>:${line}:1 \\(shop/templates/extra\\.yaml\\): [a-z.]+/${kind}/shop/extra: `));
    });
  }

  it('Helm 4\'s annotation names the template when there is no # Source: line', async () => {
    const { stream, line } = withEnvoyFilter(HELM4_OUTPUT, 4);
    const r = await helmPostRender(BIN, ARGS, stream, { env: ENV });
    assert.match(r.ok ? '' : r.error, new RegExp(`error\\[forbidden-kind\\]: <stdin>:${line}:1 \\(shop/templates/extra\\.yaml\\): `));
  });
});

/**
 * `helm template --show-only <path>` as Helm 3 does it on the post-rendered manifest (helm v3.21.4
 * cmd/helm/template.go): split the stream into documents with releaseutil.SplitManifests' separator,
 * take the first `# Source: <chart>/<path>` of each document, keep those whose path matches
 * (filepath.Match; these tests use plain paths), and fail when none does.
 */
function showOnly(manifest: string, wanted: string): string[] {
  const docs = manifest.trim().split(/(?:^|\s*\n)---\s*/).filter((d) => d !== '').map((d) => d.trim());
  const found = docs.filter((d) => /# Source: [^/]+\/(.+)/.exec(d)?.[1] === wanted);
  if (found.length === 0) throw new Error(`could not find template ${wanted} in chart`);
  return found;
}

describe('Helm 3\'s # Source: lines survive post-render', () => {
  it('`helm template --show-only` finds each template in the post-rendered output (List items keep their List\'s)', async () => {
    const r = await helmPostRender(BIN, ARGS, HELM_OUTPUT, { env: ENV });
    assert.ok(r.ok, r.ok ? '' : r.error);
    const kinds = (t: string) => showOnly(r.manifests, t).map((d) => (parse(d) as { kind: string }).kind);
    assert.deepEqual(kinds('templates/namespace.yaml'), ['Namespace']);
    assert.deepEqual(kinds('templates/service.yaml'), ['Service']);
    assert.deepEqual(kinds('templates/deployment.yaml'), ['Deployment']);
    assert.deepEqual(kinds('templates/config.yaml'), ['ConfigMap']);
    assert.throws(() => showOnly(r.manifests, 'templates/missing.yaml'), /could not find template/);
  });

  it('without Meshplane writing them back, the same lookup would fail (what the lines are for)', async () => {
    const r = await helmPostRender(BIN, ARGS, HELM_OUTPUT, { env: ENV });
    const stripped = (r.ok ? r.manifests : '').replace(/^# Source: .*\n/gm, '');
    assert.throws(() => showOnly(stripped, 'templates/service.yaml'), /could not find template/);
  });

  it('skips the documents Helm 3 sends without an object: comments only (--hide-secret\'s # HIDDEN), empty, trailing ---', async () => {
    const stream = `---\n# Source: shop/templates/secret.yaml\n# HIDDEN: The Secret output has been suppressed\n---\n# Source: shop/templates/notes-only.yaml\n# rendered nothing\n${HELM_OUTPUT}\n---\n`;
    const r = await helmPostRender(BIN, ARGS, stream, { env: ENV });
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.manifests, readFileSync(path.join(REPO_ROOT, CANONICAL), 'utf8'));
  });
});

describe('post-render --report-file and --verbose on the command line', () => {
  it('--verbose names each document skipped for holding no object, with its template', async () => {
    const stream = `---\n# Source: shop/templates/secret.yaml\n# HIDDEN: The Secret output has been suppressed\n${HELM_OUTPUT}`;
    const r = await runCli([...ARGS, '--verbose'], { input: stream, env: ENV });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^info: <stdin>:1:4 \(shop\/templates\/secret\.yaml\): document 1 holds no object \(empty, comments only or null\): skipped/m);
    const quiet = await runCli(ARGS, { input: stream, env: ENV });
    assert.doesNotMatch(quiet.stderr, /holds no object/);
  });

  it('a report file that cannot be written fails closed: exit 2, nothing on stdout, the reason on stderr', async () => {
    const r = await runCli([...ARGS, `--report-file=${REPO_ROOT}`], { input: HELM_OUTPUT, env: ENV });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /error\[output-unwritable\]: cannot write --report-file .*: it is a directory/);
  });

  it('a clean run replaces the report too, and --report-file wins over MESHPLANE_REPORT_FILE', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'meshplane-report-'));
    try {
      const fromEnv = path.join(dir, 'env.txt');
      const fromFlag = path.join(dir, 'flag.txt');
      const r = await runCli([...ARGS, `--report-file=${fromFlag}`], { input: HELM_OUTPUT, env: { ...ENV, MESHPLANE_REPORT_FILE: fromEnv } });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, readFileSync(path.join(REPO_ROOT, CANONICAL), 'utf8'));
      assert.match(readFileSync(fromFlag, 'utf8'), /^meshplane post-render: exit 0 \(clean: the manifests were passed on\)\n/);
      assert.throws(() => readFileSync(fromEnv), /ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
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
