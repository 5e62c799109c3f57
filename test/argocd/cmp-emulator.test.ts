/**
 * The CMP emulator itself, with throwaway shell plugins, on the edge cases where it must behave as
 * argoproj/argo-cd v3.5.1 cmpserver does (each expectation names the upstream function it comes
 * from): bad plugin.yaml, output that is not Kubernetes objects, Lists, empty output, non-zero
 * exits and their stderr, the deadline (one per request; direct child SIGKILLed, the group
 * SIGTERMed then SIGKILLed after the grace period, in either order), empty environment values,
 * envsubst, KUBE_VERSION, the Parameters tab's environment, file modes, symbolic links, discovery.
 * No assertion depends on timing: deadlines are short and outcomes are checked by what happened.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CmpEmulator } from './cmp-emulator.js';
import { appDetailsEnv, defaultApp, envsubst, kubeVersionEnv, parameterEnv, pluginEnv } from './cmp-env.js';
import { applicableProblems, listDocuments, parseAnnouncements, parseManifests, unwrapLists } from './cmp-output.js';
import { argsToLog, commandError, lookPath, type CommandResult } from './cmp-process.js';
import { parsePluginConfig, pluginAddress } from './plugin-config.js';

const SIDECAR = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: os.tmpdir() };
const dirs: string[] = [];
after(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** A plugin whose generate is `sh -c <script>`. */
function shPlugin(script: string, extra = ''): CmpEmulator['config'] {
  const args = JSON.stringify([script]);
  return parsePluginConfig(`apiVersion: argoproj.io/v1alpha1\nkind: ConfigManagementPlugin\nmetadata: {name: t}\nspec:\n  generate: {command: [sh, -c], args: ${args}}\n${extra}`);
}

/** A repository folder with an app at `app/` holding mesh.yaml and an executable script. */
async function repo(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cmp-repo-'));
  dirs.push(dir);
  await mkdir(path.join(dir, 'app', 'deep', 'er'), { recursive: true });
  await writeFile(path.join(dir, 'app', 'mesh.yaml'), 'kind: ServiceMesh\n');
  await writeFile(path.join(dir, 'app', 'deep', 'er', 'Chart.yaml'), 'name: x\n');
  await writeFile(path.join(dir, 'app', 'run.sh'), '#!/bin/sh\necho hi\n');
  await chmod(path.join(dir, 'app', 'run.sh'), 0o755);
  return dir;
}

const CM = `printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: %s}\\n' `;

describe('plugin.yaml validation (as argocd-cmp-server)', () => {
  const bad: Array<[string, string, RegExp]> = [
    ['wrong kind', 'apiVersion: argoproj.io/v1alpha1\nkind: Plugin\nmetadata: {name: a}\nspec: {generate: {command: [x]}}\n', /kind should be ConfigManagementPlugin/],
    ['no name', 'kind: ConfigManagementPlugin\nmetadata: {}\nspec: {generate: {command: [x]}}\n', /metadata.name should be non-empty/],
    ['empty generate command', 'kind: ConfigManagementPlugin\nmetadata: {name: a}\nspec: {generate: {command: []}}\n', /spec.generate command should be non-empty/],
    ['no generate', 'kind: ConfigManagementPlugin\nmetadata: {name: a}\nspec: {init: {command: [x]}}\n', /spec.generate command should be non-empty/],
  ];
  for (const [name, text, match] of bad) it(`rejects ${name}`, () => assert.throws(() => parsePluginConfig(text), match));

  it('accepts unknown keys (like Argo CD) but lists them', () => {
    const c = parsePluginConfig('kind: ConfigManagementPlugin\nmetadata: {name: a}\nspec:\n  version: v2\n  lockRepo: false\n  generate: {command: [x], arg: [y]}\n');
    assert.deepEqual(c.unknownKeys, ['spec.lockRepo', 'spec.generate.arg']);
    assert.equal(pluginAddress(c), 'a-v2');
  });
});

