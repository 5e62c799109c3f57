// Runs at `prepare` (after `npm ci` installed the dependencies). Two jobs:
//
// 1. The addon is built. npm 11 blocks dependency install scripts that `allowScripts` does not
//    cover, and @hanazuki/node-jsonnet builds libjsonnet with cmake in its install script.
//    package.json approves it, but another npm, `--ignore-scripts`, or a cache restore can still
//    leave it unbuilt; then it is built here.
// 2. The addon is relocatable. cmake links it against the shared libjsonnet.so.0 of its build
//    tree and, by default, records that folder as an absolute RUNPATH, so the addon only loads
//    while the build tree stays where it was built (not in the image, not after a copy). Here it
//    is re-linked with CMAKE_BUILD_RPATH_USE_ORIGIN, which makes every build-tree search path
//    relative to the binary (`$ORIGIN/../third_party/jsonnet`). Only the link steps re-run (~2 s).
//    scripts/runtime-tree.mjs then carries the addon and libjsonnet.so.0 at the same relative
//    places, without the rest of the build tree.
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { absoluteSearchPaths, readDynamic } from './elf-dynamic.mjs';

const require = createRequire(import.meta.url);
const PKG = '@hanazuki/node-jsonnet';
const FIX = 'Install cmake, make and g++ (apt-get install cmake g++ make) and run `npm rebuild @hanazuki/node-jsonnet && node scripts/ensure-jsonnet-addon.mjs`.';

/** Where the addon package is installed, or undefined when it is missing. */
function packageDir() {
  try {
    // The package's `exports` hide package.json: walk up from its entry point instead.
    let d = path.dirname(require.resolve(PKG));
    while (!existsSync(path.join(d, 'package.json'))) d = path.dirname(d);
    return d;
  } catch {
    return undefined;
  }
}

/** Whether the addon loads, in a fresh process (a failed dlopen is not retried in this one). */
function loads() {
  const probe = `const { Jsonnet } = require(${JSON.stringify(PKG)}); process.exit(typeof Jsonnet === 'function' && typeof Jsonnet.version === 'string' ? 0 : 1);`;
  return spawnSync(process.execPath, ['-e', probe], { cwd: process.cwd(), stdio: 'ignore' }).status === 0;
}

/** The ELF files of the built addon whose loader search paths are absolute. */
function absoluteBinaries(dir) {
  const candidates = [path.join(dir, 'build', 'Release', 'node-jsonnet.node')];
  const needed = readDynamic(candidates[0]);
  for (const rp of needed.runpath) {
    const resolved = rp.replace(/^\$(ORIGIN|\{ORIGIN\})/, path.dirname(candidates[0]));
    for (const lib of needed.needed) if (existsSync(path.join(resolved, lib))) candidates.push(path.join(resolved, lib));
  }
  return candidates.filter((f) => absoluteSearchPaths(readDynamic(f)).length > 0);
}

function fail(message) {
  process.stderr.write(`meshplane: ${message}\n${FIX}\n`);
  process.exit(1);
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  return r.status === 0;
}

const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
if (!loads()) {
  process.stderr.write('meshplane: the jsonnet addon is not built; building it now (cmake, ~2 min)\n');
  const ok = run(npm[0], [...npm.slice(1), 'rebuild', PKG, '--foreground-scripts', `--allow-scripts=${PKG}`], process.cwd());
  if (!ok || !loads()) fail(`could not build ${PKG}.`);
}

const dir = packageDir();
if (!dir) fail(`${PKG} is not installed.`);
const absolute = absoluteBinaries(dir);
if (absolute.length > 0) {
  process.stderr.write(`meshplane: re-linking the jsonnet addon with $ORIGIN-relative library paths (${absolute.map((f) => path.relative(dir, f)).join(', ')})\n`);
  const cmakeJs = path.join(path.dirname(require.resolve('cmake-js/package.json', { paths: [dir] })), 'bin', 'cmake-js');
  // Same defines as the package's own install script, plus the relative build RPATH.
  const defines = ['--CDCMAKE_EXPORT_COMPILE_COMMANDS=1', '--CDCMAKE_BUILD_RPATH_USE_ORIGIN=ON'];
  if (!run(process.execPath, [cmakeJs, 'configure', ...defines], dir) || !run(process.execPath, [cmakeJs, 'build', ...defines], dir)) fail('re-linking the jsonnet addon failed.');
  const still = absoluteBinaries(dir);
  if (still.length > 0) fail(`the jsonnet addon still has absolute library paths: ${still.join(', ')}.`);
  if (!loads()) fail('the re-linked jsonnet addon does not load.');
}
