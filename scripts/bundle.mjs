// `npm run build` step 3: bundles what `meshplane generate` runs of the compiled CLI
// (dist/src/cli/cli-entry.js: the CLI's main) and the `yaml` library into one minified CommonJS
// file, dist/src/bundle/generate.cjs, with esbuild, then makes its V8 code cache (generate.cjs.v8)
// by running one `generate` of examples/canary through bin/meshplane. A cold `meshplane generate`
// then reads one file of ~560 KB (with the validators it runs) instead of ~110 ES modules, and compiles almost nothing (reading,
// loading and compiling code were the largest part of its own main-thread time;
// docs/performance.md). bin/meshplane uses the bundle for `generate` only, and only when it is at
// least as new as dist/src/cli/cli-entry.js; every other command, and a stale or missing bundle,
// runs the unbundled dist/ exactly as before. bin/load-bundle.cjs explains the build id line.
// Kept out of the bundle: the native jsonnet addon (it must be loaded from node_modules), ajv (only
// needed when the precompiled validators are missing), and the server/cluster-client packages
// (their commands never use the bundle). The output sits at the same depth as dist/src/core/ so
// src/core/paths.ts finds the package root the same way.
import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'src', 'bundle');
const outFile = path.join(outDir, 'generate.cjs');
/** Why each: a native addon; lazily loaded; never used on the generate path (see above). */
const EXTERNAL = ['@hanazuki/node-jsonnet', 'ajv', 'ajv/*', '@kubernetes/client-node', 'express', 'pino', 'prom-client'];

/** The generate whose run makes a code cache: examples/canary through bin/meshplane, on a fixed day. */
const CACHE_EXAMPLE = path.join(root, 'examples', 'canary');
const CACHE_RUN = [path.join(root, 'bin', 'meshplane'), 'generate', CACHE_EXAMPLE, '--now', '2026-01-01'];

/** How long the build waits for the client's run. Why 60 s: a generate takes under 1 s; the client's own deadline is 30 s. */
const CLIENT_RUN_TIMEOUT_MS = 60_000;

// Why clear it first: a previous build's files (older layouts left chunk files) must not ship.
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

/**
 * The other commands' modules (every dist/src/cli/commands/*.js but generate's and the command
 * table) are replaced by a module that throws: the table still describes every command (help and
 * usage errors read it), but their code (server, diff, upgrade, fleet, import...) is not in the
 * file a cold generate reads and compiles. bin/meshplane never runs another command from the
 * bundle; should one be loaded anyway, it fails loudly instead of doing something else.
 */
const onlyGenerate = {
  name: 'only-generate',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]src[\\/]cli[\\/]commands[\\/][a-z-]+\.js$/ }, (args) =>
      /[\\/](generate|table)\.js$/.test(args.path) ? undefined : { contents: `throw new Error(${JSON.stringify(`${path.basename(args.path)} is not in the generate bundle: run it from dist/`)});`, loader: 'js' },
    );
  },
};

/**
 * src/core/precompiled.ts loads the validators precompiled into dist/schemas/ from disk. In the
 * bundle, the ones a successful generate runs (the intent's validity check, the object schemas,
 * the lock schema) are bundled instead, so the code cache covers them; the full intent validator
 * (only needed to explain an invalid intent, 167 KB) is still read from disk when asked for.
 */
