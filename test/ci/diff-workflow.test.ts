/**
 * The PR-diff workflow (docs/ci/github-actions-diff.yaml) as written: its `run:` steps are taken
 * from the YAML and executed with bash, in order, in a temporary git repository laid out as a
 * fleet (clusters/<cluster>/mesh/mesh.yaml, clusters/<cluster>/kubernetes-version), the way a
 * GitHub-hosted runner runs them: `bash --noprofile --norc -eo pipefail <file>`, the job's and the
 * step's `env:`, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_PATH files (a GITHUB_PATH line is
 * prepended to PATH for the later steps), RUNNER_TEMP. That is GitHub's documented contract for
 * run steps and workflow commands ("Workflow syntax", "Workflow commands": environment files).
 *
 * `docker` is a stand-in on PATH that follows the docker CLI's `run [OPTIONS] IMAGE [COMMAND]
 * [ARG...]` form: it checks the image, honours --workdir and --env, and executes the command with
 * this checkout's `meshplane` first on PATH; every call is logged, so the test can count renders.
 * `uses:` steps (checkout, github-script) are not run; they must be pinned by commit SHA.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/cli.js';

interface Step { name?: string; id?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, unknown> }
interface Workflow { env: Record<string, string>; jobs: Record<string, { steps: Step[] }> }

const WORKFLOW = path.join(REPO_ROOT, 'docs', 'ci', 'github-actions-diff.yaml');
const workflow = parse(readFileSync(WORKFLOW, 'utf8')) as Workflow;
const steps = Object.values(workflow.jobs)[0]?.steps ?? [];
/** The values of the `${{ }}` expressions the run steps' env uses, for a pull request into main. */
const EXPRESSIONS: Record<string, string> = { 'github.base_ref': 'main' };

const DOCKER_STUB = `#!/usr/bin/env bash
# docker run [OPTIONS] IMAGE [COMMAND] [ARG...], enough of it for the workflow under test.
echo "$*" >> "$DOCKER_LOG"
case "$1" in
  pull) exit 0 ;;
  run)
    shift
    workdir=.
    while [ $# -gt 0 ]; do
      case "$1" in
        --rm) shift ;;
        --workdir) workdir="$2"; shift 2 ;;
        --env) export "$2"; shift 2 ;;
        --user|--volume) shift 2 ;;
        --*) echo "docker stand-in: unknown option $1" >&2; exit 125 ;;
        *) break ;;
      esac
    done
    [ "$1" = "$MESHPLANE_IMAGE" ] || { echo "docker stand-in: unexpected image $1" >&2; exit 125; }
    shift
    cd "$workdir" && PATH="$MESHPLANE_TEST_BIN:$PATH" exec "$@" ;;
esac
echo "docker stand-in: unsupported command $1" >&2
exit 125
`;

let tmp = '';
let stubs = '';
before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'mp-ci-'));
  stubs = path.join(tmp, 'stubs');
  mkdirSync(path.join(stubs, 'docker-bin'), { recursive: true });
  mkdirSync(path.join(stubs, 'meshplane-bin'));
  writeFileSync(path.join(stubs, 'docker-bin', 'docker'), DOCKER_STUB);
  chmodSync(path.join(stubs, 'docker-bin', 'docker'), 0o755);
  symlinkSync(path.join(REPO_ROOT, 'bin', 'meshplane'), path.join(stubs, 'meshplane-bin', 'meshplane'));
});
after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', '-c', 'init.defaultBranch=main', ...args], { cwd: repo, encoding: 'utf8' });
}

/** A mesh intent from an example, with its pinned Kubernetes version removed when asked. */
function example(name: string, unpin = false): string {
  const text = readFileSync(path.join(REPO_ROOT, 'examples', name, 'mesh.yaml'), 'utf8');
  return unpin ? text.replace(/\n  cluster:\n    kubernetesVersion: "[\d.]+"/, '') : text;
}

function write(repo: string, rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
  writeFileSync(path.join(repo, rel), text);
}

