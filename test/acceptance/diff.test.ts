/**
 * Acceptance: `bin/meshplane diff` (issue 7). The fixture pair test/cases/diff/{single,canary}
 * differs only by a canary revision (asm-1-28) and its tag (prod-canary).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { render } from '../../src/pipeline/render.js';
import { resourceKey } from '../../src/core/resource-key.js';
import { readSourceTree } from '../../src/pipeline/load.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { assertGolden } from '../helpers/golden-file.js';

const SINGLE = 'test/cases/diff/single';
const CANARY = 'test/cases/diff/canary';
/** A fixed clock, so end-of-life findings in the guardrail section do not change with the date. */
const NOW = ['--now', '2026-01-01'];
const ENV = { KUBE_VERSION: undefined, KUBE_API_VERSIONS: undefined, NO_COLOR: undefined };

interface JsonReport {
  base: string;
  head: string;
  summary: { added: number; removed: number; changed: number; unchanged: number; hidden: number };
  guardrails: { ran: boolean; violations: unknown[] };
  moves: Array<{ from: string; to: string; renamed: unknown[]; relabelled: string[] }>;
  resources: Array<{ key: string; change: string; diff: string[] }>;
}

async function jsonDiff(args: string[], cwd = REPO_ROOT): Promise<{ code: number | null; report: JsonReport; stderr: string }> {
  const r = await runCli(['diff', ...args, '--output', 'json', ...NOW], { cwd, env: ENV });
  assert.notEqual(r.stdout, '', r.stderr);
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

/** Keys of everything `generate` renders for a folder (in-process: the CLI itself is exercised by the diff runs). */
async function generatedKeys(dir: string): Promise<string[]> {
  const result = await render({ files: await readSourceTree(path.join(REPO_ROOT, dir)), env: {} });
  return result.objects.map((o) => resourceKey(o.object));
}

/** The folder diff of the fixture pair, run once and shared (each CLI run renders two meshes). */
let pairRun: Promise<{ code: number | null; report: JsonReport; stdout: string; stderr: string }> | undefined;
function pairDiff(): Promise<{ code: number | null; report: JsonReport; stdout: string; stderr: string }> {
  pairRun ??= runCli(['diff', '--base', SINGLE, '--head', CANARY, '--output', 'json', ...NOW], { env: ENV }).then((r) => ({ code: r.code, report: JSON.parse(r.stdout || '{}') as JsonReport, stdout: r.stdout, stderr: r.stderr }));
  return pairRun;
}

const keysOf = (report: JsonReport, change: string): string[] => report.resources.filter((r) => r.change === change).map((r) => r.key);

describe('diff single-revision → canary', () => {
  it('lists exactly the added revision\'s objects as added and the shared objects that change as changed', async () => {
    const { code, report, stderr } = await pairDiff();
    assert.equal(code, 1, `changes → exit 1\n${stderr}`);
    const headKeys = await generatedKeys(CANARY);
    const canaryKeys = headKeys.filter((k) => k.includes('asm-1-28') || k.includes('prod-canary')).sort();
    assert.deepEqual(keysOf(report, 'added'), canaryKeys, 'added = every head object of the new revision or its tag, nothing else');
    for (const must of ['apps/Deployment/aks-istio-system/istiod-asm-1-28', 'core/ConfigMap/aks-istio-system/istio-sidecar-injector-asm-1-28', 'admissionregistration.k8s.io/MutatingWebhookConfiguration/_cluster/istio-revision-tag-prod-canary-aks-istio-system']) {
      assert.ok(canaryKeys.includes(must), `${must} is among the added objects`);
    }
    assert.deepEqual(keysOf(report, 'removed'), []);
    assert.deepEqual(keysOf(report, 'changed'), [
      'admissionregistration.k8s.io/ValidatingWebhookConfiguration/_cluster/istiod-default-validator',
      'apiextensions.k8s.io/CustomResourceDefinition/_cluster/authorizationpolicies.security.istio.io',
      'apiextensions.k8s.io/CustomResourceDefinition/_cluster/peerauthentications.security.istio.io',
      'apiextensions.k8s.io/CustomResourceDefinition/_cluster/requestauthentications.security.istio.io',
    ]);
    assert.deepEqual(report.moves.map((m) => [m.from, m.to, m.relabelled]), [['asm-1-27', 'asm-1-28', ['admissionregistration.k8s.io/ValidatingWebhookConfiguration/_cluster/istiod-default-validator']]]);
    assert.equal(report.summary.unchanged + report.summary.changed + report.summary.removed, (await generatedKeys(SINGLE)).length);
    assert.equal(report.guardrails.ran, true);
  });

  it('matches the json golden file', async () => {
    assertGolden('test/golden/diff/canary.json', (await pairDiff()).stdout);
  });

  it('matches the markdown golden file, within the comment limit', async () => {
    const r = await runCli(['diff', '--base', SINGLE, '--head', CANARY, '--output', 'markdown', ...NOW], { env: ENV });
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.stdout.length <= 65_536, `${r.stdout.length} characters`);
    assertGolden('test/golden/diff/canary.md', r.stdout);
  });

  it('matches the text golden file (no ANSI colour off a terminal) and exits 0 with --exit-zero', async () => {
    const r = await runCli(['diff', '--base', SINGLE, '--head', CANARY, '--exit-zero', ...NOW], { env: ENV });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('\u001b['));
    assertGolden('test/golden/diff/canary.txt', r.stdout);
  });

  it('exits 0 and reports nothing when both sides render the same', async () => {
    const { code, report } = await jsonDiff(['--base', CANARY, '--head', CANARY]);
    assert.equal(code, 0);
    assert.deepEqual(report.resources, []);
  });
});

