/**
 * The CLI conventions end to end, through the real `bin/meshplane`: per-command help, `help <cmd>`,
 * extra arguments, did-you-mean, the precedence rule for --kube-version, colour per stream under a
 * real pseudo-terminal, `version -o json`, and exit 2 for an unknown revision.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { COMMAND_TABLE } from '../../src/cli/commands/table.js';
import { envNames, flagsOf } from '../../src/cli/spec.js';
import { BIN, REPO_ROOT, runCli } from '../helpers/cli.js';

const NOW = ['--now', '2026-06-15'];
const PINNED = path.join(REPO_ROOT, 'test', 'cases', 'cli', 'pinned');
const UNKNOWN_REVISION = path.join(REPO_ROOT, 'test', 'cases', 'cli', 'unknown-revision');
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'canary');
/**
 * examples/waves runs asm-1-28, whose expected end of life (2026-08-31) has passed on this date
 * while it is no longer one of the two newest revisions: generate passes with a warning report on
 * stderr. (examples/canary's asm-1-29 is one of the two newest, which the support policy keeps.)
 */
const AFTER_EOL_EXAMPLE = path.join(REPO_ROOT, 'examples', 'waves');
const AFTER_EOL = ['--now', '2026-12-02'];
/** Any ANSI escape sequence (ESC). */
const ESC = /\u001b/;

/** The Kubernetes version a render was made for: the CRDs' app.kubernetes.io/version does not say it, the check header does. */
function renderedFor(stderrOrReport: string): string | undefined {
  return /Kubernetes (1\.\d+)/.exec(stderrOrReport)?.[1];
}

