// The figures of `npm run bench`. Each figure is a Meshplane side and a baseline side; a side is
// one or more commands whose wall/CPU times add up and whose peak RSS is the largest of them.
// Figures with the same `baselineKey` share one baseline measurement per run (check and
// post-render both compare with a parse + serialize of the same stream).
// Every figure is checked once (outputs compared, exit codes asserted) before it is timed, so a
// broken command can never produce a fast-looking number.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { DIFF_OBJECTS, STREAM_OBJECTS } from './inputs.mjs';

/** How a ratio is read against its target. */
function target(kind, value, text) {
  return { kind, value, text };
}

/** Objects in a printed YAML stream: each document has exactly one top-level `kind:` line. */
function objectCount(file) {
  return (readFileSync(file, 'utf8').match(/^kind: /gm) ?? []).length;
}

/** Builds the figure list for prepared inputs; figures of commands the CLI lacks come back in `skipped`. */
export function figures(ctx) {
  const { root, bin, commands, example, work, jsonnetInput, jsonnetBundle, engineJson, warmCacheDir, fleet, server } = ctx;
  const node = process.execPath;
  const roundtrip = { cmd: node, args: [path.join(root, 'bench', 'baselines', 'yaml-roundtrip.mjs')], stdin: work.stream };
  const list = [];
  const skipped = [];
  const generated = (out) => objectCount(out) === example.objects || `printed ${objectCount(out)} objects, want ${example.objects}`;
  const sameAsEngine = (what) => (out) => isDeepStrictEqual(JSON.parse(readFileSync(out, 'utf8')), engineJson) || `the ${what} output differs from the engine output`;
  const nodeStart = { label: 'node -e 0', cmd: node, args: ['-e', '0'], expect: [0] };
  // The two baselines of the generate figures and their floors (figures with one baselineKey share one measurement).
  const nodeJsonnet = {
    baseline: [nodeStart, { label: 'jsonnet CLI', cmd: 'jsonnet', args: ['--tla-str-file', `input=${jsonnetInput}`, jsonnetBundle], expect: [0], verify: sameAsEngine('jsonnet CLI') }],
    baselineKey: 'node+jsonnet',
    baselineText: 'node -e 0 + jsonnet CLI on the same (bundled) templates and input',
  };
  const nodeAlone = { baseline: [nodeStart], baselineKey: 'node', baselineText: 'node -e 0' };
  list.push({
    id: 'generate',
    title: `cold generate, examples/${example.name} (${example.objects} objects)`,
    // Cold: the on-disk render cache is off, so every run evaluates the templates.
    meshplane: [{ cmd: bin, args: ['generate', example.dir], env: { MESHPLANE_RENDER_CACHE: 'off' }, expect: [0], verify: generated }],
    ...nodeJsonnet,
    ratio: 'time',
    target: target('max', 1.3, '≤ 1.3× (issue 17)'),
  });
  list.push({
    id: 'cold-floor',
    title: 'floor of generate: a bare node script that evaluates the same bundled templates and input with the jsonnet addon Meshplane uses and prints the JSON, with no Meshplane code (bench/baselines/cold-floor.cjs)',
    meshplane: [{ cmd: node, args: [path.join(root, 'bench', 'baselines', 'cold-floor.cjs'), jsonnetBundle, jsonnetInput], expect: [0], verify: sameAsEngine('addon') }],
    ...nodeJsonnet,
    ratio: 'time',
    floorOf: 'generate',
  });
  list.push({
    id: 'warm-generate',
    title: `second generate of unchanged examples/${example.name}, new process, on-disk render cache warm`,
    // The verify run (made before timing) fills the cache folder; every timed run then hits it.
    // Each run still reads and parses the source, validates and resolves the intent and runs every
    // guardrail over all objects; the evaluation, encode/decorate and the printed text come from
    // the render and output caches (src/engine/output-cache.ts).
    meshplane: [{ cmd: bin, args: ['generate', example.dir], env: { MESHPLANE_RENDER_CACHE_DIR: warmCacheDir }, expect: [0], verify: generated }],
    ...nodeAlone,
    ratio: 'time',
    target: target('max', 1.2, '≤ 1.2× (issue 17)'),
  });
  list.push({
    id: 'warm-floor',
    title: `floor of warm-generate: a bare node script that reads the source and the bundled templates, keys them with SHA-256 and prints its stored render of them, with no checks and no Meshplane code (bench/baselines/warm-floor.cjs)`,
    // Runs after warm-generate, whose verify run filled the render cache this script copies its
    // one entry from (in its own verify run); every timed run then reads its own entry.
    meshplane: [{ cmd: node, args: [path.join(root, 'bench', 'baselines', 'warm-floor.cjs'), example.dir, path.join(root, 'dist', 'src', 'bundle', 'templates.jsonnet'), path.join(path.dirname(warmCacheDir), 'warm-floor-entries'), path.join(warmCacheDir, 'outputs')], expect: [0], verify: generated }],
    ...nodeAlone,
    ratio: 'time',
    floorOf: 'warm-generate',
  });
  if (server) {
    list.push({
      id: 'server-generate',
      title: `second generate of unchanged examples/${example.name}, new process, handed to a warm \`meshplane serve\` (MESHPLANE_SERVER)`,
      // The client reads the source and posts it; the server (started by the bench, on this
      // machine's other core) runs the intent checks and every guardrail on it each time and
      // answers an unchanged request from its response cache. A client that fell back to
      // rendering in-process would say so on stderr: every run is checked for it.
      meshplane: [{ cmd: bin, args: ['generate', example.dir], env: { MESHPLANE_SERVER: server.url, MESHPLANE_TOKEN: server.token, MESHPLANE_RENDER_CACHE: 'off' }, expect: [0], verify: generated, checkStderr: (err) => !/did not answer/.test(err) || `the server did not answer: ${err.trim().split('\n').find((l) => /did not answer/.test(l))}` }],
      ...nodeAlone,
      ratio: 'time',
      target: target('max', 1.2, '≤ 1.2× (issue 17, through the server)'),
    });
    list.push({
      id: 'client-floor',
      title: 'floor of server-generate: a bare node:http client that posts the source to the same server and prints the manifests of its answer, with none of the CLI (bench/baselines/client-floor.cjs)',
      meshplane: [{ cmd: node, args: [path.join(root, 'bench', 'baselines', 'client-floor.cjs'), server.url, example.dir, new Date().toISOString().slice(0, 10)], env: { MESHPLANE_TOKEN: server.token }, expect: [0], verify: generated }],
      ...nodeAlone,
      ratio: 'time',
      floorOf: 'server-generate',
    });
  } else skipped.push({ id: 'server-generate', reason: '`meshplane serve` could not be started' });
  const streamCount = (out) => objectCount(out) === STREAM_OBJECTS || `printed ${objectCount(out)} objects, want ${STREAM_OBJECTS}`;
  const roundtripStep = { ...roundtrip, label: 'yaml parse + serialize', expect: [0], verify: streamCount };
  if (commands.has('check')) {
    list.push({
      id: 'check',
      title: `check, ${STREAM_OBJECTS.toLocaleString('en-US')}-object source`,
      // Exit 1 (violations found) still did the whole check; the verify run prints which it was.
      meshplane: [{ cmd: bin, args: ['check', work.streamDir], expect: [0, 1] }],
      baseline: [roundtripStep],
      baselineKey: 'yaml-roundtrip',
      baselineText: 'yaml parse + serialize of the same stream',
      ratio: 'throughput',
      target: target('min', 0.7, '≥ 0.7× throughput'),
    });
  } else skipped.push({ id: 'check', reason: '`meshplane check` is not registered yet: not available yet' });
  if (commands.has('post-render')) {
    list.push({
      id: 'post-render',
      title: `post-render, ${STREAM_OBJECTS.toLocaleString('en-US')}-object stream`,
      meshplane: [{ cmd: bin, args: ['post-render', '--intent', work.intentFile], stdin: work.stream, expect: [0], verify: streamCount }],
      baseline: [roundtripStep],
      baselineKey: 'yaml-roundtrip',
      baselineText: 'yaml parse + serialize of the same stream',
      ratio: 'throughput',
      target: target('min', 0.7, '≥ 0.7× throughput'),
    });
  } else skipped.push({ id: 'post-render', reason: '`meshplane post-render` is not registered yet: not available yet' });
  if (commands.has('diff')) {
    list.push({
      id: 'diff',
      title: `diff, two ${DIFF_OBJECTS.toLocaleString('en-US')}-object sources`,
      meshplane: [{ cmd: bin, args: ['diff', '--base', work.baseDir, '--head', work.headDir, '--color', 'never'], expect: [1] }],
      baseline: [{ label: 'yaml parse of both', cmd: node, args: [path.join(root, 'bench', 'baselines', 'yaml-parse.mjs'), work.baseFile, work.headFile], expect: [0], verify: (out) => readFileSync(out, 'utf8').trim() === `${DIFF_OBJECTS} ${DIFF_OBJECTS}` || 'unexpected object counts' }],
      baselineKey: 'yaml-parse-both',
      baselineText: 'yaml parse of both sides',
      ratio: 'time',
      target: undefined,
    });
  } else skipped.push({ id: 'diff', reason: '`meshplane diff` is not registered yet: not available yet' });
  if (commands.has('fleet') && fleet) {
    list.push({
      id: 'fleet',
      title: `fleet, ${fleet.clusters} cluster folders made from the examples (issue 15: under 2 s)`,
      // Exit 1: the generated fleet holds clusters past end of life and failing on purpose.
      meshplane: [{ cmd: bin, args: ['fleet', fleet.dir, '--now', fleet.now, '--output', 'json'], expect: [1], verify: (out) => JSON.parse(readFileSync(out, 'utf8')).clusters.length === fleet.clusters || `reported ${JSON.parse(readFileSync(out, 'utf8')).clusters.length} clusters, want ${fleet.clusters}` }],
      baseline: [{ label: 'yaml parse of the tree', cmd: node, args: [path.join(root, 'bench', 'baselines', 'yaml-parse-tree.mjs'), fleet.dir], expect: [0], verify: (out) => Number(readFileSync(out, 'utf8').trim()) > fleet.clusters || 'too few files parsed' }],
      baselineKey: 'yaml-parse-tree',
      baselineText: 'node reading and parsing every manifest of the same tree',
      ratio: 'time',
      target: undefined,
    });
  } else skipped.push({ id: 'fleet', reason: '`meshplane fleet` is not registered or its fleet was not generated' });
  return { list, skipped };
}
