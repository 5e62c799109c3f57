// Why this exists: npm 11 blocks dependency install scripts that `allowScripts` does not cover, and
// @hanazuki/node-jsonnet builds libjsonnet with cmake in its install script. package.json approves
// it, but an older/newer npm, `--ignore-scripts`, or a cache restore can still leave the addon
// unbuilt. This check runs at `prepare` time and rebuilds the addon when it cannot be loaded, so a
// fresh clone always ends up with a working render engine (or a clear failure saying why).
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';

const require = createRequire(import.meta.url);

function loads() {
  try {
    const { Jsonnet } = require('@hanazuki/node-jsonnet');
    return typeof Jsonnet === 'function' && typeof Jsonnet.version === 'string';
  } catch {
    return false;
  }
}

if (!loads()) {
  process.stderr.write('meshplane: the jsonnet addon is not built; building it now (cmake, ~1 min)\n');
  const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
  const r = spawnSync(npm[0], [...npm.slice(1), 'rebuild', '@hanazuki/node-jsonnet', '--foreground-scripts', '--allow-scripts=@hanazuki/node-jsonnet'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 || !loads()) {
    process.stderr.write('meshplane: could not build @hanazuki/node-jsonnet. Install cmake, make and g++ (apt-get install cmake g++ make) and run `npm rebuild @hanazuki/node-jsonnet`.\n');
    process.exit(1);
  }
}
