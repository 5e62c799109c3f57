/**
 * `spec.mode: Disabled` through the real CLI: never an empty success without a word. Without the
 * acknowledgement generate fails closed (exit 2, nothing on stdout); with it, only the source's
 * own manifests are printed and a warning goes to stderr.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';

const INTENT = 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: m}\nspec:\n  mode: Disabled\n  cluster: {kubernetesVersion: "1.32"}\n';
const APP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: mine, namespace: shop}\ndata: {a: "1"}\n';

async function source(intent: string, withApp: boolean): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mp-disabled-'));
  await writeFile(path.join(dir, 'mesh.yaml'), intent);
  if (withApp) {
    await mkdir(path.join(dir, 'apps'));
    await writeFile(path.join(dir, 'apps', 'cm.yaml'), APP);
  }
  return dir;
}

describe('spec.mode: Disabled', () => {
  for (const withApp of [false, true]) {
    it(`without the acknowledgement: exit 2, empty stdout, a message naming the fix (${withApp ? 'with' : 'without'} source manifests)`, async () => {
      const r = await runCli(['generate', await source(INTENT, withApp)]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /error\[intent-invalid\]/);
      assert.match(r.stderr, /mesh\.yaml:5:3: spec\.mode: spec\.mode is Disabled/);
      assert.match(r.stderr, /fix: to remove the mesh on purpose, also set spec\.disabled\.acknowledgePrune: true/);
    });
  }

  it('acknowledged: exit 0, only the source manifests, and a warning on stderr', async () => {
    const r = await runCli(['generate', await source(`${INTENT}  disabled: {acknowledgePrune: true}\n`, true)]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /kind: ConfigMap\n/);
    assert.equal((r.stdout.match(/^kind: /gm) ?? []).length, 1, 'one object: the source ConfigMap');
    assert.match(r.stderr, /^warning: mesh\.yaml:5:3: spec\.mode is Disabled \(spec\.disabled\.acknowledgePrune: true\)/m);
  });

  it('acknowledged with nothing else: an empty output, but never without a word', async () => {
    const r = await runCli(['generate', await source(`${INTENT}  disabled: {acknowledgePrune: true}\n`, false)]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /warning: .*no mesh object is rendered/);
  });

  it('check refuses the unacknowledged intent too', async () => {
    const r = await runCli(['check', await source(INTENT, false)]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /acknowledgePrune/);
  });
});
