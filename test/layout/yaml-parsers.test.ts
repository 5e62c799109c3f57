/**
 * Every parse of YAML that Meshplane did not write goes through src/core/yaml-parse.ts, whose
 * duplicate-key check is linear; the yaml library's own check (on by default) is quadratic in the
 * keys of one mapping (yaml 2.9.1 compose/util-map-includes.js: 80,000 keys took 103 s). This test
 * reads every non-test module under src/ and fails when one imports the library's parse entry
 * points directly, outside the short list below.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';

/**
 * Modules allowed to call the library's parsers. Why each: yaml-parse.ts is the wrapper itself;
 * data-file.ts reads only the data files shipped in catalog/ (written and reviewed here, never
 * user input). catalog.ts is not here: its loadCatalogFrom reads a folder the user names
 * (`meshplane diff --base-catalog`).
 */
const ALLOWED = new Set(['src/core/yaml-parse.ts', 'src/catalog/data-file.ts']);

/** The library's functions that parse text (its `uniqueKeys` default applies to each). */
const PARSERS = ['parse', 'parseDocument', 'parseAllDocuments', 'Composer', 'Parser'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The module specifier of the library (and its subpaths), in either quote. */
const SPECIFIER = String.raw`(?<quote>['"])yaml(?:/[^'"]*)?\k<quote>`;

/**
 * The names a module takes (as values) from 'yaml': named imports and re-exports (`type` ones
 * left out), or '(the whole module)' for a default or namespace import, `export *`, and any
 * `import(…)` / `require(…)` of it (a call whose only argument is the specifier, so a
 * `createRequire` result under another name counts too).
 */
function yamlImports(text: string): string[] {
  const names: string[] = [];
  const whole = (): void => void names.push('(the whole module)');
  for (const m of text.matchAll(new RegExp(String.raw`\b(import|export)(?![\w$])\s*(type\s+)?([^;'"]*?)\s*from\s*` + SPECIFIER, 'g'))) {
    if (m[2]) continue;
    const clause = (m[3] ?? '').trim();
    const braces = /\{([^}]*)\}/.exec(clause);
    for (const part of (braces?.[1] ?? '').split(',')) {
      const name = part.trim();
      if (name && !name.startsWith('type ')) names.push(name.split(/\s+as\s+/)[0] as string);
    }
    const outside = clause.replace(/\{[^}]*\}/, '').replace(/,/g, ' ').trim();
    if (outside !== '') whole();
  }
  if (new RegExp(String.raw`\(\s*` + SPECIFIER + String.raw`\s*\)`).test(text)) whole();
  return names;
}

describe('YAML parsing goes through core/yaml-parse.ts', () => {
  it('no module outside the allowed list imports the yaml library parsers', () => {
    const offenders: string[] = [];
    let checked = 0;
    for (const file of sources(path.join(REPO_ROOT, 'src'))) {
      const rel = path.relative(REPO_ROOT, file).split(path.sep).join('/');
      checked++;
      if (ALLOWED.has(rel)) continue;
      const bad = yamlImports(readFileSync(file, 'utf8')).filter((n) => PARSERS.includes(n) || n === '(the whole module)');
      if (bad.length > 0) offenders.push(`${rel}: ${bad.join(', ')}`);
    }
    assert.ok(checked > 100, `only ${checked} modules read`);
    assert.deepEqual(offenders, [], 'parse YAML with parseYamlStream / parseYamlDocument / parseYaml from src/core/yaml-parse.ts');
  });

  it('recognises the import forms it looks for', () => {
    assert.deepEqual(yamlImports("import { isMap, parseDocument, type Node } from 'yaml';"), ['isMap', 'parseDocument']);
    assert.deepEqual(yamlImports("import { parse as p } from 'yaml';"), ['parse']);
    assert.deepEqual(yamlImports("import * as YAML from 'yaml';"), ['(the whole module)']);
    assert.deepEqual(yamlImports("import type { Document } from 'yaml';"), []);
    // Forms a module could use to reach the parsers past a narrower pattern.
    assert.deepEqual(yamlImports('import { parse } from "yaml";'), ['parse']);
    assert.deepEqual(yamlImports("import YAML, { isMap } from 'yaml';"), ['isMap', '(the whole module)']);
    assert.deepEqual(yamlImports("import YAML from 'yaml';"), ['(the whole module)']);
    assert.deepEqual(yamlImports("export { parseDocument } from 'yaml';"), ['parseDocument']);
    assert.deepEqual(yamlImports("export * from 'yaml';"), ['(the whole module)']);
    assert.deepEqual(yamlImports("const y = await import(\"yaml\");"), ['(the whole module)']);
    assert.deepEqual(yamlImports("const req = createRequire(import.meta.url);\nconst y = req('yaml');"), ['(the whole module)']);
    assert.deepEqual(yamlImports("import{parse}from'yaml';"), ['parse']);
    assert.deepEqual(yamlImports("// this module imports from 'yaml' nothing that parses"), []);
    assert.deepEqual(yamlImports("import {\n  isMap,\n  type Node,\n} from 'yaml';"), ['isMap']);
    assert.deepEqual(yamlImports("import { stringify } from 'yaml';\nconst format: 'yaml' | 'json' = 'yaml';"), ['stringify']);
  });

  it('every allowed module exists and still calls a parser (the list holds no stale entries)', () => {
    for (const rel of ALLOWED) {
      const names = yamlImports(readFileSync(path.join(REPO_ROOT, rel), 'utf8'));
      assert.ok(names.some((n) => PARSERS.includes(n)), `${rel} no longer imports a parser: drop it from ALLOWED`);
    }
  });
});
