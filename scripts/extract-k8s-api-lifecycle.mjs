// Writes test/contracts/k8s-api-lifecycle.extract.json: the facts about Kubernetes' built-in API
// kinds that catalog/kubernetes-apis.yaml is checked against, read from a local git mirror of
// github.com/kubernetes/api (k8s.io/api) at its release tags v0.17.0 ... v0.36.0.
//
//   node scripts/extract-k8s-api-lifecycle.mjs <bare git dir of kubernetes/api> [--check]
//
// Per tag and per <group>/<version>/ directory it reads register.go (GroupName, and the kinds
// passed to AddKnownTypes: what the scheme, hence kube-apiserver, can serve) and
// zz_generated.prerelease-lifecycle.go (APILifecycleIntroduced/Deprecated/Removed/Replacement of
// each kind). It keeps only kinds that are, or were, on their way out: a Removed minor in the
// lifecycle file, or register.go no longer naming them at the newest tag. `*List` kinds are left
// out (a list is never applied). Facts only, in our own layout: no upstream text is copied.
// With --check it compares with the stored file instead of writing it (exit 1 on a difference).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'test', 'contracts', 'k8s-api-lifecycle.extract.json');
// Why these tags: the ones catalog/kubernetes-apis.yaml names as its source (k8s-api).
const TAGS = Array.from({ length: 20 }, (_, i) => `v0.${17 + i}.0`);

const [repo, flag] = process.argv.slice(2);
if (!repo) {
  console.error('usage: node scripts/extract-k8s-api-lifecycle.mjs <bare git dir of kubernetes/api> [--check]');
  process.exit(2);
}
const git = (...args) => {
  try {
    return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
};
const minorOf = (tag) => Number(tag.split('.')[1]);

/** key "apiVersion kind" → { apiVersion, kind, tags: [], lifecycle: Map<tag, facts> } */
const kinds = new Map();
const entry = (apiVersion, kind) => {
  const key = `${apiVersion} ${kind}`;
  if (!kinds.has(key)) kinds.set(key, { apiVersion, kind, tags: [], lifecycle: new Map() });
  return kinds.get(key);
};

for (const tag of TAGS) {
  const dirs = git('ls-tree', '-r', '--name-only', tag).split('\n').filter((f) => /^[a-z0-9]+\/v[0-9a-z]+\/register\.go$/.test(f)).map((f) => path.dirname(f));
  for (const dir of dirs.sort()) {
    const register = git('show', `${tag}:${dir}/register.go`);
    const group = /GroupName\s*=\s*"([^"]*)"/.exec(register)?.[1] ?? '';
    const version = dir.split('/')[1];
    const apiVersion = group ? `${group}/${version}` : version;
    for (const block of register.matchAll(/AddKnownTypes\(\s*SchemeGroupVersion\s*,([\s\S]*?)\)\s*\n/g)) {
      for (const m of (block[1] ?? '').matchAll(/&([A-Z][A-Za-z0-9]*)\{\}/g)) {
        const e = entry(apiVersion, m[1]);
        if (!e.tags.includes(tag)) e.tags.push(tag);
      }
    }
    const lifecycle = git('show', `${tag}:${dir}/zz_generated.prerelease-lifecycle.go`);
    for (const m of lifecycle.matchAll(/func \(in \*([A-Za-z0-9]+)\) APILifecycle(Introduced|Deprecated|Removed|Replacement)\(\)[^{]*\{([\s\S]*?)\n\}/g)) {
      const [, kind, what, body] = m;
      const e = entry(apiVersion, kind);
      const facts = e.lifecycle.get(tag) ?? {};
      if (what === 'Replacement') {
        const r = /Group:\s*"([^"]*)",\s*Version:\s*"([^"]*)",\s*Kind:\s*"([^"]*)"/.exec(body);
        if (r) facts.replacement = `${r[1] ? `${r[1]}/` : ''}${r[2]} ${r[3]}`;
      } else {
        const r = /return (\d+), (\d+)/.exec(body);
        if (r) facts[what.toLowerCase()] = `${r[1]}.${r[2]}`;
      }
      e.lifecycle.set(tag, facts);
    }
  }
}

const newest = TAGS[TAGS.length - 1];
const records = [...kinds.values()]
  .filter((e) => !e.kind.endsWith('List'))
  .map((e) => {
    const lifecycleTags = [...e.lifecycle.keys()].sort((a, b) => minorOf(a) - minorOf(b));
    const at = lifecycleTags[lifecycleTags.length - 1];
    const facts = at ? e.lifecycle.get(at) : undefined;
    return {
      apiVersion: e.apiVersion,
      kind: e.kind,
      ...(e.tags.length ? { registered: [e.tags[0], e.tags[e.tags.length - 1]] } : {}),
      ...(facts ? { lifecycle: { at, ...facts } } : {}),
    };
  })
  .filter((r) => r.lifecycle?.removed || (r.registered && r.registered[1] !== newest))
  .sort((a, b) => (`${a.apiVersion} ${a.kind}` < `${b.apiVersion} ${b.kind}` ? -1 : 1));

const head = git('rev-parse', '--short', `${newest}^{commit}`).trim();
const doc = {
  source: `github.com/kubernetes/api (k8s.io/api) release tags ${TAGS[0]} ... ${newest} (${newest} is commit ${head}): <group>/<version>/register.go and zz_generated.prerelease-lifecycle.go, read with scripts/extract-k8s-api-lifecycle.mjs`,
  read: new Date().toISOString().slice(0, 10),
  fields: 'registered: first and last tag whose register.go adds the kind to the scheme; lifecycle: the values of the newest tag whose lifecycle file has the kind (at), minors as "1.N", replacement as "apiVersion Kind". Only kinds with a Removed minor or no longer registered at the newest tag; no *List kinds.',
  records,
};
// One record per line, so a refresh reviews as a line diff.
const text = `{\n${['source', 'read', 'fields'].map((k) => ` ${JSON.stringify(k)}: ${JSON.stringify(doc[k])},\n`).join('')} "records": [\n${records.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n ]\n}\n`;
if (flag === '--check') {
  const stored = JSON.parse(readFileSync(OUT, 'utf8'));
  const same = JSON.stringify(stored.records) === JSON.stringify(records);
  console.log(same ? `${OUT}: same records (${records.length})` : `${OUT}: records differ`);
  process.exit(same ? 0 : 1);
}
writeFileSync(OUT, text);
console.log(`wrote ${records.length} records to ${OUT}`);
