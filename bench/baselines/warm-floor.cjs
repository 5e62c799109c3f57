'use strict';
// The floor of a warm generate (the warm-floor figure of `npm run bench`): the least a fresh Node
// process must do to print a stored render of an unchanged source, and nothing else. It reads
// every file of the source and the bundled templates, keys them with SHA-256, reads its stored
// entry, checks the entry's SHA-256 and prints the manifests it holds. No Meshplane code runs: no
// YAML parse, no intent checks, no guardrails, no bundle to load. So the ratio of this figure to
// `node -e 0` is what issue 17's warm target has to share with all of that.
// Its entry holds the printed manifests alone, as bytes: Meshplane's output entry also holds the
// rendered objects (for its guardrails) and is JSON, and parsing that (~390 KB for examples/canary,
// about half of it the objects) costs ~2 ms of a margin of a few ms, which a program that only
// prints would not spend.
// CommonJS, as bin/meshplane is: the ES module loader would cost the floor a few ms more.
//
// Usage: node warm-floor.cjs <source dir> <templates bundle> <entries dir> <meshplane outputs dir>
// The first run (the bench's verify run) finds no entry of its own and copies the stored output
// of Meshplane's render cache (the entry whose payload holds the printed manifests) under its
// own key; every timed run then reads that entry, as a warm generate reads its own.
const { createHash } = require('node:crypto');
const { mkdirSync, readdirSync, readFileSync, writeFileSync, writeSync } = require('node:fs');
const path = require('node:path');

const [sourceDir, templatesFile, entriesDir, meshplaneOutputs] = process.argv.slice(2);

/** Every regular file below `dir`, in name order (as the source reader walks it). */
function filesBelow(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesBelow(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

const key = createHash('sha256');
for (const file of [...filesBelow(sourceDir), templatesFile]) key.update(file).update('\0').update(readFileSync(file)).update('\0');
const entry = path.join(entriesDir, key.digest('hex'));

/** The payload of an entry (a SHA-256 line, then the bytes), or undefined when it is missing or damaged. */
function readEntry(file) {
  let bytes;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const payload = bytes.subarray(65);
  return bytes.toString('latin1', 0, 64) === sha256(payload) ? payload : undefined;
}

/** Stores the printed text of Meshplane's stored output (the entry whose JSON has it) as this floor's own entry. */
function fill() {
  let names = [];
  try {
    names = readdirSync(meshplaneOutputs);
  } catch {
    // No outputs folder: warm-generate has not run (a bench --only that names warm-floor alone).
  }
  for (const name of names) {
    const payload = readEntry(path.join(meshplaneOutputs, name));
    const value = payload === undefined ? undefined : JSON.parse(payload.toString('utf8'));
    if (value && typeof value.output === 'string') {
      const text = Buffer.from(value.output, 'utf8');
      mkdirSync(entriesDir, { recursive: true });
      writeFileSync(entry, Buffer.concat([Buffer.from(`${sha256(text)}\n`, 'latin1'), text]));
      return text;
    }
  }
  process.stderr.write(`warm-floor: no stored output in ${meshplaneOutputs}: the warm-generate figure fills it, so run it first (bench --only warm-generate,warm-floor)\n`);
  process.exit(2);
}

const out = readEntry(entry) ?? fill();
for (let off = 0; off < out.length; ) off += writeSync(1, out, off);
process.exit(0);
