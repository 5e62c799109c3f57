'use strict';
// Loads the single-file CommonJS bundle of `generate` (dist/src/bundle/generate.cjs, built by
// scripts/bundle.mjs) with V8's code cache: bytecode for every function a `generate` ran, made at
// build time, so a fresh process neither parses nor compiles the code it is about to run
// (docs/performance.md "What makes a cold generate fast"). CommonJS on purpose: loading one
// CommonJS file skips the ES module loader's resolution and linking, ~10 % of a warm generate.
//
// Why the build id: V8 accepts a code cache for any source of the same length (its check is the
// length, not the content), so bytecode made for another build could run against this one. The
// bundle's first line names its build (a SHA-256 of its text, written by scripts/bundle.mjs) and
// the cache file starts with the same line; any difference means "no cache", never a wrong one.
// The line is checked against the text it names (~0.5 ms): a bundle edited in place keeps its
// first line, and its length too when the edit is a same-length one, which V8 alone would accept
// (the cached bytecode of the old text would run), and the output cache, keyed by the build id,
// would print what the old text rendered.
// A cache V8 itself rejects (another Node version or V8 flags) is ignored the same way.
// Why the checksum: V8 does not check the data itself (flipped bytes in a cache crash node with a
// segmentation fault, test/acceptance/warm-generate.test.ts), so the header also carries the
// SHA-256 of the data and a damaged file is never handed to V8.
//
// The client bundle (dist/src/bundle/client.cjs, what a generate a Meshplane server answers runs)
// has a code cache of its own, checked without node:crypto ({@link loadClientBundle}).
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

/** The first line of a bundle: `// meshplane-bundle <64 hex>`. */
const BUILD_LINE = /^\/\/ meshplane-bundle ([0-9a-f]{64})\n/;
/** The first line of a code-cache file (build id, then the SHA-256 of the data), followed by V8's data. */
const cacheHeader = (id, data) => `meshplane-code-cache ${id} ${sha256(data)}\n`;
// Loaded on first use: the client bundle's check does without it (~3–4 ms to load).
const sha256 = (data) => require('node:crypto').createHash('sha256').update(data).digest('hex');

/**
 * The build id of a bundle (its bytes, or its text), or undefined when its first line is not a
 * build line or is not the SHA-256 of what follows it. Bytes are hashed as read: the text would
 * be encoded to UTF-8 again first.
 */
function buildId(bundle) {
  const bytes = typeof bundle === 'string' ? Buffer.from(bundle, 'utf8') : bundle;
  // The build line is 85 bytes (20 + 64 hex digits + newline): the first 100 hold it.
  const line = BUILD_LINE.exec(bytes.toString('latin1', 0, 100));
  if (!line) return undefined;
  return sha256(bytes.subarray(line[0].length)) === line[1] ? line[1] : undefined;
}

/**
 * The client's cache header: `meshplane-client-cache <bundle bytes> <CRC-32 of the bundle> <CRC-32
 * of the data>`; undefined without zlib.crc32 (before Node 20.15, and Node 21 to 22.1: the client
 * compiles from source).
 * Why CRC-32 (node:zlib) and not the build id's SHA-256: the client's cache keys nothing else (the
 * generate bundle's build id also keys the output cache), so the check only has to tell another
 * text (a rebuild, an edit in place) or damaged data from the cache's own, never an adversary
 * (whoever can write the cache can write the bundle); and node:crypto would cost about half of
 * what the cache saves, where node:zlib costs little beside the streams node:http loads anyway.
 */
function clientHeader(bundle, data) {
  const { crc32 } = require('node:zlib');
  if (typeof crc32 !== 'function') return undefined;
  return `meshplane-client-cache ${bundle.length} ${crc32(bundle).toString(16)} ${crc32(data).toString(16)}\n`;
}

/**
 * How a bundle and its cache are tied: `keyOf` names the bundle's bytes (undefined: no cache),
 * `header` the first line of a cache made for that key with that data. The generate bundle's key
 * is its build id; the client bundle's, its bytes themselves.
 */
const GENERATE_CHECK = { keyOf: buildId, header: cacheHeader };
const CLIENT_CHECK = { keyOf: (bytes) => bytes, header: clientHeader };

/**
 * Runs the generate bundle at `file` as a CommonJS module and returns its exports, the compiled
 * script (for {@link codeCacheOf}), its build id, and whether a code cache was used.
 * `useCache: false` compiles from source (MESHPLANE_CODE_CACHE=off, and the build that makes it).
 */
function loadBundle(file, { useCache = true } = {}) {
  const loaded = loadChecked(GENERATE_CHECK, file, useCache);
  return { ...loaded, id: loaded.key };
}

/** The client bundle, the same way, with its code cache when that was made for exactly these bytes and is intact. */
function loadClientBundle(file, { useCache = true } = {}) {
  return loadChecked(CLIENT_CHECK, file, useCache);
}

/** Loads `file` with the cache beside it when `check` ties the two (see {@link GENERATE_CHECK}). */
function loadChecked(check, file, useCache) {
  const bytes = readFileSync(file);
  const key = check.keyOf(bytes);
  const cachedData = useCache && key !== undefined ? readCache(`${file}.v8`, (data) => check.header(key, data)) : undefined;
  return { ...runModule(file, bytes, cachedData), key, check };
}

/** The cached data in `cacheFile` when its first line is `headerOf(data)`; undefined otherwise (missing, unreadable, made for other bytes, damaged). */
function readCache(cacheFile, headerOf) {
  let file;
  try {
    file = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  // Both headers are under 200 bytes (the longer: two 64-digit hex strings).
  const end = file.subarray(0, 200).indexOf(10);
  if (end < 0) return undefined;
  const data = file.subarray(end + 1);
  return data.length > 0 && file.subarray(0, end + 1).toString('latin1') === headerOf(data) ? data : undefined;
}

/** The code-cache file's content for a loaded bundle: the header line, then V8's data (every function compiled so far). */
function codeCacheOf(loaded) {
  const data = loaded.script.createCachedData();
  return Buffer.concat([Buffer.from(loaded.check.header(loaded.key, data)), data]);
}

/** Compiles `bytes` (the CommonJS module at `file`) with `cachedData` when given, and runs it. */
function runModule(file, bytes, cachedData) {
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${bytes.toString('utf8')}\n})`;
  // The bundle has no dynamic import() left (esbuild turns its own into require); the option only
  // makes one behave as in any module, should a future build keep one (Node >= 20.12 has it).
  const dynamicImport = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const script = new vm.Script(wrapper, { filename: file, ...(cachedData ? { cachedData } : {}), ...(dynamicImport ? { importModuleDynamically: dynamicImport } : {}) });
  const module = { exports: {}, filename: file, id: file, loaded: false };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  return { exports: module.exports, script, cacheUsed: cachedData !== undefined && !script.cachedDataRejected };
}

module.exports = { loadBundle, codeCacheOf, buildId, loadClientBundle };
