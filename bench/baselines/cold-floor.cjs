'use strict';
// The floor of a cold generate (the cold-floor figure of `npm run bench`): a bare node script
// that loads the jsonnet addon Meshplane uses (@hanazuki/node-jsonnet, libjsonnet on its own
// thread), evaluates the same bundled templates with the same input as the jsonnet CLI of the
// generate baseline, and prints the JSON it returns. No Meshplane code runs: no source read, no
// intent checks, no guardrails, no YAML emitter. So the ratio of this figure to the generate
// baseline (`node -e 0` plus the jsonnet CLI) is what the cold target has to share with all of
// that: the addon in a Node process against the C++ CLI in its own.
//
// Usage: node cold-floor.cjs <templates bundle> <input JSON file>
const { readFileSync, writeSync } = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');

const [bundleFile, inputFile] = process.argv.slice(2);
// Resolved from the package root, as Meshplane's engine resolves it.
const { Jsonnet } = createRequire(path.join(__dirname, '..', '..', 'package.json'))('@hanazuki/node-jsonnet');

new Jsonnet()
  .tlaString('input', readFileSync(inputFile, 'utf8'))
  .evaluateSnippet(readFileSync(bundleFile, 'utf8'), bundleFile)
  .then(
    (json) => {
      const out = Buffer.from(json, 'utf8');
      for (let off = 0; off < out.length; ) off += writeSync(1, out, off);
    },
    (err) => {
      process.stderr.write(`cold-floor: ${err.message}\n`);
      process.exitCode = 2;
    },
  );
