// What each part of the templates costs: templates/main.jsonnet is a sum of parts
// (`crds(input) + base.namespaces(input) + ...`); each part is evaluated alone by the C++ jsonnet
// CLI (a copy of templates/ whose main keeps its imports and returns only that part), next to
// an evaluation that returns `[]` (stdlib set-up, parsing the bundle and the input) and the whole
// mesh. Medians of CPU time (user + system, from GNU time: 10 ms resolution) over the runs,
// interleaved. A part's cost is its time minus the empty evaluation's.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from './measure.mjs';

/** The parts of main.jsonnet's body, or undefined when its shape is not `function(input) a + b + ...`. */
export function mainParts(main) {
  const at = main.indexOf('function(input)');
  if (at < 0) return undefined;
  const body = main.slice(at + 'function(input)'.length).split('\n').filter((l) => !/^\s*\/\//.test(l)).join('\n');
  const terms = body.split(/\n\s*\+ /).map((t) => t.trim()).filter(Boolean);
  if (terms.length < 2) return undefined;
  const label = (t) => /import '([^']+)\.libsonnet'/.exec(t)?.[1] ?? /(?<![.\w])(?!(?:std|input|if|then|else|for|in)\b)([A-Za-z]\w*(?:\.[A-Za-z]\w*)?)\(/.exec(t)?.[1] ?? t.slice(0, 20);
  return { head: main.slice(0, at), parts: terms.map((expr) => ({ name: label(expr), expr })) };
}

/** Profiles the templates under `root` with `input`; returns { runs, emptyCpuMs, fullCpuMs, parts: [{ name, cpuMs, overEmptyMs }] } or undefined. */
export async function profileTemplates(root, input, runs = 3) {
  const main = readFileSync(path.join(root, 'templates', 'main.jsonnet'), 'utf8');
  const shape = mainParts(main);
  if (!shape) return undefined;
  const { bundleTemplates } = await import(pathToFileURL(path.join(root, 'dist', 'src', 'engine', 'bundle.js')).href);
  const work = mkdtempSync(path.join(os.tmpdir(), 'meshplane-bench-tpl-'));
  try {
    writeFileSync(path.join(work, 'input.json'), JSON.stringify(input));
    const variants = [{ name: '(empty)', expr: '[]' }, { name: '(whole mesh)', expr: null }, ...shape.parts];
    variants.forEach((v, i) => {
      const dir = path.join(work, `v${i}`);
      cpSync(path.join(root, 'templates'), dir, { recursive: true });
      if (v.expr !== null) writeFileSync(path.join(dir, 'main.jsonnet'), `${shape.head}function(input) ${v.expr}\n`);
      writeFileSync(`${dir}.jsonnet`, bundleTemplates(dir));
    });
    const samples = variants.map(() => []);
    for (let r = 0; r < runs; r++) {
      variants.forEach((_, i) => {
        const x = spawnSync('/usr/bin/time', ['-f', '%U %S', 'jsonnet', '--tla-str-file', `input=${path.join(work, 'input.json')}`, path.join(work, `v${i}.jsonnet`)], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
        if (x.status !== 0) throw new Error(`jsonnet failed on part ${variants[i].name}: ${x.stderr.slice(-300)}`);
        const [u, s] = x.stderr.trim().split('\n').pop().split(' ').map(Number);
        samples[i].push(Math.round((u + s) * 1000));
      });
    }
    const cpu = samples.map((xs) => median(xs));
    return {
      runs,
      emptyCpuMs: cpu[0],
      fullCpuMs: cpu[1],
      parts: shape.parts.map((p, j) => ({ name: p.name, cpuMs: cpu[j + 2], overEmptyMs: cpu[j + 2] - cpu[0] })),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
