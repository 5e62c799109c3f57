/**
 * The CMP emulator itself, with throwaway shell plugins: it must reject what Argo CD rejects
 * (bad plugin.yaml, output that is not Kubernetes objects, non-zero exits), report the
 * zero-manifests case, kill a hanging plugin's whole process group at the deadline, reset file
 * modes, and hand the plugin the Argo CD environment in the app folder.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CmpEmulator } from './cmp-emulator.js';
import { defaultApp, envsubst, parameterEnv } from './cmp-env.js';
import { parseAnnouncements, parseManifests } from './cmp-output.js';
import { lookPath } from './cmp-process.js';
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
    ['plain text', 'hello\n', /not a mapping/],
    ['a mapping without kind', 'apiVersion: v1\nmetadata: {name: a}\n', /no apiVersion\/kind/],
    ['a kind without apiVersion', 'kind: ConfigMap\n', /no apiVersion\/kind/],
    ['a List (not unwrapped by Argo CD)', 'apiVersion: v1\nkind: List\nitems: []\n', /does not unwrap Lists/],
    ['broken YAML', 'a: [\n', /failed to convert CMP manifests/],
    ['a JSON array', '[{"apiVersion":"v1","kind":"A"}]', /not a mapping/],
  ];
  for (const [name, text, match] of bad) it(`rejects ${name}`, () => assert.throws(() => parseManifests(text), match));

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
  it('envsubst expands $VAR and ${VAR} from the build env, $$ is a dollar', () => {
    assert.equal(envsubst('r-$ARGOCD_APP_NAME-${X}-$$HOME-$MISSING', { ARGOCD_APP_NAME: 'mesh', X: '1' }), 'r-mesh-1-$HOME-');
  });
  it('parameters become ARGOCD_APP_PARAMETERS (null when unset) and escaped PARAM_* variables', () => {
    assert.deepEqual(parameterEnv(undefined), { ARGOCD_APP_PARAMETERS: 'null' });
    assert.deepEqual(parameterEnv([{ name: 'a.b', string: 'x' }, { name: 'list', array: ['p', 'q'] }, { name: 'm', map: { 'image.tag': 'v1' } }]), {
      ARGOCD_APP_PARAMETERS: '[{"name":"a.b","string":"x"},{"name":"list","array":["p","q"]},{"name":"m","map":{"image.tag":"v1"}}]',
      PARAM_A_B: 'x', PARAM_LIST_0: 'p', PARAM_LIST_1: 'q', PARAM_M_IMAGE_TAG: 'v1',
    });
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
    const out = await cmp.generate(await repo(), app);
    assert.equal(out.status, 'manifests', out.error);
    assert.equal(out.objects[0]?.metadata?.name, 'app-644-demo-hi-0123456-xl-1.32.3');
  });
  it('keeps modes with preserveFileMode: true', async () => {
    const cmp = new CmpEmulator(shPlugin(`${CM}"m$(stat -c %a run.sh)"`, '  preserveFileMode: true\n'), { sidecarEnv: SIDECAR });
    const out = await cmp.generate(await repo(), defaultApp({ path: 'app' }));
    assert.equal(out.objects[0]?.metadata?.name, 'm755');
  });
  it('a plugin that prints something other than objects fails the generation', async () => {
    const out = await new CmpEmulator(shPlugin('echo "rendering done"'), { sidecarEnv: SIDECAR }).generate(await repo(), defaultApp({ path: 'app' }));
    assert.equal(out.status, 'failed');
    assert.match(out.error ?? '', /failed to convert CMP manifests to unstructured objects/);
  });
  it('a non-zero exit fails with Argo CD\'s message carrying stderr', async () => {
    const out = await new CmpEmulator(shPlugin('echo boom >&2; exit 3'), { sidecarEnv: SIDECAR }).generate(await repo(), defaultApp({ path: 'app' }));
    assert.equal(out.status, 'failed');
    assert.equal(out.error, '`sh -c echo boom >&2; exit 3` failed exit status 3: boom');
  });
  it('exit 0 with no output is reported as the zero-manifests case', async () => {
    const out = await new CmpEmulator(shPlugin('true'), { sidecarEnv: SIDECAR }).generate(await repo(), defaultApp({ path: 'app' }));
    assert.equal(out.status, 'zero-manifests');
  });
  it('a failing init fails the generation before generate runs', async () => {
    const cmp = new CmpEmulator(shPlugin(`${CM}x`, '  init: {command: [sh, -c, "exit 4"]}\n'), { sidecarEnv: SIDECAR });
    const out = await cmp.generate(await repo(), defaultApp({ path: 'app' }));
    assert.match(out.error ?? '', /failed exit status 4/);
  });
  it('a hanging plugin is stopped with SIGTERM at the deadline (minus 100 ms), process group included', async () => {
    const cmp = new CmpEmulator(shPlugin('sleep 30 & wait'), { sidecarEnv: SIDECAR, deadlineMs: 700, killGraceMs: 5000 });
    const out = await cmp.generate(await repo(), defaultApp({ path: 'app' }));
    assert.equal(out.status, 'failed');
    assert.equal(out.result?.timedOut, true);
    assert.equal(out.result?.killed, false, 'SIGTERM was enough');
    assert.match(out.error ?? '', /context deadline exceeded/);
    assert.ok((out.result?.durationMs ?? 0) < 3000, `stopped promptly (${out.result?.durationMs} ms): the background sleep was in the group`);
  });
  it('a plugin that ignores SIGTERM is killed after the grace period', async () => {
    const cmp = new CmpEmulator(shPlugin("trap '' TERM; sleep 30"), { sidecarEnv: SIDECAR, deadlineMs: 500, killGraceMs: 300 });
    const out = await cmp.generate(await repo(), defaultApp({ path: 'app' }));
    assert.equal(out.result?.killed, true);
    assert.equal(out.result?.signal, 'SIGKILL');
    assert.ok((out.result?.durationMs ?? 0) < 3000);
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
  it('an app path outside the repository is refused', async () => {
    const cmp = new CmpEmulator(shPlugin(`${CM}x`), { sidecarEnv: SIDECAR });
    await assert.rejects(cmp.generate(await repo(), defaultApp({ path: '../..' })), /escapes the repository/);
  });
});
