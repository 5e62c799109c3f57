// Lays out Meshplane's runtime tree: what `meshplane` needs to run, and nothing used only to build
// or test it. The image (Dockerfile) copies exactly this tree, and the relocation test copies it to
// a new prefix and renders every example from there, so both exercise the same layout.
//
//   node scripts/runtime-tree.mjs <dest>     (after `npm ci`, which builds dist/ and the addon)
//
// The tree holds:
// - the package's own files, as `npm pack` would publish them (package.json `files`), so the
//   image, the tarball and this tree cannot drift apart;
// - the production dependencies from package-lock.json (no devDependencies), minus the packages
//   that only build the jsonnet addon;
// - of a dependency that builds a native addon in place, the loadable binaries (build/Release/
//   *.node) and the shared libraries their $ORIGIN-relative search paths point at, at the same
//   relative places; not its sources, cmake build tree or object files.
// It fails when a binary still has an absolute library search path (then the tree would only work
// while the build tree exists: run `node scripts/ensure-jsonnet-addon.mjs`).
//
// Prints a JSON summary on stdout: { dest, files, bytes, packages, binaries }.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { absoluteSearchPaths, readDynamic } from './elf-dynamic.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Why: cmake-js compiles the addon and node-addon-api is C++ headers for it; the built addon is
// loaded through `bindings` alone (lib/index.js of @hanazuki/node-jsonnet).
const BUILD_ONLY = new Set(['cmake-js', 'node-addon-api']);
// Why: what a package that compiles in place keeps only for building (sources, cmake/gyp files,
// the build folder, whose binaries are added back one by one).
const NATIVE_SOURCES = new Set(['build', 'src', 'third_party', 'deps', 'spec', 'test', 'examples', 'CMakeLists.txt', 'binding.gyp']);

/** The package's own files, relative to the repo root, as `npm pack` lists them. */
function ownFiles() {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'silent' } });
  return JSON.parse(out)[0].files.map((f) => f.path).sort();
}

/** Lock-file locations (`node_modules/a/node_modules/b`) of the production dependency closure. */
export function productionPackages(lock) {
  const packages = lock.packages;
  const found = new Set();
  // Optional and peer dependencies count when npm installed them; a missing one is not an error.
  const visit = (from, deps, optional) => {
    for (const name of Object.keys(deps ?? {})) {
      if (BUILD_ONLY.has(name)) continue;
      const at = resolveIn(packages, from, name);
      if (at === undefined) {
        if (optional.has(name)) continue;
        throw new Error(`package-lock.json: ${name} (needed by ${from || 'the root package'}) is not installed`);
      }
      if (found.has(at)) continue;
      found.add(at);
      const entry = packages[at];
      const soft = new Set([...Object.keys(entry.optionalDependencies ?? {}), ...Object.keys(entry.peerDependencies ?? {})]);
      visit(at, { ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies }, soft);
    }
  };
  const root = packages[''];
  visit('', { ...root.dependencies, ...root.optionalDependencies }, new Set(Object.keys(root.optionalDependencies ?? {})));
  return [...found].sort();
}

/** Node's lookup: `<from>/node_modules/<name>`, then each parent's node_modules, up to the root. */
function resolveIn(packages, from, name) {
  let dir = from;
  for (;;) {
    const at = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[at]) return packages[at].link ? packages[at].resolved : at;
    if (!dir) return undefined;
    const i = dir.lastIndexOf('/node_modules/');
    dir = i < 0 ? '' : dir.slice(0, i);
  }
}

/**
 * Copies one file with its mode and modification time. Why the time: bin/meshplane runs
 * `generate` from dist/src/bundle/ only while the bundle is at least as new as the compiled CLI
 * (dist/src/cli/cli-entry.js); copied in name order with fresh times, the bundle (b) came out
 * older than the CLI (c), and the tree, and so the image, never used it.
 */
function copyFile(from, to) {
  mkdirSync(path.dirname(to), { recursive: true });
  copyFileSync(realpathSync(from), to);
  const st = statSync(from);
  chmodSync(to, st.mode & 0o755);
  utimesSync(to, st.atime, st.mtime);
}