describe('output checks', () => {
  it('accepts a YAML stream, skipping empty and null documents', () => {
    assert.deepEqual(parseManifests('---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n--- null\n').map((o) => o.kind), ['ConfigMap']);
  });
  it('accepts a stream of JSON objects', () => {
    assert.deepEqual(parseManifests('{"apiVersion":"v1","kind":"A"}\n{"apiVersion":"v1","kind":"B","data":{"x":"}{"}}').map((o) => o.kind), ['A', 'B']);
  });
  const bad: Array<[string, string, RegExp]> = [
    ['plain text (kube.SplitYAML: not a mapping)', 'hello\n', /not a mapping/],
    ['a mapping without kind (unstructured: Object \'Kind\' is missing)', 'apiVersion: v1\nmetadata: {name: a}\n', /Object 'Kind' is missing/],
    ['broken YAML (SplitYAMLToString)', 'a: [\n', /failed to unmarshal manifest/],
    ['a JSON array (read as YAML: `[` is not the JSON sniff)', '[{"apiVersion":"v1","kind":"A"}]', /not a mapping/],
  ];
  for (const [name, text, match] of bad) it(`rejects ${name}`, () => assert.throws(() => parseManifests(text), match));

  it('zero manifests, no error, for empty output, a lone separator or null (SplitYAMLToString skips them)', () => {
    for (const text of ['', '\n', '---\n', 'null\n', '--- null\n---\n']) assert.deepEqual(parseManifests(text), [], JSON.stringify(text));
  });
  it('lets through what parsing accepts but the apply refuses, and names it', () => {
    const objs = unwrapLists(parseManifests('kind: ConfigMap\n---\napiVersion: v1\nkind: List\nitems: [{apiVersion: v1, metadata: {name: a}}]\n'));
    assert.deepEqual(applicableProblems(objs), ['object 1 (ConfigMap) has no apiVersion', 'object 2 has no kind']);
  });
  it('unwraps every object whose items is an array, whatever its kind, one level deep (repository.go: IsList, EachListItem)', () => {
    const docs = parseManifests([
      'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- {apiVersion: v1, kind: List, items: [{apiVersion: v1, kind: Secret}]}',
      'apiVersion: v1\nkind: ConfigMapList\nitems: []',
      'apiVersion: example.com/v1\nkind: Basket\nitems: [{apiVersion: v1, kind: ConfigMap, metadata: {name: b}}]',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}',
    ].join('\n---\n'));
    const objects = unwrapLists(docs);
    assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata?.name ?? '-'}`), ['ConfigMap/a', 'List/-', 'ConfigMap/b', 'ConfigMap/c']);
    assert.deepEqual(listDocuments(docs).map((o) => o.kind), ['List', 'ConfigMapList', 'Basket']);
  });
  it('drops an object whose items is null unless it has spec or status (repository.go isNullList)', () => {
    const docs = parseManifests('apiVersion: v1\nkind: ConfigMapList\nitems: null\n---\napiVersion: example.com/v1\nkind: Crate\nitems: null\nspec: {}\n');
    assert.deepEqual(unwrapLists(docs).map((o) => o.kind), ['Crate']);
  });
  it('fails on a List item that is not a mapping, with EachListItem\'s text', () => {
    assert.throws(() => unwrapLists(parseManifests('apiVersion: v1\nkind: List\nitems: [x]\n')), /^Error: items member is not an object: map\[string\]interface \{\}$/);
  });
  it('parameter announcements: a typed JSON array', () => {
    assert.equal(parseAnnouncements('[{"name":"a","collectionType":"map","map":{"k":"v"}}]').length, 1);
    assert.throws(() => parseAnnouncements('{"name":"a"}'), /not an array/);
    assert.throws(() => parseAnnouncements('[{"name":"a","required":"no"}]'), /"required" has the wrong type/);
    assert.throws(() => parseAnnouncements('[{"name":"a","collectionType":"list"}]'), /"collectionType" has the wrong type/);
    assert.throws(() => parseAnnouncements('[{"name":"a","array":["x"]}]'), /"array" is set but collectionType is string/);
    assert.throws(() => parseAnnouncements('[{"name":"a","colour":"x"}]'), /unknown key "colour"/);
  });
});

describe('the build environment', () => {
  it('envsubst is Go os.Expand with $$ as a dollar (v1alpha1 Env.Envsubst)', () => {
    const vars = { ARGOCD_APP_NAME: 'mesh', X: '1', '1': 'one' };
    const cases: Array<[string, string]> = [
      ['r-$ARGOCD_APP_NAME-${X}-$$HOME-$MISSING', 'r-mesh-1-$HOME-'],
      ['$1abc', 'oneabc'],
      ['${1}', 'one'],
      ['a${}b', 'ab'],
      ['a${X', 'aX'],
      ['cost: 5$', 'cost: 5$'],
      ['$ and $-', '$ and '],
      ['${A B}', ''],
      ['$X_Y.z', '.z'],
    ];
    for (const [input, want] of cases) assert.equal(envsubst(input, vars), want, input);
  });
  it('parameters become ARGOCD_APP_PARAMETERS (null when unset) and escaped PARAM_* variables', () => {
    assert.deepEqual(parameterEnv(undefined), { ARGOCD_APP_PARAMETERS: 'null' });
    assert.deepEqual(parameterEnv([{ name: 'a.b', string: 'x' }, { name: 'list', array: ['p', 'q'] }, { name: 'm', map: { 'image.tag': 'v1' } }]), {
      ARGOCD_APP_PARAMETERS: '[{"name":"a.b","string":"x"},{"name":"list","array":["p","q"]},{"name":"m","map":{"image.tag":"v1"}}]',
      PARAM_A_B: 'x', PARAM_LIST_0: 'p', PARAM_LIST_1: 'q', PARAM_M_IMAGE_TAG: 'v1',
    });
  });
  it('an Application without a plugin section gets no ARGOCD_ENV_* and no parameter variables (getPluginParamEnvs)', () => {
    const env = pluginEnv({ PATH: '/bin' }, defaultApp({ pluginSection: false, env: [{ name: 'A', value: 'x' }], parameters: [{ name: 'p', string: 'v' }] }));
    assert.equal(env.ARGOCD_ENV_A, undefined);
    assert.equal(env.ARGOCD_APP_PARAMETERS, undefined);
    assert.equal(env.PARAM_P, undefined);
    assert.equal(env.ARGOCD_APP_NAME, 'mesh');
  });
  it('quotes arguments the way Argo CD logs them (util/exec GetCommandArgsToLog)', () => {
    assert.equal(argsToLog(['sh', '-c', 'echo "hi"; exit 3', '', 'plain']), 'sh -c "echo \\"hi\\"; exit 3" "" plain');
    assert.equal(argsToLog(['a', 'tab\there']), 'a "tab\\there"');
  });
  it('the error text is CmdError.Error: stderr trimmed, and no colon when there is none', () => {
    const r: CommandResult = { display: 'gen', code: 2, signal: null, stdout: 'ignored', stderr: '\n  oops \n', durationMs: 0, timedOut: false, killed: false, env: {} };
    assert.equal(commandError(r), '`gen` failed exit status 2: oops');
    assert.equal(commandError({ ...r, stderr: ' \n' }), '`gen` failed exit status 2');
    assert.equal(commandError({ ...r, code: null, signal: 'SIGKILL', stderr: '' }), '`gen` failed signal: killed');
    assert.equal(commandError({ ...r, code: null, signal: 'SIGTERM', stderr: '' }), '`gen` failed signal: terminated');
    assert.equal(commandError({ ...r, code: null, signal: 'SIGSEGV', stderr: '' }), '`gen` failed signal: segmentation fault');
    assert.equal(commandError({ ...r, code: 0, timedOut: true, stderr: '' }), '`gen` failed context deadline exceeded');
  });
  it('KUBE_VERSION is normalised as repo-server\'s parseKubeVersion does (apimachinery ParseGeneric, printed back)', () => {
    const cases: Array<[string, string]> = [
      ['1.32.3', '1.32.3'], ['v1.33.1+k3s1', '1.33.1'], ['1.33+', '1.33'], ['v1.32.3-eks-4f1c2d', '1.32.3'], [' 1.32', '1.32'], ['1.032.0', '1.32.0'], ['', ''],
    ];
    for (const [input, want] of cases) assert.equal(kubeVersionEnv(input), want, JSON.stringify(input));
    const bad: Array<[string, RegExp]> = [
      ['latest', /^Error: could not parse kubernetes version latest: could not parse "latest" as version$/],
      ['1', /^Error: could not parse kubernetes version 1: illegal version string "1"$/],
      ['01.32', /illegal zero-prefixed version component "01" in "01.32"$/],
      ['1.99999999999999999999', /illegal non-numeric version component "99999999999999999999".*value out of range$/],
      ['1.32.3\n', /could not parse "1.32.3\\n" as version$/],
    ];
    for (const [input, match] of bad) assert.throws(() => kubeVersionEnv(input), match, JSON.stringify(input));
  });
  it('the Parameters tab gets the app-details environment only (repository.go populatePluginAppDetails)', () => {
    const app = defaultApp({ env: [{ name: 'WHO', value: '$ARGOCD_APP_NAME@$ARGOCD_APP_REVISION:$KUBE_VERSION' }], parameters: [{ name: 'p', string: 'v' }] });
    assert.deepEqual(appDetailsEnv({ PATH: '/bin' }, app), {
      PATH: '/bin', ARGOCD_APP_NAME: 'mesh', ARGOCD_APP_SOURCE_REPO_URL: 'https://git.example.com/platform/mesh.git', ARGOCD_APP_SOURCE_PATH: '.', ARGOCD_APP_SOURCE_TARGET_REVISION: 'main',
      ARGOCD_ENV_WHO: 'mesh@:', ARGOCD_APP_PARAMETERS: '[{"name":"p","string":"v"}]', PARAM_P: 'v',
    });
    assert.deepEqual(Object.keys(appDetailsEnv({}, defaultApp({ pluginSection: false }))).sort(), ['ARGOCD_APP_NAME', 'ARGOCD_APP_SOURCE_PATH', 'ARGOCD_APP_SOURCE_REPO_URL', 'ARGOCD_APP_SOURCE_TARGET_REVISION']);
  });
  it('a command missing from PATH fails like Go\'s LookPath', () => {
    assert.throws(() => lookPath('no-such-tool-xyz', '/usr/bin:/bin'), /executable file not found in \$PATH/);
    assert.equal(lookPath('sh', '/nonexistent:/bin'), '/bin/sh');
  });
});

describe('generate requests', () => {
  it('runs in a fresh copy of the app folder with modes reset and the Argo CD env', async () => {
    const cmp = new CmpEmulator(shPlugin(`${CM}"$(basename "$PWD")-$(stat -c %a run.sh)-$ARGOCD_APP_NAME-$ARGOCD_ENV_GREETING-$PARAM_SIZE-$KUBE_VERSION"`), { sidecarEnv: SIDECAR });
    const app = defaultApp({ path: 'app', name: 'demo', env: [{ name: 'GREETING', value: 'hi-$ARGOCD_APP_REVISION_SHORT' }], parameters: [{ name: 'size', string: 'xl' }] });
    const out = await cmp.generate(await repo(), app, 't');
    assert.equal(out.status, 'manifests', out.error);
    assert.equal(out.objects[0]?.metadata?.name, 'app-644-demo-hi-0123456-xl-1.32.3');
  });
  it('keeps modes with preserveFileMode: true', async () => {
    const cmp = new CmpEmulator(shPlugin(`${CM}"m$(stat -c %a run.sh)"`, '  preserveFileMode: true\n'), { sidecarEnv: SIDECAR });
    const out = await cmp.generate(await repo(), defaultApp({ path: 'app' }), 't');
    assert.equal(out.objects[0]?.metadata?.name, 'm755');
  });
  it('a plugin that prints something other than objects fails the generation', async () => {
    const out = await new CmpEmulator(shPlugin('echo "rendering done"'), { sidecarEnv: SIDECAR }).generate(await repo(), defaultApp({ path: 'app' }), 't');
    assert.equal(out.status, 'failed');
    assert.match(out.error ?? '', /failed to convert CMP manifests to unstructured objects/);
  });
  it('a non-zero exit fails with Argo CD\'s message carrying stderr', async () => {
    const out = await new CmpEmulator(shPlugin('echo boom >&2; exit 3'), { sidecarEnv: SIDECAR }).generate(await repo(), defaultApp({ path: 'app' }), 't');
    assert.equal(out.status, 'failed');
    assert.equal(out.error, '`sh -c "echo boom >&2; exit 3"` failed exit status 3: boom');
  });
  it('a non-zero exit fails even with objects on stdout, and without stderr the message has no colon', async () => {
    const out = await new CmpEmulator(shPlugin(`${CM}x; exit 1`), { sidecarEnv: SIDECAR }).generate(await repo(), defaultApp({ path: 'app' }), 't');
    assert.equal(out.status, 'failed');
    assert.deepEqual(out.objects, []);
    assert.match(out.error ?? '', /` failed exit status 1$/);
  });
  it('exit 0 with no output (or only separators) is the zero-manifests case, not an error', async () => {
    for (const script of ['true', 'echo', "printf -- '---\\nnull\\n'"]) {
      const out = await new CmpEmulator(shPlugin(script), { sidecarEnv: SIDECAR }).generate(await repo(), defaultApp({ path: 'app' }), 't');
      assert.equal(out.status, 'zero-manifests', `${script}: ${out.error}`);
      assert.equal(out.error, undefined);
    }
  });
  it('stderr of a successful command is not an error', async () => {
    const out = await new CmpEmulator(shPlugin(`echo warning >&2; ${CM}x`), { sidecarEnv: SIDECAR }).generate(await repo(), defaultApp({ path: 'app' }), 't');
    assert.equal(out.status, 'manifests', out.error);
    assert.equal(out.result?.stderr, 'warning\n');
  });
  it('empty values reach the plugin as set-but-empty variables (Env.Environ drops only nameless, valueless entries)', async () => {
    const cmp = new CmpEmulator(shPlugin(`${CM}"e\${ARGOCD_ENV_EMPTY+-set}\${ARGOCD_APP_SOURCE_TARGET_REVISION+-set}\${KUBE_API_VERSIONS+-set}"`), { sidecarEnv: SIDECAR });
    const out = await cmp.generate(await repo(), defaultApp({ path: 'app', env: [{ name: 'EMPTY', value: '' }], targetRevision: '', kubeApiVersions: [] }), 't');
    assert.equal(out.objects[0]?.metadata?.name, 'e-set-set-set', out.error);
  });
  it('a failing init fails the generation before generate runs', async () => {
    const cmp = new CmpEmulator(shPlugin(`${CM}x`, '  init: {command: [sh, -c, "exit 4"]}\n'), { sidecarEnv: SIDECAR });
    const out = await cmp.generate(await repo(), defaultApp({ path: 'app' }), 't');
    assert.equal(out.error, '`sh -c "exit 4"` failed exit status 4');
  });
  it('at the deadline the direct child is SIGKILLed and the rest of its group gets SIGTERM (runCommand + exec.CommandContext)', async () => {
    const mark = path.join(await repo(), 'grandchild-saw');
    const script = `(trap 'echo TERM > ${mark}; exit 0' TERM; sleep 30 & wait) & wait`;
    const cmp = new CmpEmulator(shPlugin(script), { sidecarEnv: SIDECAR, deadlineMs: 400, killGraceMs: 30_000, firstAtDeadline: 'kill' });
    const out = await cmp.generate(path.dirname(mark), defaultApp({ path: 'app' }), 't');
    assert.equal(out.status, 'failed');
    assert.equal(out.result?.timedOut, true);
    assert.equal(out.result?.signal, 'SIGKILL', 'the direct child is killed, not terminated');
    assert.equal(out.result?.killed, false, 'the grandchild ended on SIGTERM, before the group SIGKILL');
    assert.equal(out.error, `\`sh -c ${JSON.stringify(script)}\` failed signal: killed`);
    assert.equal((await readFile(mark, 'utf8')).trim(), 'TERM', 'the grandchild got SIGTERM and could clean up');
  });
  it('when the group SIGTERM reaches the direct child first, the text is "signal: terminated" (the other side of the race)', async () => {
    const cmp = new CmpEmulator(shPlugin('sleep 30 & wait'), { sidecarEnv: SIDECAR, deadlineMs: 400, killGraceMs: 30_000, firstAtDeadline: 'term' });
    const out = await cmp.generate(await repo(), defaultApp({ path: 'app' }), 't');
    assert.equal(out.result?.timedOut, true);
    assert.equal(out.result?.signal, 'SIGTERM');
    assert.equal(out.error, '`sh -c "sleep 30 & wait"` failed signal: terminated');
  });
  it('init and generate share one deadline per request (plugin.go: one context, 100 ms before the caller\'s)', async () => {
    // Each command alone fits in the deadline; together they do not. With a fresh deadline per command this would succeed.
    const cmp = new CmpEmulator(shPlugin(`sleep 0.6; ${CM}x`, '  init: {command: [sh, -c, "sleep 0.6"]}\n'), { sidecarEnv: SIDECAR, deadlineMs: 1000, killGraceMs: 300 });
    const out = await cmp.generate(await repo(), defaultApp({ path: 'app' }), 't');
    assert.equal(out.status, 'failed');
    assert.equal(out.result?.timedOut, true, out.error);
    assert.match(out.error ?? '', /failed signal: (killed|terminated)$/);
  });
  it('a KUBE_VERSION repo-server cannot parse fails the request before the plugin runs', async () => {
    const mark = path.join(await repo(), 'ran');
    const cmp = new CmpEmulator(shPlugin(`touch ${mark}; ${CM}x`), { sidecarEnv: SIDECAR });
    const out = await cmp.generate(path.dirname(mark), defaultApp({ path: 'app', kubeVersion: 'latest' }), 't');
    assert.equal(out.status, 'failed');
    assert.equal(out.result, undefined);
    assert.equal(out.error, 'could not parse kubernetes version latest: could not parse "latest" as version');
    await assert.rejects(readFile(mark), /ENOENT/, 'the plugin never ran');
  });
  it('the plugin sees KUBE_VERSION normalised (v1.33.1+k3s1 → 1.33.1)', async () => {
    const cmp = new CmpEmulator(shPlugin(`${CM}"k$KUBE_VERSION"`), { sidecarEnv: SIDECAR });
    const out = await cmp.generate(await repo(), defaultApp({ path: 'app', kubeVersion: 'v1.33.1+k3s1' }), 't');
    assert.equal(out.objects[0]?.metadata?.name, 'k1.33.1', out.error);
  });
  it('a List in the output is unwrapped, as repo-server does, and reported in lists', async () => {
    const cmp = new CmpEmulator(shPlugin("printf 'apiVersion: v1\\nkind: List\\nitems:\\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\\n'"), { sidecarEnv: SIDECAR });
    const out = await cmp.generate(await repo(), defaultApp({ path: 'app' }), 't');
    assert.equal(out.status, 'manifests', out.error);
    assert.deepEqual(out.objects.map((o) => o.kind), ['ConfigMap']);
    assert.deepEqual(out.lists.map((o) => o.kind), ['List']);
  });
  it('a grandchild that ignores SIGTERM and holds stdout keeps the request waiting until the group SIGKILL', async () => {
    const cmp = new CmpEmulator(shPlugin("(trap '' TERM; sleep 30) & wait"), { sidecarEnv: SIDECAR, deadlineMs: 300, killGraceMs: 300 });
    const out = await cmp.generate(await repo(), defaultApp({ path: 'app' }), 't');
    assert.equal(out.status, 'failed');
    assert.equal(out.result?.signal, 'SIGKILL');
    assert.equal(out.result?.killed, true, 'only the group SIGKILL closed stdout');
    assert.match(out.error ?? '', /failed signal: (killed|terminated)$/);
  });
});

