/**
 * The repository stands alone: no tracked file cites a document that is not in it. The design
 * notes and reference facts the project was built from live outside the repository; what a reader
 * needs from them is written into docs/design.md (or beside the code) instead, so every "why" can
 * be checked from a clone. This test fails on any citation of those outside documents.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../helpers/cli.js';

// Why these: the names under which the outside documents were cited. Written as fragments so this
// file does not match itself.
const OUTSIDE: Array<[string, RegExp]> = [
  ['a path into the shared folder', new RegExp(String.raw`(^|[^\w-])(\.\./)*shared/(reference|${'DES'}IGN)`)],
  ['the outside design document', new RegExp(String.raw`\b${'DES'}IGN\b`)],
  ['an outside reference file', new RegExp(String.raw`\b(aks-addon-${'facts'}|istio-${'anatomy'}|gitops-${'contracts'}|style-${'anchors'})\b`)],
  ['a section sign (the outside documents were cited by section)', new RegExp('\u00a7')],
];

/** Tracked text files (git ls-files), without the lock file and this test's own source. */
function trackedFiles(): string[] {
  const self = path.relative(REPO_ROOT, fileURLToPath(import.meta.url)).replace(/^dist\//, '').replace(/\.js$/, '.ts');
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out.split('\0').filter((f) => f && f !== 'package-lock.json' && f !== self && !/(^|\/)(node_modules|dist)\//.test(f));
}

/** `file:line: text` for every line that cites an outside document. */
export function citations(files: string[], read: (f: string) => string): string[] {
  const found: string[] = [];
  for (const f of files) {
    const text = read(f);
    if (text.includes('\0')) continue;
    text.split('\n').forEach((line, i) => {
      for (const [what, re] of OUTSIDE) if (re.test(line)) found.push(`${f}:${i + 1}: ${what}: ${line.trim().slice(0, 120)}`);
    });
  }
  return found;
}

describe('no citation of a file outside the repository', () => {
  const git = existsSync(path.join(REPO_ROOT, '.git'));

  it('the patterns catch each way the outside documents were cited, and leave ordinary text alone', () => {
    const samples: Record<string, string> = {
      a: `see ../shared/reference/x.md`, b: `(${'DES'}IGN \u00a74)`, c: `(aks-addon-${'facts'}.md 3.7)`,
      d: `per gitops-${'contracts'}.md`, e: `the ${'DES'}IGN target`,
      ok: 'docs/design.md, "Architecture"; kubernetes.io/docs/reference/using-api/; shared Service; design',
    };
    const found = citations(Object.keys(samples), (f) => samples[f] as string);
    assert.deepEqual([...new Set(found.map((l) => l.split(':')[0]))].sort(), ['a', 'b', 'c', 'd', 'e']);
  });

  it('holds for every tracked file', { skip: git ? false : 'not a git checkout' }, () => {
    const files = trackedFiles();
    assert.ok(files.length > 100, `${files.length} tracked files`);
    assert.deepEqual(citations(files, (f) => (existsSync(path.join(REPO_ROOT, f)) ? readFileSync(path.join(REPO_ROOT, f), 'utf8') : '')), []);
  });

  it('docs/design.md exists and covers what the code points at', () => {
    const design = readFileSync(path.join(REPO_ROOT, 'docs', 'design.md'), 'utf8');
    const headings = new Set([...design.matchAll(/^#+ (.+)$/gm)].map((m) => m[1] as string));
    const cited = new Set<string>();
    for (const f of trackedFiles().filter((x) => /\.(ts|mjs|libsonnet|jsonnet|yaml|md)$/.test(x))) {
      const text = readFileSync(path.join(REPO_ROOT, f), 'utf8');
      for (const m of text.matchAll(/docs\/design\.md[,;]?\s*\(?"([^"]+)"/g)) cited.add(m[1] as string);
    }
    assert.ok(cited.size > 10, [...cited].join(', '));
    assert.deepEqual([...cited].filter((h) => !headings.has(h)), [], 'every quoted heading exists in docs/design.md');
  });
});