/** Copies a folder's files except nested node_modules (each dependency is copied on its own). */
function copyTree(from, to, skipTop = new Set()) {
  const copied = [];
  const walk = (rel) => {
    for (const e of readdirSync(path.join(from, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (rel === '' && (skipTop.has(e.name) || e.name === 'node_modules')) continue;
      if (e.name === 'node_modules') continue;
      const st = lstatSync(path.join(from, r));
      if (st.isDirectory()) walk(r);
      else if (st.isFile() || st.isSymbolicLink()) {
        copyFile(path.join(from, r), path.join(to, r));
        copied.push(r);
      }
    }
  };
  walk('');
  return copied;
}

/** Whether a package compiles itself in place (its own build folder holds a loadable addon). */
function buildsInPlace(dir) {
  return existsSync(path.join(dir, 'build', 'Release')) && readdirSync(path.join(dir, 'build', 'Release')).some((f) => f.endsWith('.node'));
}

/**
 * The addon binaries of an in-place-built package and the libraries their $ORIGIN-relative search
 * paths find inside the package, as paths relative to the package folder.
 */
function nativeFiles(dir) {
  const release = path.join(dir, 'build', 'Release');
  const queue = readdirSync(release).filter((f) => f.endsWith('.node')).map((f) => path.join(release, f));
  const files = new Map();
  while (queue.length > 0) {
    const file = queue.shift();
    if (files.has(file)) continue;
    const dyn = readDynamic(file);
    const absolute = absoluteSearchPaths(dyn);
    if (absolute.length > 0) throw new Error(`${path.relative(ROOT, file)} has absolute library search paths (${absolute.join(':')}); run \`node scripts/ensure-jsonnet-addon.mjs\` to re-link it`);
    files.set(file, { file: path.relative(dir, file), needed: dyn.needed, runpath: dyn.runpath });
    for (const entry of dyn.runpath.filter((p) => /^\$(ORIGIN|\{ORIGIN\})/.test(p))) {
      const searched = entry.replace(/^\$(ORIGIN|\{ORIGIN\})/, path.dirname(file));
      if (!path.resolve(searched).startsWith(dir + path.sep) && path.resolve(searched) !== dir) continue;
      for (const lib of dyn.needed) if (existsSync(path.join(searched, lib))) queue.push(path.join(searched, lib));
    }
  }
  return [...files.values()];
}

/** Lays out the runtime tree in `dest` (which must not exist or be empty) and returns a summary. */
export function layOut(dest) {
  if (!existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'))) throw new Error('dist/ is not built: run `npm ci` (or `npm run build`) first');
  if (existsSync(dest) && readdirSync(dest).length > 0) throw new Error(`${dest} is not empty`);
  mkdirSync(dest, { recursive: true });
  const own = ownFiles();
  for (const f of own) copyFile(path.join(ROOT, f), path.join(dest, f));
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  const packages = productionPackages(lock);
  let files = own.length;
  const binaries = [];
  for (const at of packages) {
    const from = path.join(ROOT, at);
    const to = path.join(dest, at);
    if (buildsInPlace(from)) {
      files += copyTree(from, to, NATIVE_SOURCES).length;
      for (const n of nativeFiles(from)) {
        copyFile(path.join(from, n.file), path.join(to, n.file));
        binaries.push({ package: at, ...n });
        files++;
      }
    } else files += copyTree(from, to).length;
  }
  return { dest, files, bytes: du(dest), packages, binaries };
}

function du(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).reduce((n, e) => n + statSync(path.join(e.parentPath ?? e.path, e.name)).size, 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const dest = process.argv[2];
  if (!dest) {
    process.stderr.write('usage: node scripts/runtime-tree.mjs <dest>\n');
    process.exit(2);
  }
  try {
    process.stdout.write(`${JSON.stringify(layOut(path.resolve(dest)), null, 2)}\n`);
  } catch (err) {
    rmSync(path.resolve(dest), { recursive: true, force: true });
    process.stderr.write(`runtime-tree: ${err.message}\n`);
    process.exit(1);
  }
}
