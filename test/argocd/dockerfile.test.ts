/**
 * The image, checked without a Docker engine (none runs in CI). Statically: one base pinned by
 * digest that renovate.json's regex manager can bump; every COPY source exists and survives
 * .dockerignore; the runtime stage takes only the runtime tree from the build stage, installs git
 * and no compiler, runs as 999 with plugin.yaml where argocd-cmp-server reads it, `meshplane` on
 * PATH, HOME=/tmp and an explicitly empty entrypoint. And for real: the same runtime-tree script
 * the build stage runs is run here, and what the runtime stage relies on is checked in its output
 * (the symlink target, the plugin's command, no dev dependency, no build tree, relocatable ELF).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';
import { EXAMPLES_DIR } from '../helpers/examples.js';
import { layOutRuntimeTree, readableTempDir, type RuntimeTree } from '../helpers/runtime-tree.js';
import { copiesOf, envOf, globalArgs, landing, parseDockerfile, type Stage } from './dockerfile.js';
import { readPluginConfig } from './plugin-config.js';

const text = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
const stages = parseDockerfile(text);
const build = stages.find((s) => s.name === 'build') as Stage;
const runtime = stages.at(-1) as Stage;
const ignored = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string }; scripts: Record<string, string>; allowScripts: Record<string, boolean>; dependencies: Record<string, string>; devDependencies: Record<string, string> };
/** Where the build stage lays out the runtime tree (the argument of scripts/runtime-tree.mjs). */
const TREE_AT = '/opt/meshplane';
// Why: Debian packages that are compilers or build drivers; none may reach the runtime stage.
const BUILD_TOOLS = ['gcc', 'g++', 'cpp', 'clang', 'cmake', 'make', 'build-essential', 'python3'];

/** Docker's .dockerignore matching: a pattern excludes a path or any folder above it. */
function excluded(rel: string): boolean {
  const parts = rel.replace(/\/$/, '').split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  return ignored.some((pattern) => {
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
    return prefixes.some((p) => re.test(p));
  });
}

function runs(stage: Stage): string {
  return stage.instructions.filter((i) => i.op === 'RUN').map((i) => i.args).join('\n');
}

/** Debian packages a stage installs with apt-get install. */
function aptPackages(stage: Stage): string[] {
  return [...runs(stage).matchAll(/apt-get install([^&;\n]*)/g)].flatMap((m) => (m[1] as string).split(/\s+/).filter((w) => w && !w.startsWith('-')));
}

let dir = '';
let tree: RuntimeTree;
before(() => {
  dir = readableTempDir('mp-image-');
  tree = layOutRuntimeTree(path.join(dir, 'meshplane'));
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Dockerfile: base image', () => {
  it('both stages use one node LTS bookworm-slim base, pinned by tag and digest', () => {
    assert.equal(stages.length, 2);
    assert.ok(stages.every((s) => s.imageAsWritten === '${NODE_IMAGE}'), 'both FROM lines use the one ARG');
    const m = /^node:(\d+)\.\d+\.\d+-bookworm-slim@sha256:[0-9a-f]{64}$/.exec(runtime.image);
    assert.ok(m, `${runtime.image} is node:<x.y.z>-bookworm-slim@sha256:<digest>`);
    const major = Number(m[1]);
    assert.ok(major >= 24 && major % 2 === 0, `node ${major} is an LTS line (even) and current`);
    assert.ok(Number(/\d+/.exec(pkg.engines.node)?.[0]) <= major, `package.json engines (${pkg.engines.node}) admits the image's Node`);
  });

  it('renovate.json\'s regex manager finds the base and reads the tag and digest the stages use', () => {
    const renovate = JSON.parse(readFileSync(path.join(REPO_ROOT, 'renovate.json'), 'utf8')) as { customManagers: Array<{ customType: string; managerFilePatterns: string[]; matchStrings: string[] }> };
    const manager = renovate.customManagers.find((c) => c.customType === 'regex');
    assert.ok(manager);
    const files = manager.managerFilePatterns.map((p) => new RegExp(p.slice(1, -1)));
    assert.ok(files.some((re) => re.test('Dockerfile')), 'the manager looks at the Dockerfile');
    const found = manager.matchStrings.map((s) => new RegExp(s).exec(text)?.groups).find(Boolean);
    assert.ok(found, 'a matchString matches the Dockerfile');
    assert.equal(found.datasource, 'docker');
    assert.equal(found.depName, 'node');
    assert.equal(`node:${found.currentValue}@${found.currentDigest}`, globalArgs(text).NODE_IMAGE);
  });
});

