// Mutation testing of the admission policy's CEL (templates/policy.libsonnet), which StrykerJS
// cannot mutate (it is CEL inside Jsonnet strings). Each mutant is one textual change to a line
// that writes or composes a CEL expression; the CEL tests (dist/test/templates/policy-cel*.test.js:
// the CEL evaluated with @marcbachmann/cel-js against the static rules' fixtures and against
// hand-written objects) run against it, and a mutant is killed when they fail. The file is changed in place for each run and always
// restored (also on Ctrl-C). Writes reports/mutation/cel.json; prints one line per mutant.
// Usage: node scripts/mutate-cel.mjs   (after `npm run build`)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.join(root, 'templates', 'policy.libsonnet');
const testDir = path.join(root, 'dist', 'test', 'templates');
const tests = readdirSync(testDir).filter((f) => /^policy-cel.*\.test\.js$/.test(f)).map((f) => path.join(testDir, f));
const original = readFileSync(file, 'utf8');

// Why these operators: they are the CEL counterparts of Stryker's equality, logical, boolean,
// method and string mutators, plus the removal of one clause of an exception match (the mutant
// issue 13 found: an exception that ignores the object name).
const OPERATORS = [
  ['equality flipped', / == /g, ' != '],
  ['and → or', / && /g, ' || '],
  ['or → and', / \|\| /g, ' && '],
  ['negation removed', /'!variables\./g, "'variables."],
  ['startsWith → endsWith', /startsWith/g, 'endsWith'],
  ['exists → all', /\.exists\(/g, '.all('],
  ['has() → true', /'has\(%s\)'/g, "'true'"],
  ['empty anyOf → true', /then 'false'/g, "then 'true'"],
  ['string emptied', /'(istio|Service|ServiceEntry|networking\.istio\.io|GatewayClass|Gateway|istio\.io\/gateway-controller|v1)'/g, "''"],
  ['name clause dropped', /\+ \(if e\.name == '\*' then \[\] else \['variables\.name == ' \+ str\(e\.name\)\]\)/g, ''],
  ['namespace clause dropped', /, 'variables\.ns == ' \+ str\(e\.namespace\)/g, ''],
  ['kind clause dropped', /\+ ' && object\.kind == ' \+ str\(kind\)/g, ''],
  ['rule filter dropped', / if e\.rule == rule/g, ''],
  ['group separator dropped', /str\(g \+ '\/'\)/g, 'str(g)'],
];

/** Lines that write or compose CEL: between `local str(s)` and `local message`, and the policy's expressions. */
function celLine(line, index, lines) {
  const start = lines.findIndex((l) => l.startsWith('local str(s)'));
  const end = lines.findIndex((l) => l.startsWith('local message('));
  return (index > start && index < end) || /expression: /.test(line);
}

function mutants() {
  const lines = original.split('\n');
  const out = [];
  lines.forEach((line, i) => {
    if (!celLine(line, i, lines) || line.trim().startsWith('//')) return;
    for (const [name, re, to] of OPERATORS) {
      for (const m of line.matchAll(re)) {
        const mutated = line.slice(0, m.index) + m[0].replace(new RegExp(re.source), to) + line.slice(m.index + m[0].length);
        if (mutated === line) continue;
        const copy = [...lines];
        copy[i] = mutated;
        out.push({ id: out.length + 1, operator: name, line: i + 1, replacement: mutated.trim().slice(0, 160), text: copy.join('\n') });
      }
    }
  });
  return out;
}

const restore = () => writeFileSync(file, original);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { restore(); process.exit(130); });

const results = [];
try {
  const all = mutants();
  process.stdout.write(`${all.length} CEL mutants in templates/policy.libsonnet\n`);
  for (const m of all) {
    writeFileSync(file, m.text);
    const r = spawnSync(process.execPath, ['--test', ...tests], { encoding: 'utf8', timeout: 120_000 });
    const status = r.status === 0 ? 'Survived' : r.signal ? 'Timeout' : 'Killed';
    results.push({ id: m.id, operator: m.operator, line: m.line, replacement: m.replacement, status });
    process.stdout.write(`${status.padEnd(8)} #${m.id} line ${m.line} ${m.operator}: ${m.replacement}\n`);
  }
} finally {
  restore();
}
const killed = results.filter((r) => r.status !== 'Survived').length;
const score = results.length ? (100 * killed) / results.length : 0;
mkdirSync(path.join(root, 'reports', 'mutation'), { recursive: true });
writeFileSync(path.join(root, 'reports', 'mutation', 'cel.json'), `${JSON.stringify({ file: 'templates/policy.libsonnet', score, results }, null, 2)}\n`);
process.stdout.write(`CEL mutation score: ${score.toFixed(1)}% (${killed}/${results.length} killed)\n`);
