// `npm run build` step: records the git commit the CLI was built from in dist/build-info.json, for
// `meshplane version`. Outside a git checkout (a packed tarball) the commit is "unknown".
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || 'unknown';
} catch {
  // Not a git checkout, or git is missing: the version says "unknown".
}
mkdirSync(path.join(root, 'dist'), { recursive: true });
writeFileSync(path.join(root, 'dist', 'build-info.json'), `${JSON.stringify({ commit }, null, 2)}\n`);