describe('Dockerfile: build context and stages', () => {
  it('every COPY from the build context exists in the repo and is not excluded by .dockerignore', () => {
    const fromContext = stages.flatMap(copiesOf).filter((c) => !c.from);
    assert.ok(fromContext.length > 5);
    for (const c of fromContext) {
      for (const s of c.sources) {
        assert.ok(existsSync(path.join(REPO_ROOT, s)), `COPY ${s} (line ${c.line}) exists`);
        assert.equal(excluded(s), false, `COPY ${s} (line ${c.line}) is not in .dockerignore`);
      }
    }
  });

  it('the build stage has every file the package publishes (what the runtime-tree script copies)', () => {
    const copied = copiesOf(build).flatMap((c) => c.sources.map((s) => s.replace(/\/$/, '')));
    // Why dist: `npm ci` runs `prepare`, which builds it in the stage.
    const made = ['dist'];
    const own = readdirSync(path.join(tree.dest), { withFileTypes: true }).filter((e) => e.name !== 'node_modules').map((e) => e.name);
    for (const top of own) assert.ok(copied.includes(top) || made.includes(top), `${top} reaches the build stage`);
  });

  it('the build stage installs the addon\'s toolchain, runs npm ci, and lays out the runtime tree', () => {
    assert.deepEqual(['cmake', 'g++', 'make'].filter((p) => !aptPackages(build).includes(p)), []);
    assert.match(runs(build), /npm ci\b/);
    assert.match(runs(build), new RegExp(`node scripts/runtime-tree\\.mjs ${TREE_AT}\\b`));
    assert.match(pkg.scripts.prepare ?? '', /ensure-jsonnet-addon\.mjs.*npm run build/, 'npm ci re-links the addon and builds dist/ through prepare');
    assert.equal(pkg.allowScripts['@hanazuki/node-jsonnet'], true, 'the addon install script is approved');
  });

  it('the runtime stage takes only the runtime tree from the build stage, installs git and no build tool', () => {
    const fromBuild = copiesOf(runtime).filter((c) => c.from === 'build');
    assert.deepEqual(fromBuild.map((c) => [c.sources, c.dest]), [[[`${TREE_AT}/`], `${TREE_AT}/`]]);
    const apt = aptPackages(runtime);
    assert.ok(apt.includes('git'), 'git for `meshplane diff --base <rev>`');
    assert.deepEqual(apt.filter((p) => BUILD_TOOLS.includes(p)), []);
  });

  it('the runtime stage: plugin.yaml where the cmp-server reads it, meshplane on PATH, uid 999, HOME=/tmp', () => {
    const landed = copiesOf(runtime).flatMap((c) => c.sources.map((s) => ({ s, at: landing(c, s, s.endsWith('/')), from: c.from })));
    assert.ok(landed.some((l) => l.s === 'plugin.yaml' && !l.from && l.at === '/home/argocd/cmp-server/config/plugin.yaml'), JSON.stringify(landed));
    assert.match(runs(runtime), new RegExp(`ln -s ${TREE_AT}/bin/meshplane /usr/local/bin/meshplane`));
    assert.equal(runtime.instructions.filter((i) => i.op === 'USER').at(-1)?.args, '999');
    assert.equal(envOf(runtime).HOME, '/tmp');
  });

  it('states its entrypoint: empty, so the container command (argocd-cmp-server, meshplane) runs directly', () => {
    const entry = runtime.instructions.filter((i) => i.op === 'ENTRYPOINT');
    assert.deepEqual(entry.map((i) => JSON.parse(i.args) as unknown), [[]]);
    const cmd = runtime.instructions.filter((i) => i.op === 'CMD').map((i) => JSON.parse(i.args) as string[]);
    assert.deepEqual(cmd.map((c) => c[0]), ['meshplane']);
  });

  it('.dockerignore keeps local builds out of the context', () => {
    for (const p of ['node_modules/x', 'dist/src/cli/main.js', '.git/HEAD']) assert.equal(excluded(p), true, p);
    for (const p of ['src/cli/main.ts', 'plugin.yaml', 'package-lock.json', 'README.md']) assert.equal(excluded(p), false, p);
  });
});