describe('symbolic links in the repository (util/io/files/tar.go untar)', () => {
  /** Generates with a plugin that prints where each link of the app folder points in the extracted copy. */
  async function linksAfterExtraction(links: Array<[string, string]>): Promise<{ error?: string; names: string[] }> {
    const dir = await repo();
    await mkdir(path.join(dir, 'shared'));
    await writeFile(path.join(dir, 'shared', 'x.yaml'), 'a: 1\n');
    await writeFile(path.join(dir, 'app', 'deep', 'er', 'v.yaml'), 'a: 1\n');
    for (const [name, target] of links) await symlink(target, path.join(dir, 'app', name));
    const names = links.map(([name]) => name).join(' ');
    const script = `for l in ${names}; do ${CM}"$(readlink $l | tr -c 'a-z0-9.\\n' '-')"; echo ---; done`;
    const out = await new CmpEmulator(shPlugin(script), { sidecarEnv: SIDECAR }).generate(dir, defaultApp({ path: 'app' }), 't');
    return { ...(out.error ? { error: out.error } : {}), names: out.objects.map((o) => o.metadata?.name ?? '') };
  }
  it('keeps a relative target inside the repository relative', async () => {
    assert.deepEqual(await linksAfterExtraction([['rel.yaml', '../shared/x.yaml']]), { names: ['..-shared-x.yaml'] });
  });
  it('rewrites an absolute target below the link\'s own folder (filepath.Join does not restart at "/") and relative', async () => {
    assert.deepEqual(await linksAfterExtraction([['abs.yaml', '/etc/hostname']]), { names: ['etc-hostname'] });
  });
  it('resolves a target through a link extracted before it (the walk is lexical: app/deep comes before app/x-dir)', async () => {
    assert.deepEqual(await linksAfterExtraction([['x-dir', 'deep/er'], ['y.yaml', 'x-dir/v.yaml']]), { names: ['deep-er', 'deep-er-v.yaml'] });
  });
  it('fails the request for a target outside the copy of the repository', async () => {
    const out = await linksAfterExtraction([['escape.yaml', '../../outside.yaml']]);
    assert.match(out.error ?? '', /^generate manifest error receiving stream: error decompressing tgz file: illegal filepath in symlink: \/.*\/outside\.yaml$/);
  });
  it('with discovery the failure is discovery\'s (the match request streams the repository first)', async () => {
    const dir = await repo();
    await symlink('../../outside.yaml', path.join(dir, 'app', 'escape.yaml'));
    const cmp = new CmpEmulator(shPlugin(`${CM}x`, '  discover: {fileName: "./mesh.yaml"}\n'), { sidecarEnv: SIDECAR });
    const out = await cmp.generate(dir, defaultApp({ path: 'app' }), 't');
    assert.match(out.error ?? '', /^could not find cmp-server plugin with name "t" supporting the given repository: error checking repository support for plugin t\.sock: match repository error receiving stream: error decompressing tgz file: illegal filepath in symlink: /);
    assert.equal(await readlink(path.join(dir, 'app', 'escape.yaml')), '../../outside.yaml', 'the repository itself is untouched');
  });
});