describe('meshplane generate --help', () => {
  it('lists every flag with its default and environment variable; `help generate` prints the same', async () => {
    const r = await runCli(['generate', '--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const generate = COMMAND_TABLE.find((c) => c.name === 'generate');
    assert.ok(generate);
    for (const [name, def] of Object.entries(flagsOf([generate]))) {
      if (def.deprecatedFor) continue;
      const line = r.stdout.split('\n').find((l) => new RegExp(`--${name}\\b(?!-)`).test(l));
      assert.ok(line, `--${name} is listed`);
      const shown = def.defaultText ?? def.default;
      if (shown !== undefined) assert.ok(line.includes(`default: ${String(shown)}`), `--${name}: default`);
      for (const env of envNames(def)) assert.ok(line.includes(env), `--${name}: ${env}`);
    }
    assert.match(r.stdout, /--kube-version VERSION .*env: KUBE_VERSION; mesh\.yaml: spec\.cluster\.kubernetesVersion/);
    assert.match(r.stdout, /-o, --output FORMAT .*one of: yaml, json; default: yaml/);
    assert.match(r.stdout, /^Examples:\n {2}meshplane generate /m);
    const help = await runCli(['help', 'generate']);
    assert.equal(help.code, 0);
    assert.equal(help.stdout, r.stdout);
  });
});

describe('usage errors: exit 2, nothing on stdout, a clean message', () => {
  const cases: Array<{ args: string[]; err: RegExp }> = [
    { args: ['generate', 'a', 'b'], err: /^error\[usage\]: meshplane generate: unexpected argument "b": `meshplane generate` takes \[dir\]\n {2}fix: run `meshplane generate --help`\n$/ },
    { args: ['gen'], err: /^error\[usage\]: unknown command "gen"; did you mean generate\?\n/ },
    { args: ['generate', '-v'], err: /^error\[usage\]: meshplane generate: unknown flag "-v"; did you mean --verbose\?\n/ },
    { args: ['generate', '--kube-versoin', '1.34'], err: /unknown flag "--kube-versoin"; did you mean --kube-version\?\n/ },
    { args: ['-v'], err: /unknown flag "-v" before the command; did you mean --version\?/ },
  ];
  for (const c of cases) {
    it(`meshplane ${c.args.join(' ')}`, async () => {
      const r = await runCli(c.args);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, c.err);
      assert.doesNotMatch(r.stderr, /ERR_PARSE_ARGS|Unknown option '/, 'no raw node parseArgs text');
    });
  }
});

describe('--kube-version: flag > KUBE_VERSION > mesh.yaml (docs/cli.md)', () => {
  const cases: Array<{ name: string; args: string[]; env: Record<string, string | undefined>; want: string; notice?: RegExp }> = [
    { name: 'the flag beats KUBE_VERSION and mesh.yaml, with the notice', args: ['--kube-version', '1.34'], env: { KUBE_VERSION: '1.33' }, want: '1.34', notice: /^warning: --kube-version 1\.34 overrides KUBE_VERSION=1\.33 and mesh\.yaml's spec\.cluster\.kubernetesVersion 1\.32; rendering for Kubernetes 1\.34$/m },
    { name: 'KUBE_VERSION beats mesh.yaml, with the notice', args: [], env: { KUBE_VERSION: 'v1.33.4' }, want: '1.33', notice: /^warning: KUBE_VERSION=v1\.33\.4 overrides mesh\.yaml's spec\.cluster\.kubernetesVersion 1\.32; rendering for Kubernetes 1\.33$/m },
    { name: 'mesh.yaml alone, no notice', args: [], env: { KUBE_VERSION: undefined }, want: '1.32' },
  ];
  for (const c of cases) {
    it(`generate: ${c.name}`, async () => {
      const r = await runCli(['generate', PINNED, ...NOW, ...c.args, '--verbose'], { env: c.env });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(parseAllDocuments(r.stdout).length > 5);
      if (c.notice) assert.match(r.stderr, c.notice);
      else assert.doesNotMatch(r.stderr, /overrides/);
    });
    it(`check: ${c.name}`, async () => {
      const r = await runCli(['check', PINNED, ...NOW, ...c.args], { env: c.env });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(renderedFor(r.stdout), c.want, 'the report names the version it checked for');
      if (c.notice) assert.match(r.stderr, c.notice);
      else assert.doesNotMatch(r.stderr, /overrides/);
    });
  }
});

describe('colour per stream under a real pseudo-terminal', { skip: spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0 ? false : '`script` (bsdutils) is not installed' }, () => {
  /** Runs `command` with stdin/stderr on a pty made by script(1); stdout redirected to a file. Returns the file and the pty transcript. */
  function underPty(args: string[], env: Record<string, string> = {}): { file: string; tty: string } {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'meshplane-pty-'));
    try {
      const out = path.join(dir, 'out.txt');
      const quoted = [BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
      const clean: Record<string, string | undefined> = { ...process.env, TERM: 'xterm', ...env };
      for (const k of ['NO_COLOR', 'FORCE_COLOR']) if (!(k in env)) delete clean[k];
      const r = spawnSync('script', ['-qec', `${quoted} > '${out}'`, '/dev/null'], { cwd: REPO_ROOT, env: clean as NodeJS.ProcessEnv, encoding: 'utf8' });
      return { file: readFileSync(out, 'utf8'), tty: r.stdout };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  it('check > file: no ANSI escape in the file', () => {
    const { file } = underPty(['check', EXAMPLE, ...NOW]);
    assert.match(file, /rules: /);
    assert.doesNotMatch(file, ESC);
  });
  it('generate: the report on stderr (the terminal) is coloured, the manifests in the file are not', () => {
    const { file, tty } = underPty(['generate', AFTER_EOL_EXAMPLE, ...AFTER_EOL]);
    assert.match(tty, /revision-end-of-life/);
    assert.ok(parseAllDocuments(file).length > 5);
    assert.doesNotMatch(file, ESC);
    assert.match(tty, ESC, 'stderr is the pty, so the report there is coloured');
  });
  it('diff > file: no ANSI escape in the file', () => {
    const { file } = underPty(['diff', '--base', path.join(REPO_ROOT, 'examples', 'single-revision'), '--head', EXAMPLE, ...NOW]);
    assert.match(file, /asm-1-/);
    assert.doesNotMatch(file, ESC);
  });
  it('the control: --color always and FORCE_COLOR=1 colour the file, NO_COLOR keeps the pty plain', () => {
    assert.match(underPty(['check', EXAMPLE, ...NOW, '--color', 'always']).file, ESC);
    assert.match(underPty(['check', EXAMPLE, ...NOW], { FORCE_COLOR: '1' }).file, ESC);
    const plain = underPty(['generate', AFTER_EOL_EXAMPLE, ...AFTER_EOL], { NO_COLOR: '1' }).tty;
    assert.match(plain, /revision-end-of-life/);
    assert.doesNotMatch(plain, ESC);
  });
});

describe('meshplane version', () => {
  it('-o json: version, commit, node, catalog date and revisions', async () => {
    const r = await runCli(['version', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout) as { version: string; commit: string; node: string; catalog: { date: string; revisions: string[]; knowledge: unknown } };
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(v.version, pkg.version);
    assert.match(v.commit, /^([0-9a-f]{40}|unknown)$/);
    assert.equal(v.node, process.version);
    assert.match(v.catalog.date, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(v.catalog.revisions.includes('asm-1-28'));
    // The date the revision-end-of-life warnings name (src/catalog/horizon.ts), not the read date.
    assert.deepEqual(v.catalog.knowledge, { asOf: '2026-08-07', basis: 'Azure/AKS 8d1c890', vouchedUntil: '2026-11-16', newest: 'asm-1-30', newestVouchedUntil: '2027-02-04' });
    const text = await runCli(['version']);
    assert.match(text.stdout, /\nrevisions known up to: 2026-08-07 \(Azure\/AKS 8d1c890\); support vouched for until 2026-11-16 \(asm-1-30, the newest: 2027-02-04\)\n/);
    const plain = await runCli(['--version']);
    assert.equal(plain.stdout, `${pkg.version}\n`);
  });
});

describe('an unknown revision: nothing can be rendered, exit 2', () => {
  for (const command of ['generate', 'check']) {
    it(command, async () => {
      const r = await runCli([command, UNKNOWN_REVISION, ...NOW]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /error\[revision-unknown\].*\n {2}revision asm-1-99 is not in the catalog/);
    });
  }
});
