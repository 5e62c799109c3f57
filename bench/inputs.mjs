// Inputs of `npm run bench`, prepared once per run in a temporary folder: the largest example
// and its exact template input (for the jsonnet CLI baseline), a 10,000-object source and
// stream, and two 5,000-object sources for diff. Everything is derived from the built library
// (dist/), so the baseline evaluates exactly what `meshplane generate` evaluates.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchIntent, benchObjects, toStream } from './workload.mjs';

/** Objects in the check/post-render stream. */
export const STREAM_OBJECTS = 10_000;
/** Objects on each side of the diff workload. */
export const DIFF_OBJECTS = 5_000;
/** Every DIFF_CHANGE_EVERY-th app gets other field values on the head side (the Deployments and ConfigMaps among them change). */
const DIFF_CHANGE_EVERY = 10;

async function lib(root, rel) {
  return import(pathToFileURL(path.join(root, 'dist', rel)).href);
}

/** Renders every example in-process and returns the one with the most objects, with its template input. */
export async function largestExample(root) {
  const { render } = await lib(root, 'src/pipeline/render.js');
  const { readSourceTree } = await lib(root, 'src/pipeline/load.js');
  const examples = readdirSync(path.join(root, 'examples'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  let best;
  for (const name of examples) {
    const dir = path.join(root, 'examples', name);
    const result = await render({ files: await readSourceTree(dir), env: {} });
    if (!best || result.objects.length > best.objects) best = { name, dir, objects: result.objects.length, input: result.input };
  }
  return best;
}

/** The rendered-by-the-engine output for an input, for checking the CLI baseline evaluates the same thing. */
export async function engineOutput(root, input) {
  const { JsonnetEngine } = await lib(root, 'src/engine/template-engine.js');
  return new JsonnetEngine().render(input);
}

/** Command names the CLI registers (figures of unregistered commands are skipped). */
export async function registeredCommands(root) {
  const { COMMAND_TABLE } = await lib(root, 'src/cli/commands/table.js');
  return new Set(COMMAND_TABLE.map((c) => c.name));
}

/**
 * Makes sure the C++ jsonnet CLI is on PATH, installing the Debian package `jsonnet` when it is
 * not (as root, or through passwordless sudo). Returns its version line, or throws saying how
 * to install it.
 */
export function ensureJsonnetCli(log) {
  const probe = () => spawnSync('jsonnet', ['--version'], { encoding: 'utf8' });
  let r = probe();
  if (r.status === 0) return r.stdout.trim();
  log('jsonnet CLI not found: installing the Debian package `jsonnet` (apt-get)');
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const run = (args) => {
    const [cmd, ...rest] = [...asRoot, ...args];
    spawnSync(cmd, rest, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', 'jsonnet']);
  r = probe();
  if (r.status === 0) return r.stdout.trim();
  throw new Error('the C++ jsonnet CLI is needed for the generate baseline: install it with `sudo apt-get install jsonnet` (Debian/Ubuntu) and rerun');
}

/** Writes the stream and diff workloads under `dir`; returns their paths. */
export function writeWorkloads(dir) {
  const streamDir = path.join(dir, 'stream-source');
  const baseDir = path.join(dir, 'diff-base');
  const headDir = path.join(dir, 'diff-head');
  for (const d of [streamDir, baseDir, headDir]) mkdirSync(d, { recursive: true });
  const intent = benchIntent();
  const stream = path.join(streamDir, 'apps.yaml');
  writeFileSync(path.join(streamDir, 'mesh.yaml'), intent);
  writeFileSync(stream, toStream(benchObjects(STREAM_OBJECTS)));
  writeFileSync(path.join(baseDir, 'mesh.yaml'), intent);
  writeFileSync(path.join(headDir, 'mesh.yaml'), intent);
  const baseFile = path.join(baseDir, 'apps.yaml');
  const headFile = path.join(headDir, 'apps.yaml');
  writeFileSync(baseFile, toStream(benchObjects(DIFF_OBJECTS)));
  writeFileSync(headFile, toStream(benchObjects(DIFF_OBJECTS, (i) => (i % DIFF_CHANGE_EVERY === 0 ? i + 1 : i))));
  return { streamDir, stream, intentFile: path.join(streamDir, 'mesh.yaml'), baseDir, headDir, baseFile, headFile };
}
