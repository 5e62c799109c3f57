// Baseline of figure 3: what parsing both sides of a diff costs with the same YAML library
// Meshplane uses, and nothing else (a fresh node process, like the Meshplane run it is compared
// with). Usage: node yaml-parse.mjs base.yaml head.yaml (prints the object counts).
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const counts = process.argv.slice(2).map((file) => Array.from(parseAllDocuments(readFileSync(file, 'utf8')), (d) => d.toJS()).length);
process.stdout.write(`${counts.join(' ')}\n`);