describe('discovery', () => {
  const cases: Array<[string, string, boolean]> = [
    ['fileName match', 'discover: {fileName: "./mesh.yaml"}', true],
    ['fileName wildcard', 'discover: {fileName: "m*.yaml"}', true],
    ['fileName does not recurse', 'discover: {fileName: "Chart.yaml"}', false],
    ['find.glob with **', 'discover: {find: {glob: "**/Chart.yaml"}}', true],
    ['find.glob without a match', 'discover: {find: {glob: "**/values.yaml"}}', false],
    ['find.command with output', 'discover: {find: {command: [sh, -c, "ls mesh.yaml"]}}', true],
    ['find.command without output', 'discover: {find: {command: [sh, -c, "true"]}}', false],
    ['find.command printing only a newline (runCommand trims one)', 'discover: {find: {command: [sh, -c, "echo"]}}', false],
    ['find.command printing a space', 'discover: {find: {command: [sh, -c, "printf \' \'"]}}', true],
    ['find.command failing with output', 'discover: {find: {command: [sh, -c, "echo yes; exit 1"]}}', false],
    ['only the first rule counts (fileName over glob)', 'discover: {fileName: "nope.yaml", find: {glob: "**/Chart.yaml"}}', false],
  ];
  for (const [name, rule, expect] of cases) {
    it(name, async () => {
      const cmp = new CmpEmulator(shPlugin(`${CM}x`, `  ${rule}\n`), { sidecarEnv: SIDECAR });
      assert.equal(await cmp.matches(await repo(), defaultApp({ path: 'app' })), expect);
    });
  }
  it('a named plugin with discovery still has to match', async () => {
    const cmp = new CmpEmulator(shPlugin(`${CM}x`, '  discover: {fileName: "./absent.yaml"}\n'), { sidecarEnv: SIDECAR });
    const out = await cmp.generate(await repo(), defaultApp({ path: 'app' }), 't');
    assert.match(out.error ?? '', /could not find cmp-server plugin with name "t" supporting the given repository/);
  });
  it('with `plugin: {}` the error names no plugin (discovery.go DetectConfigManagementPlugin)', async () => {
    const cmp = new CmpEmulator(shPlugin(`${CM}x`, '  discover: {fileName: "./absent.yaml"}\n'), { sidecarEnv: SIDECAR });
    const out = await cmp.generate(await repo(), defaultApp({ path: 'app' }));
    assert.equal(out.error, 'could not find plugin supporting the given repository');
  });
  it('with `plugin: {}` a plugin without discovery is never picked; named, it is', async () => {
    const cmp = new CmpEmulator(shPlugin(`${CM}x`), { sidecarEnv: SIDECAR });
    assert.equal((await cmp.generate(await repo(), defaultApp({ path: 'app' }))).error, 'could not find plugin supporting the given repository');
    assert.equal((await cmp.generate(await repo(), defaultApp({ path: 'app' }), 't')).status, 'manifests');
  });
  it('another plugin name is not this sidecar', async () => {
    const cmp = new CmpEmulator(shPlugin(`${CM}x`, '  discover: {fileName: "./mesh.yaml"}\n'), { sidecarEnv: SIDECAR });
    const out = await cmp.generate(await repo(), defaultApp({ path: 'app' }), 'other-v1');
    assert.match(out.error ?? '', /^could not find cmp-server plugin with name "other-v1" supporting the given repository: error dialing to cmp-server for plugin other-v1\.sock/);
  });
  it('the Parameters tab runs discovery first, with the app-details environment', async () => {
    const dynamic = '  parameters: {dynamic: {command: [sh, -c, "printf \'[{\\"name\\":\\"k%s\\"}]\' \\"${KUBE_VERSION-unset}\\""]}}\n';
    const found = new CmpEmulator(shPlugin(`${CM}x`, `  discover: {find: {command: [sh, -c, "test -z \\"$KUBE_VERSION\\" && echo yes"]}}\n${dynamic}`), { sidecarEnv: SIDECAR });
    const { announcements, result } = await found.parameters(await repo(), defaultApp({ path: 'app' }));
    assert.deepEqual(announcements, [{ name: 'kunset' }]);
    assert.deepEqual(Object.keys(result?.env ?? {}).filter((k) => !(k in SIDECAR)).sort(), ['ARGOCD_APP_NAME', 'ARGOCD_APP_PARAMETERS', 'ARGOCD_APP_SOURCE_PATH', 'ARGOCD_APP_SOURCE_REPO_URL', 'ARGOCD_APP_SOURCE_TARGET_REVISION']);
    const missed = new CmpEmulator(shPlugin(`${CM}x`, `  discover: {fileName: "./absent.yaml"}\n${dynamic}`), { sidecarEnv: SIDECAR });
    await assert.rejects(missed.parameters(await repo(), defaultApp({ path: 'app' }), 't'), /^Error: failed to detect CMP for app: could not find cmp-server plugin with name "t" supporting the given repository$/);
  });
  it('an app path outside the repository is refused', async () => {
    const cmp = new CmpEmulator(shPlugin(`${CM}x`), { sidecarEnv: SIDECAR });
    await assert.rejects(cmp.generate(await repo(), defaultApp({ path: '../..' })), /escapes the repository/);
  });
});
