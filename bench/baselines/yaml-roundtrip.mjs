// Baseline of figure 2: what parsing and re-serializing a YAML stream costs with the same YAML
// library Meshplane uses, and nothing else (a fresh node process, like the Meshplane run it is
// compared with). Usage: node yaml-roundtrip.mjs < stream.yaml > out.yaml
import { parseAllDocuments, stringify } from 'yaml';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const docs = parseAllDocuments(Buffer.concat(chunks).toString('utf8'));
// aliasDuplicateObjects off: the cheapest way to serialize (no search for repeated objects), as Meshplane's emitter does.
const out = Array.from(docs, (d) => stringify(d.toJS(), { aliasDuplicateObjects: false })).join('---\n');
process.stdout.write(out);
