// `npm run build` step 3: bundles the compiled CLI (dist/src/cli/cli-entry.js: the CLI's main) and the `yaml` library
// into dist/src/bundle/ with esbuild, so a cold `meshplane generate` loads a handful of files
// instead of ~110 ES modules (module resolution and loading were ~30 % of its main-thread time;
// docs/performance.md). bin/meshplane uses the bundle for `generate` only, and only when it is at
// least as new as dist/src/cli/cli-entry.js; every other command, and a stale or missing bundle, runs
// the unbundled dist/ exactly as before.
// Kept out of the bundle: the native jsonnet addon (it must be loaded from node_modules), ajv (only
// needed when the precompiled validators are missing), and the server/cluster-client packages
// (their commands never use the bundle). The output sits at the same depth as dist/src/core/ so
// src/core/paths.ts finds the package root the same way.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Why each: a native addon; lazily loaded; never used on the generate path (see above). */
const EXTERNAL = ['@hanazuki/node-jsonnet', 'ajv', 'ajv/*', '@kubernetes/client-node', 'express', 'pino', 'prom-client'];

// Why clear it first: esbuild names chunks by content hash and never removes old ones, so every
// rebuild would leave the previous build's chunks behind (and in the runtime image).
rmSync(path.join(root, 'dist', 'src', 'bundle'), { recursive: true, force: true });

await build({
  entryPoints: [path.join(root, 'dist', 'src', 'cli', 'cli-entry.js')],
  outdir: path.join(root, 'dist', 'src', 'bundle'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  logLevel: 'warning',
  legalComments: 'none',
  // yaml is CommonJS and requires Node built-ins; an ES module bundle has no `require` of its own.
  banner: { js: "import { createRequire as __meshplaneCreateRequire } from 'node:module';\nconst require = __meshplaneCreateRequire(import.meta.url);" },
});
