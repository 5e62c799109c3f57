/**
 * Acceptance: `bin/meshplane upgrade plan|start|complete|rollback` and `meshplane import --aks`
 * on temporary copies of the fixtures, as a platform engineer runs them. Issue 4's upgrade and
 * import points: a commented mesh.yaml round-trips with only the intended lines changed, illegal
 * moves are refused (exit 2, nothing on stdout, file untouched), and an import renders.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT, runCli, type CliResult } from '../helpers/cli.js';

const CASES = path.join(REPO_ROOT, 'test', 'cases');
const NOW = ['--now', '2026-05-01'];
/** Argo CD's KUBE_VERSION must not leak into these runs from the developer's shell. */
const env = { KUBE_VERSION: undefined };
const temps: string[] = [];
after(async () => Promise.all(temps.map((t) => rm(t, { recursive: true, force: true }))));

async function tempWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'meshplane-upgrade-'));
  temps.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return dir;
}

const fixture = (rel: string): Promise<string> => readFile(path.join(CASES, rel), 'utf8');
const run = (args: string[]): Promise<CliResult> => runCli(args, { env });

function lineDelta(a: string, b: string): { removed: string[]; added: string[] } {
  const left = a.split('\n');
  const right = b.split('\n');
  return { removed: left.filter((l) => !right.includes(l)), added: right.filter((l) => !left.includes(l)) };
}

