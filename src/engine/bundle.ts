/**
 * Bundles templates/ into ONE jsonnet snippet: every imported file becomes a local of the
 * bundle, every `importstr` a string literal. Why: libjsonnet (v0.20) sets up its stdlib again
 * for every imported file (measured 30–50 ms per import), which made a full mesh render cost
 * several hundred milliseconds of pure set-up. Jsonnet locals are lazy and mutually recursive,
 * so the bundle evaluates exactly what the separate files would, paying the set-up once.
 * Imports resolve like jsonnet's own: relative to the importing file, then the templates folder;
 * a target outside the templates folder is refused.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { INPUT_CALLBACK } from './started-evaluation.js';

/** `import 'x'` / `importstr 'x'` with a single-quoted path (the form the templates use). */
const IMPORT = /\b(import|importstr)\s+'([^']+)'/g;

/**
 * Reads `<dir>/main.jsonnet` and everything it imports into one snippet. The snippet is a
 * function of ONE top-level argument, `input`, given as a JSON *string* (`--tla-str`, not
 * `--tla-code`): it calls main's function with `std.parseJson(input)`. Why: libjsonnet reads a
 * code argument with the full jsonnet parser and static checks, while std.parseJson is a plain
 * JSON reader; on the shipped templates that saved ~15 ms of ~230 ms CPU per evaluation
 * (C++ jsonnet CLI, medians of 9; docs/performance.md). JSON is a subset of jsonnet, so the value
 * main receives is the same.
 */
export function bundleTemplates(dir: string): string {
  const root = path.resolve(dir);
  const modules = new Map<string, string>();
  const main = rewrite(root, path.join(root, 'main.jsonnet'), modules);
  const locals = [...modules.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, body]) => `  ${id} = (\n${body}\n)`);
  const entry = locals.length ? `local\n${locals.join(',\n')};\n(\n${main}\n)` : `(\n${main}\n)`;
  return `local ${ENTRY} =\n${entry};\n${ARGUMENT_TAIL}`;
}

/** The local holding main's function inside the bundle. */
const ENTRY = '__mp_main';
/** The last line of {@link bundleTemplates}: the input is the top-level argument. */
const ARGUMENT_TAIL = `function(input) ${ENTRY}(std.parseJson(input))\n`;

/**
 * The same bundle, except that it asks for the input by calling the native function
 * {@link INPUT_CALLBACK} (a JSON string, read with std.parseJson as before) instead of taking it
 * as a top-level argument. Why: libjsonnet spends most of an evaluation setting up its standard
 * library and reading the templates before it first needs the input, so an evaluation started
 * this way can run that set-up while the caller is still working the input out
 * (./started-evaluation.ts). The value main receives is the same; only where it comes from differs.
 */
export function nativeInputBundle(bundle: string): string {
  if (!bundle.endsWith(ARGUMENT_TAIL)) throw new Error('nativeInputBundle: not a bundle made by bundleTemplates');
  return `${bundle.slice(0, -ARGUMENT_TAIL.length)}${ENTRY}(std.parseJson(std.native('${INPUT_CALLBACK}')()))\n`;
}

function rewrite(root: string, file: string, modules: Map<string, string>, resolved = new Map<string, string>()): string {
  const text = readFileSync(file, 'utf8');
  const from = path.dirname(file);
  return text.replace(IMPORT, (_all, verb: string, target: string) => {
    // Why a memo: the templates import the same few files from many places (lib/k.libsonnet 18
    // times); each resolution walks two candidate paths and asks the file system.
    const memo = `${from}\0${target}`;
    let found = resolved.get(memo);
    if (found === undefined) resolved.set(memo, (found = resolveImport(root, file, target)));
    if (verb === 'importstr') return JSON.stringify(readFileSync(found, 'utf8'));
    const id = moduleId(root, found);
    if (!modules.has(id)) {
      modules.set(id, '');
      modules.set(id, rewrite(root, found, modules, resolved));
    }
    return id;
  });
}

function resolveImport(root: string, from: string, target: string): string {
  for (const base of [path.dirname(from), root]) {
    const p = joinPath(base, target);
    if (!p.startsWith(root + path.sep)) continue;
    if (existsSync(p)) return p;
  }
  throw new Error(`${path.relative(root, from)}: cannot resolve import '${target}' inside ${root}`);
}

/** Plain relative segments: no `.` or `..` segment, no empty one, no leading `/`. */
const PLAIN_RELATIVE = /^(?!\.{1,2}(?:\/|$))[^/]+(?:\/(?!\.{1,2}(?:\/|$))[^/]+)*$/;

/**
 * `path.resolve(base, target)` for an absolute, normalised `base`. Why not always path.resolve:
 * it normalises the whole path character by character, which in a fresh process (still in V8's
 * interpreter) made up half of bundling the templates; a plain relative target needs only a join.
 */
export function joinPath(base: string, target: string): string {
  // A base ending in a separator (the root folder itself) would double it; path.resolve does not.
  return path.sep === '/' && !base.endsWith('/') && PLAIN_RELATIVE.test(target) ? `${base}/${target}` : path.resolve(base, target);
}

/** The local naming `file`, which {@link resolveImport} found inside `root` (so the part after `root/` is its relative path). */
function moduleId(root: string, file: string): string {
  return `__mp_${file.slice(root.length + 1).replace(/[^A-Za-z0-9]/g, '_')}`;
}