describe('Dockerfile: the runtime tree it copies (scripts/runtime-tree.mjs, run here)', () => {
  it('holds what the runtime stage points at: the symlinked bin/meshplane, plugin.yaml, the compiled CLI', () => {
    const bin = path.join(tree.dest, 'bin', 'meshplane');
    accessSync(bin, constants.X_OK);
    for (const f of ['plugin.yaml', 'dist/src/cli/main.js', 'templates/main.jsonnet', 'catalog/revisions.yaml']) assert.ok(existsSync(path.join(tree.dest, f)), f);
    const plugin = readPluginConfig(path.join(tree.dest, 'plugin.yaml'));
    assert.equal(plugin.generate.command[0], path.basename('/usr/local/bin/meshplane'), 'the plugin runs the command the image links');
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8', cwd: dir });
    assert.equal(help.status, 0, help.stderr);
  });

  it('runs `generate` from the bundle: the bundle is not older than the compiled CLI (bin/meshplane\'s rule), so a generate stores its output', () => {
    const bundle = statSync(path.join(tree.dest, 'dist', 'src', 'bundle', 'generate.cjs')).mtimeMs;
    const cli = statSync(path.join(tree.dest, 'dist', 'src', 'cli', 'cli-entry.js')).mtimeMs;
    assert.ok(bundle >= cli, `the bundle (${new Date(bundle).toISOString()}) is older than dist/src/cli/cli-entry.js (${new Date(cli).toISOString()}): bin/meshplane would never use it`);
    // Only the bundle passes a build id, and only with one is the output cache on: the output is
    // stored in the cache's outputs/ folder; from dist/ there is none.
    const cache = mkdtempSync(path.join(os.tmpdir(), 'mp-tree-cache-'));
    chmodSync(cache, 0o700);
    try {
      const r = spawnSync(process.execPath, [path.join(tree.dest, 'bin', 'meshplane'), 'generate', path.join(EXAMPLES_DIR, 'single-revision'), '--now', '2026-12-02'], { encoding: 'utf8', cwd: dir, env: { ...process.env, MESHPLANE_RENDER_CACHE_DIR: path.join(cache, 'c'), MESHPLANE_BUNDLE: '', MESHPLANE_RENDER_CACHE: '' }, maxBuffer: 64 * 1024 * 1024 });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(readdirSync(path.join(cache, 'c')).filter((n) => /^[0-9a-f]{64}$/.test(n)).length, 1, 'the evaluation');
      // The output and its rendered part (src/engine/output-cache.ts).
      assert.equal(readdirSync(path.join(cache, 'c', 'outputs')).filter((n) => /^[0-9a-f]{64}$/.test(n)).length, 2, 'the output and its rendered part');
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('holds every production dependency and no dev-only or build-only package', () => {
    const installed = new Set(tree.packages.map((p) => p.replace(/^.*node_modules\//, '')));
    for (const dep of Object.keys(pkg.dependencies)) assert.ok(installed.has(dep), `${dep} is in the tree`);
    // npm marks a package `dev` in the lock file when only devDependencies reach it.
    const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages).filter(([, e]) => e.dev).map(([at]) => at);
    assert.ok(devOnly.includes('node_modules/typescript') && devOnly.includes('node_modules/fast-check'), 'the lock file marks dev-only packages');
    for (const at of devOnly) assert.equal(existsSync(path.join(tree.dest, at)), false, `${at} (dev only) is not in the tree`);
    for (const tool of ['cmake-js', 'node-addon-api', 'typescript']) assert.equal(existsSync(path.join(tree.dest, 'node_modules', tool)), false, `${tool} is not`);
    assert.equal(existsSync(path.join(tree.dest, 'dist', 'test')), false, 'no compiled tests');
  });

  it('has no cmake build tree or C++ sources, and every shipped ELF file is relocatable', () => {
    const all = readdirSync(tree.dest, { recursive: true, withFileTypes: true }).map((e) => path.join(e.parentPath, e.name));
    const build = all.filter((p) => /(CMakeFiles|CMakeCache\.txt|build\.ninja|\.o|\.cpp|\.cc)$/.test(p));
    assert.deepEqual(build, []);
    assert.ok(tree.binaries.length >= 2, 'the addon and libjsonnet');
    for (const b of tree.binaries) {
      assert.deepEqual(b.runpath.filter((p) => p.startsWith('/')), [], `${b.package}/${b.file}`);
      const at = path.join(tree.dest, b.package, b.file);
      assert.ok(statSync(at).isFile(), at);
      for (const rp of b.runpath.filter((p) => p.startsWith('$ORIGIN'))) {
        const searched = rp.replace('$ORIGIN', path.dirname(at));
        for (const lib of b.needed.filter((l) => existsSync(path.join(searched, l)))) assert.ok(tree.binaries.some((x) => path.join(tree.dest, x.package, x.file) === path.join(searched, lib)), `${lib} is carried beside ${b.file}`);
      }
    }
    assert.ok(tree.bytes < 200 * 1024 * 1024, `${tree.bytes} bytes`);
  });
});
