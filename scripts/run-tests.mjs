// Runs every compiled test file (dist/**/*.test.js) with Node's built-in test runner.
// Why not `node --test dist/`: Node 20's directory mode also treats every .js file under a
// `test/` folder as a test file (helpers, fixtures, the fake API server), and Node 20 has no
// glob support in `--test`, so the file list is built here. Extra arguments (e.g. a path
// filter) narrow the list: `node scripts/run-tests.mjs dist/src/pipeline`.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : find(p);
    return e.name.endsWith('.test.js') ? [p] : [];
  });
}

const roots = process.argv.slice(2);
const files = (roots.length ? roots : ['dist']).flatMap((r) => (r.endsWith('.js') ? [r] : find(r))).sort();
if (files.length === 0) {
  process.stderr.write('no test files found: run `npm run build` first\n');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