const BUNDLED_VALIDATORS = ['servicemesh.check', 'kubernetes-objects.validate', 'meshplane-lock.validate'];
const bundledValidators = {
  name: 'bundled-validators',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]src[\\/]core[\\/]precompiled\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const head = 'export function loadPrecompiled(';
      if (!text.includes(head)) throw new Error(`${args.path} no longer defines loadPrecompiled: update scripts/bundle.mjs`);
      const table = BUNDLED_VALIDATORS.map((n) => `  ${JSON.stringify(n)}: () => require(${JSON.stringify(path.join(root, 'dist', 'schemas', `${n}.cjs`))}),`).join('\n');
      const contents = `${text.replace(head, 'function loadFromDisk(')}\nconst BUNDLED = {\n${table}\n};\nexport function loadPrecompiled(name) {\n  const bundled = Object.hasOwn(BUNDLED, name) ? BUNDLED[name] : undefined;\n  return bundled ? bundled() : loadFromDisk(name);\n}\n`;
      return { contents, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

/** What both bundles are built with. */
const COMMON = {
  bundle: true,
  write: false,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  logLevel: 'warning',
  legalComments: 'none',
  // Fewer bytes to read and compile: on a fresh process every page of a file read costs (see
  // docs/performance.md). Names are kept (no identifier minifying): stack traces of an internal
  // error and the bench's profile (bench/profile.mjs sorts samples by function name) still read.
  minifyWhitespace: true,
  minifySyntax: true,
  // The compiled modules find their package and their neighbours from import.meta.url; in one
  // CommonJS file that is the bundle's own URL (it sits where dist/src/<folder>/*.js do).
  define: { 'import.meta.url': '__meshplaneModuleUrl' },
  banner: { js: "const __meshplaneModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
};

/**
 * What the client bundle leaves out (src/cli/client-entry.ts): modules that the generate
 * command's code imports (its in-process render, its --output-dir writer) but that a generate the
 * server answers never runs. Why each: parsing and emitting YAML, evaluating the templates, the
 * render and the guardrails with their rules all happen on the server. Each is replaced by an
 * empty CommonJS module, so a path that does reach one fails with a TypeError (its functions are
 * missing) and the client hands the whole command to the full CLI instead.
 */
const CLIENT_LEFT_OUT = [/^yaml$/, /[\\/]dist[\\/]src[\\/](engine|guardrails|rules)[\\/]/, /[\\/]dist[\\/]src[\\/]pipeline[\\/](render|emit)\.js$/];

const result = await build({ ...COMMON, entryPoints: [path.join(root, 'dist', 'src', 'cli', 'cli-entry.js')], plugins: [onlyGenerate, bundledValidators] });
const text = result.outputFiles[0].text;
// A dynamic import() in the bundle would load a second copy of a module from dist/: esbuild turns
// the CLI's own into require(); an external one would slip through, so the build refuses it.
if (/\bimport\(/.test(text)) throw new Error('the bundle holds a dynamic import(): make that module external-free or require it');
const id = createHash('sha256').update(text).digest('hex');
writeFileSync(outFile, `// meshplane-bundle ${id}\n${text}`);
await buildStartAhead();
await buildClient();
makeCodeCache();
await makeClientCodeCache();

/**
 * The start-ahead step (src/cli/start-ahead.ts), which bin/meshplane runs before it loads the
 * generate bundle: a bundle of its own (leaf modules only, a few KB, no code cache: it is small),
 * and the templates bundle it starts evaluating, in the form that asks for its input natively.
 * The engine adopts that evaluation only if its own bundle of templates/ is the same text, so a
 * template edited after the build is never evaluated from this stale copy.
 */
async function buildStartAhead() {
  const ahead = await build({ ...COMMON, entryPoints: [path.join(root, 'dist', 'src', 'cli', 'start-ahead.js')] });
  const code = ahead.outputFiles[0].text;
  if (/\bimport\(/.test(code)) throw new Error('the start-ahead bundle holds a dynamic import(): src/cli/start-ahead.ts must import only leaf modules statically (see its module comment)');
  writeFileSync(path.join(outDir, 'start-ahead.cjs'), code);
  const { bundleTemplates, nativeInputBundle } = await import(pathToFileURL(path.join(root, 'dist', 'src', 'engine', 'bundle.js')).href);
  const { STARTED_TEMPLATES } = await import(pathToFileURL(path.join(root, 'dist', 'src', 'cli', 'start-ahead.js')).href);
  writeFileSync(path.join(root, ...STARTED_TEMPLATES), nativeInputBundle(bundleTemplates(path.join(root, 'templates'))));
}

/**
 * The client bundle, dist/src/bundle/client.cjs (~88 KB): what `generate` runs when a Meshplane
 * server answers it (src/cli/client-entry.ts). The other commands are left out as in the
 * generate bundle, and so is {@link CLIENT_LEFT_OUT}. Its code cache: {@link makeClientCodeCache}.
 */
async function buildClient() {
  const leftOut = {
    name: 'client-left-out',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.namespace === 'left-out') return undefined;
        const target = args.path.startsWith('.') ? path.resolve(args.resolveDir, args.path) : args.path;
        if (!CLIENT_LEFT_OUT.some((re) => re.test(target))) return undefined;
        // Named relative to the package: esbuild writes this name into the bundle, and an absolute
        // one would make the bytes (and the code cache made for them) depend on the checkout path.
        return { path: path.isAbsolute(target) ? path.relative(root, target).split(path.sep).join('/') : target, namespace: 'left-out' };
      });
      b.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
    },
  };
  const client = await build({ ...COMMON, entryPoints: [path.join(root, 'dist', 'src', 'cli', 'client-entry.js')], plugins: [onlyGenerate, leftOut] });
  const code = client.outputFiles[0].text;
  if (/\bimport\(/.test(code)) throw new Error('the client bundle holds a dynamic import(): make that module external-free or require it');
  writeFileSync(path.join(outDir, 'client.cjs'), code);
}

/**
 * Runs one whole `generate` of examples/canary through bin/meshplane (bundle, no code cache, no
 * render cache) and keeps the code cache it writes. Without the example (a build from a tarball)
 * the bundle works as is, only without the cache, and the build says so.
 */
function makeCodeCache() {
  if (!existsSync(CACHE_EXAMPLE)) {
    process.stderr.write('bundle: examples/canary is missing, so the bundle ships without its V8 code cache (a slower cold start)\n');
    return;
  }
  const tmp = path.join(outDir, `.generate.cjs.v8.${process.pid}.tmp`);
  const run = spawnSync(process.execPath, CACHE_RUN, { env: cacheRunEnv({ MESHPLANE_CODE_CACHE_OUT: tmp }), stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (run.status !== 0 || !existsSync(tmp)) {
    rmSync(tmp, { force: true });
    throw new Error(`making the code cache: bin/meshplane generate examples/canary exited ${run.status ?? run.signal}\n${run.stderr}`);
  }
  keepCache(tmp, `${outFile}.v8`, 'the code cache');
}

/**
 * The environment of a run that makes a code cache: the bundle, no code cache, no render cache,
 * and `extra`. Why a fixed, minimal environment and clock: the builder's own variables
 * (KUBE_API_VERSIONS, Argo CD parameters, MESHPLANE_SERVER, NODE_OPTIONS...) would change or fail
 * the run, and a V8 flag from NODE_OPTIONS would make a cache no plain process accepts.
 */
function cacheRunEnv(extra) {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', MESHPLANE_CODE_CACHE: 'off', MESHPLANE_RENDER_CACHE: 'off', MESHPLANE_BUNDLE: 'on', ...extra };
}

/** Moves the cache a run wrote at `tmp` to `dest`, after checking it is not implausibly small. */
function keepCache(tmp, dest, what) {
  if (readFileSync(tmp).length < 1024) throw new Error(`making ${what}: the cache written is implausibly small`);
  renameSync(tmp, dest);
}

/**
 * The client bundle's code cache (client.cjs.v8): one `generate` of examples/canary through
 * bin/meshplane, answered by a real Meshplane server started here (dist/src/server/start.js, on
 * the loopback, rendering on its main thread), so the cache holds every function of a generate
 * the server answers. Without the example, where no loopback port can be bound or the server
 * cannot be reached, or on a Node without zlib.crc32, the client ships without its cache (it
 * compiles its code, ~5–6 ms more) and the build says so.
 */
async function makeClientCodeCache() {
  const warn = (why) => process.stderr.write(`bundle: ${why}, so the client bundle ships without its V8 code cache (a slower generate through a server)\n`);
  if (!existsSync(CACHE_EXAMPLE)) return warn('examples/canary is missing');
  // A default import: a named one of an export this Node lacks would stop the script before it runs.
  if (typeof zlib.crc32 !== 'function') return warn(`this Node (${process.version}) has no zlib.crc32, which checks the cache`);
  const { startServer } = await import(pathToFileURL(path.join(root, 'dist', 'src', 'server', 'start.js')).href);
  const token = randomBytes(32).toString('hex');
  let server;
  try {
    server = await startServer({ host: '127.0.0.1', port: 0, workers: 0, token });
  } catch (err) {
    return warn(`no server could be started on the loopback (${err.message})`);
  }
  const tmp = path.join(outDir, `.client.cjs.v8.${process.pid}.tmp`);
  try {
    await server.warm;
    const env = cacheRunEnv({ MESHPLANE_CLIENT_CACHE_OUT: tmp, MESHPLANE_SERVER: server.url, MESHPLANE_TOKEN: token, MESHPLANE_DEBUG: '1' });
    const run = await runAsync(process.execPath, CACHE_RUN, env, CLIENT_RUN_TIMEOUT_MS);
    if (run.code !== 0) throw new Error(`making the client's code cache: bin/meshplane generate examples/canary through a server exited ${run.code}\n${run.stderr}`);
    // Exit 0 without an answer: the loopback let the server bind but not be reached (a sandbox
    // without a working lo), and the full CLI rendered in-process. The client ships without a cache.
    if (!/^debug: client: answered by the server$/m.test(run.stderr) || !existsSync(tmp)) return warn(`the server started here did not answer the client (${lastLine(run.stderr)})`);
    keepCache(tmp, path.join(outDir, 'client.cjs.v8'), "the client's code cache");
  } finally {
    rmSync(tmp, { force: true });
    await server.shutdown('build');
  }
}

/** The last line of a command's stderr about the server, for the build's warning. */
function lastLine(stderr) {
  const lines = stderr.split('\n').filter((l) => /server|client/.test(l));
  return lines.at(-1) ?? 'no word from the client';
}

/** Runs a command without blocking this process (the server answering it runs here), killed after `timeoutMs`; its exit code (or signal) and stderr. */
function runAsync(cmd, args, env, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? signal, stderr }));
  });
}