/** A fleet repository: main with clusters alpha (version file) and beta (pinned), origin/main set. */
function fleet(name: string): string {
  const repo = path.join(tmp, name);
  mkdirSync(repo);
  git(repo, 'init', '-q');
  const alpha = example('single-revision', true);
  assert.doesNotMatch(alpha, /kubernetesVersion/, 'alpha relies on its kubernetes-version file');
  write(repo, 'clusters/alpha/kubernetes-version', '1.32\n');
  write(repo, 'clusters/alpha/mesh/mesh.yaml', alpha);
  write(repo, 'clusters/beta/mesh/mesh.yaml', example('full'));
  write(repo, 'README.md', 'fleet\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'fleet');
  git(repo, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
  git(repo, 'checkout', '-qb', 'pr');
  return repo;
}

interface Run { code: number; stderr: string; stdout: string; output: string; summary: string; diff: string; docker: string[] }

/** Runs every `run:` step of the workflow in `repo`, as a runner would; stops at the first failure. */
function runSteps(repo: string): Run {
  const files = mkdtempSync(path.join(tmp, 'files-'));
  const env: Record<string, string> = {
    PATH: `${path.join(stubs, 'docker-bin')}:${process.env.PATH ?? ''}`,
    HOME: files, RUNNER_TEMP: path.join(files, 'runner-temp'), CI: 'true', GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: path.join(files, 'output'), GITHUB_STEP_SUMMARY: path.join(files, 'summary'), GITHUB_PATH: path.join(files, 'path'),
    DOCKER_LOG: path.join(files, 'docker.log'), MESHPLANE_TEST_BIN: path.join(stubs, 'meshplane-bin'),
    ...workflow.env,
  };
  mkdirSync(env.RUNNER_TEMP as string);
  for (const f of ['output', 'summary', 'path', 'docker.log']) writeFileSync(path.join(files, f), '');
  let last = { code: 0, stderr: '', stdout: '' };
  for (const [i, step] of steps.entries()) {
    if (step.run === undefined) continue;
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v)]));
    const added = readFileSync(env.GITHUB_PATH as string, 'utf8').split('\n').filter(Boolean).reverse();
    const script = path.join(files, `step-${i}.sh`);
    writeFileSync(script, step.run);
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: repo, encoding: 'utf8', env: { ...env, ...stepEnv, PATH: [...added, env.PATH].join(':') }, timeout: 240_000 });
    last = { code: r.status ?? 1, stderr: r.stderr, stdout: r.stdout };
    if (last.code !== 0) break;
  }
  const read = (f: string): string => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  return { ...last, output: read(env.GITHUB_OUTPUT as string), summary: read(env.GITHUB_STEP_SUMMARY as string), diff: read(path.join(repo, 'diff.md')), docker: read(env.DOCKER_LOG as string).split('\n').filter(Boolean) };
}

function expand(value: string): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    const v = EXPRESSIONS[expr];
    assert.ok(v !== undefined, `the test knows the value of \${{ ${expr} }}`);
    return v;
  });
}

describe('docs/ci/github-actions-diff.yaml', { timeout: 600_000 }, () => {
  it('pins every action by commit SHA and runs Meshplane from its image, not from a registry package', () => {
    for (const file of ['github-actions-diff.yaml', 'flux-push.yaml']) {
      const wf = parse(readFileSync(path.join(REPO_ROOT, 'docs', 'ci', file), 'utf8')) as Workflow;
      const all = Object.values(wf.jobs).flatMap((j) => j.steps);
      for (const s of all.filter((x) => x.uses)) assert.match(s.uses as string, /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/, `${file}: ${s.uses}`);
      for (const s of all.filter((x) => x.run)) assert.doesNotMatch(s.run as string, /npm (install|i) (-g|--global)/, `${file}: meshplane is not installed from the npm registry`);
      assert.ok(all.some((x) => /\$MESHPLANE_IMAGE/.test(x.run ?? '')), `${file} runs the image`);
    }
  });

  it('a pull request that changes one cluster and adds another: each is rendered once, with its own Kubernetes version', () => {
    const repo = fleet('changed');
    write(repo, 'clusters/alpha/mesh/mesh.yaml', example('single-revision', true).replace('        - {mode: External, enabled: true}\n', '        - {mode: External, enabled: true}\n        - {mode: Internal, enabled: true}\n'));
    write(repo, 'clusters/gamma/mesh/mesh.yaml', example('canary'));
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'internal gateway on alpha, new cluster gamma');
    const r = runSteps(repo);
    assert.equal(r.code, 0, r.stderr);
    const diffs = r.docker.filter((l) => / meshplane diff /.test(l));
    assert.equal(diffs.length, 2, `one diff (base + head render) per changed cluster:\n${r.docker.join('\n')}`);
    assert.match(diffs[0] as string, /--path clusters\/alpha\/mesh --kube-version 1\.32 --output markdown$/);
    assert.match(diffs[1] as string, /--path clusters\/gamma\/mesh --output markdown$/);
    assert.equal(r.docker.filter((l) => l.startsWith('pull ')).length, 1);
    const lines = r.diff.split('\n');
    assert.equal(lines[0], '<!-- meshplane-diff -->');
    assert.equal(lines.filter((l) => l === '<!-- meshplane-diff -->').length, 1, 'one marker: the comment is found again');
    assert.match(r.diff, /## Cluster `alpha`[\s\S]*aks-istio-ingressgateway-internal[\s\S]*## Cluster `gamma`/);
    assert.doesNotMatch(r.diff, /Cluster `beta`/, 'an untouched cluster is not rendered');
    assert.equal(r.summary, r.diff);
    assert.match(r.output, /^changed=true$/m);
  });

  it('a pull request that touches no cluster renders nothing and reports no change', () => {
    const repo = fleet('untouched');
    write(repo, 'README.md', 'fleet, documented\n');
    git(repo, 'commit', '-qam', 'docs only');
    const r = runSteps(repo);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.docker.filter((l) => l.startsWith('run ')), []);
    assert.match(r.diff, /No cluster's mesh changes/);
    assert.match(r.output, /^changed=false$/m);
  });

  it('a cluster whose Kubernetes version is known nowhere fails the job with the reason (exit 2)', () => {
    const repo = fleet('unversioned');
    rmSync(path.join(repo, 'clusters', 'alpha', 'kubernetes-version'));
    git(repo, 'commit', '-qam', 'drop the version file');
    const r = runSteps(repo);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /::error::meshplane diff failed for cluster alpha \(exit 2\)/);
    assert.match(r.stderr, /kube/i, 'meshplane says what is missing');
  });
});


