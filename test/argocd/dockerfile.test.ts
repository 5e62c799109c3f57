/**
 * The sidecar image, checked statically (no Docker engine runs here): every COPY source exists and
 * survives .dockerignore; what the runtime stage takes from the build stage is made there; the
 * runtime stage runs as 999 with plugin.yaml where argocd-cmp-server reads it, `meshplane` on
 * PATH, HOME=/tmp and no entrypoint of its own; both stages use the same LTS Node line.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';
import { copiesOf, envOf, landing, parseDockerfile, type Stage } from './dockerfile.js';

const stages = parseDockerfile(readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'));
const build = stages.find((s) => s.name === 'build') as Stage;
const runtime = stages.at(-1) as Stage;
const ignored = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

/** Docker's .dockerignore matching: a pattern excludes a path or any folder above it. */
function excluded(rel: string): boolean {
  const parts = rel.replace(/\/$/, '').split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  return ignored.some((pattern) => {
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
    return prefixes.some((p) => re.test(p));
  });
}

/** The absolute paths the build stage has: its COPY landings plus what its RUN steps make. */
function buildStagePaths(): string[] {
  const copied = copiesOf(build).flatMap((c) => c.sources.map((s) => landing(c, s, statSync(path.join(REPO_ROOT, s)).isDirectory())));
  const runs = build.instructions.filter((i) => i.op === 'RUN').map((i) => i.args).join('\n');
  // Why these two: `npm ci` creates node_modules/, and its `prepare` script (package.json) builds dist/.
  const made = /\bnpm ci\b/.test(runs) ? ['/src/node_modules', '/src/dist'] : [];
  return [...copied, ...made];
}

describe('Dockerfile', () => {
  it('has a build stage and a runtime stage on the same LTS Node line (even major ≥ 24), runtime slim', () => {
    assert.equal(stages.length, 2);
    const majors = stages.map((s) => /^node:(\d+)-bookworm(-slim)?$/.exec(s.image)?.[1]);
    for (const m of majors) {
      assert.ok(m, `FROM ${stages.map((s) => s.image).join(', ')} are node:<major>-bookworm[-slim] tags`);
      assert.ok(Number(m) >= 24 && Number(m) % 2 === 0, `node ${m} is an LTS line (even) and current`);
    }
    assert.equal(majors[0], majors[1], 'the addon is built for the Node ABI it runs on');
    assert.match(runtime.image, /-slim$/);
    const engines = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    assert.ok(Number(/\d+/.exec(engines)?.[0]) <= Number(majors[0]), `package.json engines (${engines}) admits the image's Node`);
  });

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

  it('every COPY --from=build takes something the build stage has', () => {
    const have = buildStagePaths();
    const fromBuild = copiesOf(runtime).filter((c) => c.from === 'build');
    assert.ok(fromBuild.length > 3);
    for (const c of fromBuild) {
      for (const s of c.sources) assert.ok(have.includes(s.replace(/\/$/, '')), `${s} (line ${c.line}) is made or copied in the build stage`);
    }
  });

  it('the build stage compiles the addon and TypeScript, then drops dev dependencies', () => {
    const runs = build.instructions.filter((i) => i.op === 'RUN').map((i) => i.args).join('\n');
    assert.match(runs, /apt-get install[^\n]*cmake/);
    assert.match(runs, /npm ci\b/);
    assert.match(runs, /npm prune --omit=dev/);
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; allowScripts: Record<string, boolean> };
    assert.match(pkg.scripts.prepare ?? '', /npm run build/, 'npm ci builds dist/ through prepare');
    assert.equal(pkg.allowScripts['@hanazuki/node-jsonnet'], true, 'the addon install script is approved');
  });

  it('the runtime stage: plugin.yaml where the cmp-server reads it, meshplane on PATH, uid 999, HOME=/tmp', () => {
    const landed = copiesOf(runtime).flatMap((c) => c.sources.map((s) => ({ s, at: landing(c, s, s.endsWith('/')), from: c.from })));
    assert.ok(landed.some((l) => l.s === 'plugin.yaml' && !l.from && l.at === '/home/argocd/cmp-server/config/plugin.yaml'), JSON.stringify(landed));
    assert.ok(landed.some((l) => l.from === 'build' && l.s === '/src/bin/' && l.at === '/opt/meshplane/bin'));
    const runs = runtime.instructions.filter((i) => i.op === 'RUN').map((i) => i.args).join('\n');
    assert.match(runs, /ln -s \/opt\/meshplane\/bin\/meshplane \/usr\/local\/bin\/meshplane/);
    const users = runtime.instructions.filter((i) => i.op === 'USER');
    assert.equal(users.at(-1)?.args, '999');
    assert.equal(envOf(runtime).HOME, '/tmp');
    for (const dir of ['dist/', 'node_modules/', 'templates/', 'catalog/', 'schemas/']) assert.ok(landed.some((l) => l.s === `/src/${dir}`), `runtime has ${dir}`);
  });

  it('has no ENTRYPOINT or CMD: the sidecar spec runs /var/run/argocd/argocd-cmp-server', () => {
    for (const s of stages) assert.deepEqual(s.instructions.filter((i) => i.op === 'ENTRYPOINT' || i.op === 'CMD'), []);
  });

  it('.dockerignore keeps local builds out of the context', () => {
    for (const p of ['node_modules/x', 'dist/src/cli/main.js', '.git/HEAD']) assert.equal(excluded(p), true, p);
    for (const p of ['src/cli/main.ts', 'plugin.yaml', 'package-lock.json']) assert.equal(excluded(p), false, p);
  });
});
