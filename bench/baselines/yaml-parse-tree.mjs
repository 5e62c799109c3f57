// Baseline of the fleet figure: reading and parsing every manifest file of the same fleet tree
// with the YAML library Meshplane uses, and nothing else (a fresh node process, like the
// Meshplane run it is compared with). Usage: node yaml-parse-tree.mjs <dir> (prints the file count).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return files(p);
    return /\.(ya?ml|json)$/.test(e.name) ? [p] : [];
  });
}

const list = files(process.argv[2]);
for (const f of list) for (const d of parseAllDocuments(readFileSync(f, 'utf8'))) d.toJS();
process.stdout.write(`${list.length}\n`);
