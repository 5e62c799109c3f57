/**
 * The layout without climbs: src/ is a stack of floors, and a module may import only from its own
 * floor or the floors below it. The floors (bottom first) and why each sits where it does are in
 * docs/design.md ("Layout"); this test computes the import graph of every non-test module under
 * src/ from the source text (static `import`/`export … from`, `import type`, and dynamic
 * `import('…')`) and fails on any climb and on any import circle between modules.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';

/**
 * The floors, bottom first. Why this order: the ground (types, errors, identity, bounded reading)
 * is needed by everything; the intent's types and the catalog are data; the template engine only
 * evaluates; the pipeline's stages turn files into objects (src/pipeline/render.ts is its table
 * of contents), with the lock file that pins what the catalog decides beside them; rules judge objects (and images, beside them, reads the images a render needs); guardrails run the rules and apply exceptions; diff and
 * output turn results into reports; integrations and the import/upgrade/fleet tools adapt outside
 * contracts; flows drive all of these for one command; the CLI and the server are thin shells.
 */
export const FLOORS: readonly (readonly string[])[] = [
  ['core'],
  ['intent', 'catalog'],
  ['engine'],
  ['pipeline', 'lock'],
  ['rules', 'images'],
  ['guardrails'],
  ['diff', 'output'],
  ['integrations', 'import', 'upgrade', 'fleet'],
  ['flows'],
  ['cli', 'server'],
];

const SRC = path.join(REPO_ROOT, 'src');

function modules(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...modules(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The relative imports of one module, as absolute .ts paths. */
export function importsOf(file: string, text: string): string[] {
  const found = new Set<string>();
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)'(\.{1,2}\/[^']+)'/g;
  for (const match of text.matchAll(pattern)) {
    found.add(path.resolve(path.dirname(file), match[1]!.replace(/\.js$/, '.ts')));
  }
  return [...found].sort();
}

/** The floor index of a module (by its first folder under src/). */
export function floorOf(file: string): number {
  const top = path.relative(SRC, file).split(path.sep)[0]!;
  const index = FLOORS.findIndex((floor) => floor.includes(top));
  if (index < 0) throw new Error(`src/${top} is on no floor: add it to FLOORS and to docs/design.md ("Layout")`);
  return index;
}

function graph(): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const file of modules(SRC)) edges.set(file, importsOf(file, readFileSync(file, 'utf8')));
  return edges;
}

/** Strongly connected components with more than one module, or a module importing itself (Tarjan). */
export function circles(edges: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!edges.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (edges.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

const rel = (file: string): string => path.relative(REPO_ROOT, file);

describe('import graph of src/', () => {
  const edges = graph();

  it('sees a real graph (guards the scanner itself)', () => {
    assert.ok(edges.size > 100, `only ${edges.size} modules found`);
    const generate = edges.get(path.join(SRC, 'flows', 'generate.ts'));
    assert.ok(generate?.includes(path.join(SRC, 'pipeline', 'render.ts')), 'flows/generate.ts must be seen importing pipeline/render.ts');
  });

  it('puts every top-level folder of src/ on a floor', () => {
    for (const file of edges.keys()) floorOf(file);
  });

  it('has no module importing a module on a higher floor', () => {
    const climbs: string[] = [];
    for (const [file, targets] of edges) {
      for (const target of targets) {
        if (floorOf(target) > floorOf(file)) climbs.push(`${rel(file)} → ${rel(target)}`);
      }
    }
    assert.deepEqual(climbs, [], `imports that climb a floor:\n${climbs.join('\n')}`);
  });

  it('has no import circle', () => {
    const found = circles(edges).map((c) => c.map(rel).join(' ↔ '));
    assert.deepEqual(found, [], `import circles:\n${found.join('\n')}`);
  });
});

describe('the checks of this test can fail', () => {
  const a = '/x/src/a.ts';
  const b = '/x/src/b.ts';
  const c = '/x/src/c.ts';
  const cases: { name: string; edges: [string, string[]][]; circles: number }[] = [
    { name: 'a chain', edges: [[a, [b]], [b, [c]], [c, []]], circles: 0 },
    { name: 'two modules importing each other', edges: [[a, [b]], [b, [a]], [c, []]], circles: 1 },
    { name: 'a three-module ring', edges: [[a, [b]], [b, [c]], [c, [a]]], circles: 1 },
    { name: 'a module importing itself', edges: [[a, [a]], [b, []]], circles: 1 },
  ];
  for (const t of cases) {
    it(`finds ${t.circles} circle(s) in ${t.name}`, () => {
      assert.equal(circles(new Map(t.edges)).length, t.circles);
    });
  }

  it('reads static, type-only, re-export and dynamic imports', () => {
    const text = [
      "import { x } from './one.js';",
      "import type { Y } from '../two.js';",
      "export { z } from './three.js';",
      "const m = await import('./four.js');",
      "import './five.js';",
      "import fs from 'node:fs';",
    ].join('\n');
    const found = importsOf('/r/src/p/q.ts', text).map((f) => path.basename(f));
    assert.deepEqual(found.sort(), ['five.ts', 'four.ts', 'one.ts', 'three.ts', 'two.ts']);
  });

  it('ranks floors bottom first', () => {
    assert.ok(floorOf(path.join(SRC, 'core', 'types.ts')) < floorOf(path.join(SRC, 'pipeline', 'render.ts')));
    assert.ok(floorOf(path.join(SRC, 'flows', 'generate.ts')) < floorOf(path.join(SRC, 'cli', 'main.ts')));
  });
});