describe('diff of an upgrade asm-1-27 → asm-1-28', () => {
  it('pairs every removed object with its replacement and shows only what differs besides the revision', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'mp-diff-up-'));
    try {
      await cp(path.join(REPO_ROOT, SINGLE), tmp, { recursive: true });
      const mesh = path.join(tmp, 'mesh.yaml');
      await writeFile(mesh, (await readFile(mesh, 'utf8')).replace('revisions: [asm-1-27]', 'revisions: [asm-1-28]').replace('prod-stable: asm-1-27', 'prod-stable: asm-1-28'));
      const { code, report, stderr } = await jsonDiff(['--base', SINGLE, '--head', tmp]);
      assert.equal(code, 1, stderr);
      const [move] = report.moves as Array<{ from: string; to: string; renamed: Array<{ from: string; to: string; residualDiff: string[] }> }>;
      assert.equal(report.moves.length, 1);
      assert.deepEqual([move?.from, move?.to], ['asm-1-27', 'asm-1-28']);
      assert.deepEqual(move?.renamed.map((p) => p.from).sort(), keysOf(report, 'removed'), 'every removed object is one side of a rename');
      const istiod = move?.renamed.find((p) => p.to === 'apps/Deployment/aks-istio-system/istiod-asm-1-28');
      const changed = istiod?.residualDiff.filter((l) => /^[-+]/.test(l)) ?? [];
      assert.equal(changed.length, 2, changed.join('\n'));
      assert.match(changed[0] ?? '', /^- +image: \S+\/pilot:1\.27\./);
      assert.match(changed[1] ?? '', /^\+ +image: \S+\/pilot:1\.28\./);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});