describe('upgrade: the commented mesh.yaml round trips', () => {
  it('plan → start → complete, and start → rollback, changing only the intended lines', async () => {
    const original = await fixture('upgrade/commented-mesh.yaml');
    const dir = await tempWith({ 'mesh.yaml': original, 'apps/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n' });
    const file = path.join(dir, 'mesh.yaml');

    const plan = await run(['upgrade', 'plan', dir, ...NOW, '--output', 'json']);
    assert.equal(plan.code, 0, plan.stderr);
    assert.equal(plan.stderr, '');
    assert.deepEqual((JSON.parse(plan.stdout) as { targets: Array<{ revision: string }> }).targets.map((t) => t.revision), ['asm-1-28', 'asm-1-29']);

    const start = await run(['upgrade', 'start', 'asm-1-28', dir, ...NOW]);
    assert.equal(start.code, 0, start.stderr);
    assert.equal(start.stdout, '', 'an in-place edit prints nothing on stdout');
    assert.match(start.stderr, /edited mesh\.yaml:\n {2}spec\.istio\.revisions: \[asm-1-27\] → \[asm-1-27, asm-1-28\]\n/);
    const started = await readFile(file, 'utf8');
    assert.deepEqual(lineDelta(original, started), { removed: [], added: ['      -   asm-1-28'] });
    assert.equal(started.split('\n').length, original.split('\n').length + 1);

    const canaryPlan = await run(['upgrade', 'plan', dir, ...NOW]);
    assert.equal(canaryPlan.code, 0, canaryPlan.stderr);
    assert.match(canaryPlan.stdout, /state: canary\n/);
    assert.match(canaryPlan.stdout, /meshplane upgrade complete` \(keeps asm-1-28, removes asm-1-27\)/);

    // A tag moved to the canary (step 3): rollback is refused until it is moved back in a commit of
    // its own and the workloads restarted (the add-on's rollback steps), and writes nothing.
    const canaryTagged = started.replace('prod-stable:    asm-1-27', 'prod-stable:    asm-1-28');
    await writeFile(file, canaryTagged);
    const notYet = await run(['upgrade', 'rollback', dir]);
    assert.equal(notYet.code, 2, notYet.stderr);
    assert.equal(notYet.stdout, '');
    assert.match(notYet.stderr, /error\[upgrade-refused\]: spec\.tags\.prod-stable still points at asm-1-28, which `rollback` removes/);
    assert.match(notYet.stderr, /mesh\.yaml:25:\d+: spec\.tags\.prod-stable/);
    assert.equal(await readFile(file, 'utf8'), canaryTagged, 'a refused rollback writes nothing');
    await writeFile(file, started);

    const rollback = await run(['upgrade', 'rollback', dir]);
    assert.equal(rollback.code, 0, rollback.stderr);
    assert.equal(await readFile(file, 'utf8'), original, 'start then rollback gives back the original bytes');

    await writeFile(file, started);
    // The tags still point at asm-1-27: complete is refused until the workloads moved (the add-on's
    // upgrade guide: relabel or move the tag, restart, then complete), and writes nothing.
    const refused = await run(['upgrade', 'complete', dir]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, /spec\.tags\.prod-stable, spec\.tags\.legacy still point at asm-1-27, which `complete` removes/);
    assert.equal(await readFile(file, 'utf8'), started, 'a refused complete writes nothing');
    // The tag move, its own commit in real life; then complete removes only the old revision.
    await writeFile(file, started.replace('prod-stable:    asm-1-27', 'prod-stable:    asm-1-28').replace("legacy: 'asm-1-27'", "legacy: 'asm-1-28'"));
    const complete = await run(['upgrade', 'complete', dir]);
    assert.equal(complete.code, 0, complete.stderr);
    assert.match(complete.stderr, /spec\.istio\.revisions: \[asm-1-27, asm-1-28\] → \[asm-1-28\]\n/);
    assert.doesNotMatch(complete.stderr, /spec\.tags\./);
    assert.deepEqual(lineDelta(original, await readFile(file, 'utf8')), {
      removed: ['      -   asm-1-27      # stable', '    prod-stable:    asm-1-27    # namespaces use this tag', "    legacy: 'asm-1-27'"],
      added: ['      -   asm-1-28', '    prod-stable:    asm-1-28    # namespaces use this tag', "    legacy: 'asm-1-28'"],
    });
    assert.equal(await readFile(path.join(dir, 'apps/ns.yaml'), 'utf8'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
  });

  it('edits the ServiceMesh document of a multi-document file in a nested folder, and --dry-run writes nothing', async () => {
    const original = await fixture('upgrade/commented-flow-mesh.yaml');
    const dir = await tempWith({ 'platform/mesh/all.yaml': original, 'kustomization.yaml': 'resources: [platform/mesh/all.yaml]\n' });
    const file = path.join(dir, 'platform/mesh/all.yaml');
    const dry = await run(['upgrade', 'start', 'asm-1-29', dir, ...NOW, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stderr, /would edit platform\/mesh\/all\.yaml \(dry run, nothing written\)/);
    assert.equal(await readFile(file, 'utf8'), original, '--dry-run leaves the file alone');
    assert.deepEqual(lineDelta(original, dry.stdout), { removed: ['    revisions: [ "asm-1-27" ]   # flow, quoted, padded'], added: ['    revisions: [ "asm-1-27", "asm-1-29" ]   # flow, quoted, padded'] });
    assert.equal(parseAllDocuments(dry.stdout).length, 3, 'the other documents are kept');

    assert.equal((await run(['upgrade', 'start', 'asm-1-29', dir, ...NOW])).code, 0);
    assert.equal(await readFile(file, 'utf8'), dry.stdout, 'the dry run printed exactly what start writes');
    const back = await run(['upgrade', 'rollback', dir]);
    assert.equal(back.code, 0, back.stderr);
    assert.equal(await readFile(file, 'utf8'), original);
  });

  it('keeps a byte-order mark', async () => {
    const original = `\ufeff${await fixture('upgrade/commented-mesh.yaml')}`;
    const dir = await tempWith({ 'mesh.yaml': original });
    assert.equal((await run(['upgrade', 'start', 'asm-1-29', dir, ...NOW])).code, 0);
    const started = await readFile(path.join(dir, 'mesh.yaml'), 'utf8');
    assert.equal(started.charCodeAt(0), 0xfeff);
    assert.equal((await run(['upgrade', 'rollback', dir])).code, 0);
    assert.equal(await readFile(path.join(dir, 'mesh.yaml'), 'utf8'), original);
  });

  it('the canary renders both revisions, each with the same shared mesh config', async () => {
    const dir = await tempWith({ 'mesh.yaml': await fixture('upgrade/commented-mesh.yaml') });
    assert.equal((await run(['upgrade', 'start', 'asm-1-28', dir, ...NOW])).code, 0);
    const gen = await run(['generate', dir]);
    assert.equal(gen.code, 0, gen.stderr);
    const objects = parseAllDocuments(gen.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string }; data?: Record<string, string> });
    const shared = (rev: string) => objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === `istio-shared-configmap-${rev}`);
    assert.ok(objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'istiod-asm-1-28'));
    assert.ok(shared('asm-1-27')?.data?.mesh?.includes('accessLogFile'), 'the stable revision has the mesh config');
    assert.equal(shared('asm-1-28')?.data?.mesh, shared('asm-1-27')?.data?.mesh, 'the canary gets the same mesh config without copying');
  });
});

describe('upgrade: illegal moves are refused (exit 2, nothing on stdout, the file untouched)', { concurrency: 2 }, () => {
  const cases: Array<{ name: string; before?: string[]; args: string[]; stderr: RegExp }> = [
    { name: 'a third revision', before: ['upgrade', 'start', 'asm-1-28'], args: ['upgrade', 'start', 'asm-1-29'], stderr: /error\[upgrade-refused\]: a canary upgrade \(asm-1-27 → asm-1-28\) is already in progress; a third revision is not allowed\n {2}mesh\.yaml:12:5: spec\.istio\.revisions: nothing was changed\n {4}fix: finish it first/ },
    { name: 'a downgrade', args: ['upgrade', 'start', 'asm-1-26'], stderr: /asm-1-26 is lower than the installed asm-1-27: downgrades are not allowed\n {2}mesh\.yaml:12:5: / },
    { name: 'a skip of three minors', args: ['upgrade', 'start', 'asm-1-30'], stderr: /asm-1-30 is not an upgrade target for asm-1-27 on Kubernetes 1\.32 \(Standard tier\) as of 2026-05-01: more than two minors[^\n]*\n[^\n]*\n {4}fix: start one of the offered revisions instead \(asm-1-28, asm-1-29\)/ },
    { name: 'a revision outside the catalog', args: ['upgrade', 'start', 'asm-1-31'], stderr: /asm-1-31 is not a revision Meshplane knows/ },
    { name: 'complete without a canary', args: ['upgrade', 'complete'], stderr: /no canary upgrade is in progress \(spec\.istio\.revisions holds only asm-1-27\), so there is nothing to complete/ },
  ];
  for (const c of cases) {
    it(`refuses ${c.name}`, async () => {
      const dir = await tempWith({ 'mesh.yaml': await fixture('upgrade/commented-mesh.yaml') });
      const withDir = (args: string[]) => [...args, dir];
      if (c.before) assert.equal((await run([...withDir(c.before), ...NOW])).code, 0);
      const before = await readFile(path.join(dir, 'mesh.yaml'), 'utf8');
      const r = await run([...withDir(c.args), ...(c.args[1] === 'start' ? NOW : [])]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, c.stderr);
      assert.equal(await readFile(path.join(dir, 'mesh.yaml'), 'utf8'), before);
    });
  }
});

describe('import --aks', () => {
  it('turns az aks show output into a mesh.yaml that renders and plans', async () => {
    const r = await run(['import', '--aks', path.join(CASES, 'import', 'aks-show-cli.json')]);
    assert.equal(r.code, 0, r.stderr);
    // The one notice: the stable API the fixture stands for has no proxyRedirectionMechanism.
    assert.match(r.stderr, /^info: [^\n]*proxyRedirectionMechanism is not in the input, so InitContainers \(the add-on's default\) is assumed\.[^\n]*\n$/);
    assert.match(r.stdout, /^# Imported by `meshplane import --aks`/);
    const dir = await tempWith({ 'mesh.yaml': r.stdout });
    const gen = await run(['generate', dir]);
    assert.equal(gen.code, 0, gen.stderr);
    assert.ok(gen.stdout.includes('name: istiod-asm-1-27'));
    const plan = await run(['upgrade', 'plan', dir, ...NOW]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /^mesh prod-aks: Kubernetes 1\.32 \(Standard tier\), as of 2026-05-01\n/);
  });

  it('reads a serviceMeshProfile from stdin', async () => {
    const input = await fixture('import/service-mesh-profile.json');
    const r = await runCli(['import', '--aks', '-', '--name', 'edge', '--kube-version', '1.33'], { env, input });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\nmetadata:\n {2}name: edge\n/);
    assert.match(r.stdout, /\n {2}cluster:\n {4}kubernetesVersion: "1\.33"\n/);
  });

  const refusals: Array<{ name: string; args: string[]; stderr: RegExp }> = [
    { name: 'a cluster without the add-on', args: ['--aks', path.join(CASES, 'import', 'aks-show-no-mesh.json')], stderr: /error\[import-invalid\]: .*aks-show-no-mesh\.json cannot be imported: serviceMeshProfile is null[^\n]*\n {2}[^\n]*aks-show-no-mesh\.json:7:3: serviceMeshProfile: nothing was written\n {4}fix: enable the add-on/ },
  ];
  for (const c of refusals) {
    it(`refuses ${c.name} (exit 2, nothing on stdout)`, async () => {
      const r = await run(['import', ...c.args]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, c.stderr);
    });
  }
});
