// Where a cold `meshplane generate` spends its main thread: one run under `node --cpu-prof`
// (sampling every 250 µs), its samples summed into categories. The jsonnet evaluation runs on
// the addon's own thread, which the profiler does not sample: the main thread shows that time
// as "(idle)" while it waits. Run twice: through the bundle (what users run) and through the
// unbundled dist/ (so time can be attributed to source modules by file name).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * True when a sample belongs to loading modules: walking up from the sampled frame, Node's
 * module loader is reached before any named function of Meshplane (bin/meshplane's top-level
 * `main()` runs the whole command inside the loader, so "under the loader" alone is not it).
 * bin/load-bundle.cjs, which reads, compiles and runs the generate bundle, is module loading too.
 */
function isModuleLoading(chain) {
  for (const n of chain) {
    const { url, functionName } = n.callFrame;
    if (/internal\/modules\//.test(url) || /\/bin\/load-bundle\.cjs$/.test(url)) return true;
    if (functionName !== '' && /\/dist\/|\/bin\/meshplane$/.test(url)) return false;
  }
  return false;
}

/**
 * Category of one sample, from its own frame and its callers (first match wins). Function names
 * may carry a digit suffix: esbuild renames a function whose name another module also uses.
 */
function categorize(chain) {
  const own = chain[0].callFrame;
  if (own.functionName === '(idle)') return 'waiting (jsonnet evaluation on the addon thread, I/O)';
  if (own.functionName === '(garbage collector)') return 'garbage collection';
  if (own.functionName === '(program)') return 'V8 and native code outside JavaScript';
  if (isModuleLoading(chain)) return 'module loading (resolve, read, compile, top-level code)';
  for (const n of chain) {
    const u = n.callFrame.url;
    if (/\/pipeline\/emit\.js$/.test(u) || /^(fastObjectToYaml|libraryObjectToYaml|objectToYaml|emitYaml)\d*$/.test(n.callFrame.functionName)) return 'emit (canonical YAML)';
  }
  for (const n of chain) {
    const u = n.callFrame.url;
    if (/\/(rules|core\/check)[/.]/.test(u) || /^check\d*$/.test(n.callFrame.functionName)) return 'guardrails (check)';
  }
  const u = own.url;
  if (/node_modules\/yaml\//.test(u) || chain.some((n) => /^parseSourceFile\d*$/.test(n.callFrame.functionName))) return 'reading the source (yaml parse)';
  if (/\/engine\//.test(u)) return 'engine (bundle templates, JSON in/out)';
  if (/\/dist\//.test(u)) return 'render pipeline (intent, resolve, encode, decorate, order)';
  return 'node internals (fs, process, streams)';
}

/** Sums a .cpuprofile into { totalMs, categories: [{ name, ms }] } (largest first). */
export function summarizeProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totals = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const chain = [];
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) chain.push(byId.get(cur));
    const name = categorize(chain);
    totals.set(name, (totals.get(name) ?? 0) + us);
    total += us;
  }
  const round = (us) => Math.round(us / 100) / 10;
  return { totalMs: round(total), categories: [...totals].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: round(us) })) };
}

/** Profiles one cold generate of `exampleDir`; `bundled` false runs the unbundled dist/. */
export function profileGenerate(bin, exampleDir, bundled) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'meshplane-bench-prof-'));
  try {
    const env = { ...process.env, MESHPLANE_RENDER_CACHE: 'off', MESHPLANE_BUNDLE: bundled ? 'on' : 'off' };
    delete env.NODE_OPTIONS;
    const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval', '250', bin, 'generate', exampleDir], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`profiled generate exited ${r.status}: ${String(r.stderr).slice(-500)}`);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('node --cpu-prof wrote no profile');
    return summarizeProfile(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