describe('diff of a new Grafana instance selector', () => {
  // grafana-operator's CRD makes GrafanaDashboard spec.instanceSelector immutable (x-kubernetes-validations
  // self == oldSelf, config/crd/bases/grafana.integreatly.org_grafanadashboards.yaml, v5.9.1 to v5.24.0):
  // a sync of this change is refused, so the preview must say so for every dashboard Meshplane renders.
  it('warns, per GrafanaDashboard, that the API server will refuse the update and how to proceed', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'mp-diff-grafana-'));
    try {
      const withSelector = async (dir: string, selector: string): Promise<string> => {
        const to = path.join(tmp, dir);
        await cp(path.join(REPO_ROOT, SINGLE), to, { recursive: true });
        const mesh = path.join(to, 'mesh.yaml');
        await writeFile(mesh, `${await readFile(mesh, 'utf8')}  monitoring: {grafana: grafana-operator, grafanaInstanceSelector: ${selector}}\n`);
        return to;
      };
      const base = await withSelector('base', '{dashboards: grafana}');
      const head = await withSelector('head', '{dashboards: shared-grafana}');
      const dashboards = (await generatedKeys(path.relative(REPO_ROOT, head))).filter((k) => k.startsWith('grafana.integreatly.org/GrafanaDashboard/')).sort();
      assert.equal(dashboards.length, 7, 'six Istio dashboards and meshplane-control-plane');
      const r = await runCli(['diff', '--base', base, '--head', head, '--output', 'json', ...NOW], { env: ENV });
      assert.equal(r.code, 1, r.stderr);
      const report = JSON.parse(r.stdout) as JsonReport & { refusedUpdates?: Array<{ key: string; ruleId: string; message: string; fix: string }> };
      assert.deepEqual(report.refusedUpdates?.map((u) => u.key), dashboards);
      assert.ok(report.refusedUpdates?.every((u) => u.ruleId === 'grafanadashboard-instance-selector' && /spec\.monitoring\.grafanaInstanceSelector/.test(u.message) && /kubectl delete grafanadashboards/.test(u.fix)));
      const text = await runCli(['diff', '--base', base, '--head', head, '--output', 'text', '--color', 'never', ...NOW], { env: ENV });
      assert.match(text.stdout, /^Will be refused by the API server \(7 changes to an immutable field\):$/m);
      // The same meshes with equal selectors: nothing to warn about.
      const same = await jsonDiff(['--base', base, '--head', base]);
      assert.equal(Object.hasOwn(same.report, 'refusedUpdates'), false);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});

describe('diff errors', () => {
  const cases: Array<{ name: string; args: string[]; match: RegExp }> = [
    { name: 'missing --head', args: ['--base', SINGLE], match: /--head is required/ },
    { name: 'a side that is neither a folder nor a revision', args: ['--base', 'no-such-thing', '--head', CANARY], match: /--base no-such-thing: it is neither a directory nor a revision/ },
    { name: 'an unknown output', args: ['--base', SINGLE, '--head', CANARY, '--output', 'html'], match: /--output must be one of text, markdown, json/ },
    { name: '--path leaving the repository', args: ['--base', 'HEAD', '--head', CANARY, '--path', '../x'], match: /leaves the repository/ },
  ];
  for (const c of cases) {
    it(`${c.name}: exit 2, nothing on stdout, a fix on stderr`, async () => {
      const r = await runCli(['diff', ...c.args], { env: ENV });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, c.match);
      assert.match(r.stderr, /fix:/);
    });
  }
});

describe('diff between git revisions', () => {
  it('reads both sides from a temporary repository with git alone (no network) and matches the folder diff', async () => {
    const repo = await mkdtemp(path.join(os.tmpdir(), 'mp-diff-git-'));
    try {
      const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: repo } });
      git('init', '-q', '-b', 'main');
      git('config', 'user.email', 'test@example.invalid');
      git('config', 'user.name', 'test');
      // A remote nobody can reach: any fetch would fail the run.
      git('remote', 'add', 'origin', 'https://127.0.0.1:9/unreachable.git');
      await cp(path.join(REPO_ROOT, SINGLE), path.join(repo, 'clusters', 'prod'), { recursive: true });
      git('add', '-A');
      git('commit', '-q', '-m', 'one revision');
      await rm(path.join(repo, 'clusters', 'prod'), { recursive: true });
      await cp(path.join(REPO_ROOT, CANARY), path.join(repo, 'clusters', 'prod'), { recursive: true });
      git('add', '-A');
      git('commit', '-q', '-m', 'canary');
      const viaGit = await jsonDiff(['--base', 'HEAD~1', '--head', 'main', '--path', 'clusters/prod'], path.join(repo, 'clusters'));
      const viaDirs = await pairDiff();
      assert.equal(viaGit.code, 1, viaGit.stderr);
      assert.match(viaGit.report.base, /^HEAD~1 \([0-9a-f]{12}\):clusters\/prod$/);
      assert.deepEqual(viaGit.report.resources, viaDirs.report.resources);
      const unknown = await runCli(['diff', '--base', 'no-such-branch', '--head', 'HEAD', '--path', 'clusters/prod'], { cwd: repo, env: ENV });
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /neither a directory nor a revision/);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
});
