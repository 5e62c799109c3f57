/**
 * The jsonnet addon (libjsonnet through N-API, @hanazuki/node-jsonnet): where it is and how it is
 * loaded. Shared by the template engine and the CLI's start-ahead step (src/cli/start-ahead.ts),
 * which loads it before the rest of the CLI, so this module imports only a leaf module of Meshplane.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { packagePath } from '../core/paths.js';

/** The part of the addon's `Jsonnet` class Meshplane uses (node-jsonnet 2.1.0 src/Jsonnet.cpp, its instance methods). */
export interface JsonnetVm {
  tlaString(key: string, value: string): JsonnetVm;
  setMaxStack(n: number): JsonnetVm;
  evaluateSnippet(snippet: string, filename?: string): Promise<string>;
  /**
   * The addon's own registration of a native function (src/Jsonnet.cpp registers
   * `Jsonnet::nativeCallback` as `_nativeCallback`; lib/index.js wraps it as `nativeCallback`).
   * The addon calls it on the main thread through a ThreadSafeFunction while the evaluating
   * thread blocks until the returned Promise settles (src/JsonnetNativeCallback.cpp); a rejection
   * fails the evaluation. Optional here so that a build without it is detected, not assumed.
   */
  _nativeCallback?(name: string, fn: () => Promise<string>): JsonnetVm;
}

/** The addon's package name. */
const ADDON = '@hanazuki/node-jsonnet';
/** Where the addon's install script (cmake-js) puts the compiled addon, relative to its package. */
const ADDON_BINARY = path.join('build', 'Release', 'node-jsonnet.node');

const require = createRequire(import.meta.url);

let addonDir: { dir: string | undefined } | undefined;

/** The jsonnet addon package's folder, or undefined when it cannot be found (looked up once). */
export function addonPackageDir(): string | undefined {
  addonDir ??= { dir: findAddonPackageDir() };
  return addonDir.dir;
}

function findAddonPackageDir(): string | undefined {
  // Where npm puts it for this package (and where the image and the runtime tree keep it): the
  // folder Node's own resolution finds first, since no node_modules lies between. Checked first
  // because resolving the package costs ~2-3 ms (its `exports` map), before the evaluation can start.
  const own = packagePath('node_modules', ...ADDON.split('/'));
  if (existsSync(path.join(own, ADDON_BINARY))) return own;
  try {
    // Its `exports` map hides package.json from require.resolve: walk up from the entry point.
    let dir = path.dirname(require.resolve(ADDON));
    while (!existsSync(path.join(dir, 'package.json'))) {
      const up = path.dirname(dir);
      if (up === dir) return undefined;
      dir = up;
    }
    return dir;
  } catch {
    return undefined;
  }
}

/** The error class a failed evaluation rejects with (named as the addon's own entry point names it). */
class JsonnetError extends Error {
  constructor(message?: string) {
    super(message);
    this.name = 'JsonnetError';
  }
}

let jsonnetClass: (new () => JsonnetVm) | undefined;

/**
 * The addon's Jsonnet class (loaded once). Why not always `require(ADDON)`: its entry point
 * finds the binary through the `bindings` package, which probes a dozen candidate paths and
 * builds an Error stack to learn its caller (~10 ms of a cold generate). The install script
 * always writes the binary to build/Release, so that path is loaded directly; anything
 * unexpected falls back to the package's own loader. Only `Jsonnet` is used, which the entry
 * point re-exports as is; the entry point also defines `JsonnetError` on the exports, which the
 * addon's worker looks up there to reject a failed evaluation (node-jsonnet 2.1.0
 * src/JsonnetWorker.cpp `getExport("JsonnetError")`, lib/index.js), so the direct load defines
 * it the same way.
 */
export function loadJsonnet(): new () => JsonnetVm {
  jsonnetClass ??= loadJsonnetOnce();
  return jsonnetClass;
}

function loadJsonnetOnce(): new () => JsonnetVm {
  const dir = addonPackageDir();
  if (dir !== undefined) {
    try {
      const direct = require(path.join(dir, ADDON_BINARY)) as { Jsonnet?: new () => JsonnetVm; JsonnetError?: unknown };
      if (typeof direct.Jsonnet === 'function') {
        if (direct.JsonnetError === undefined) Object.defineProperty(direct, 'JsonnetError', { value: JsonnetError });
        return direct.Jsonnet;
      }
    } catch {
      // fall through to the package's loader, which reports a missing build properly
    }
  }
  return (require(ADDON) as { Jsonnet: new () => JsonnetVm }).Jsonnet;
}
