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
 * the catalog modules read only the data files shipped in catalog/ (written and reviewed here,
 * never user input).
 */
const ALLOWED = new Set(['src/core/yaml-parse.ts', 'src/catalog/catalog.ts', 'src/catalog/data-file.ts']);

/** The library's functions that parse text (its `uniqueKeys` default applies to each). */
const PARSERS = ['parse', 'parseDocument', 'parseAllDocuments', 'Composer', 'Parser'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The names a module imports (as values) from 'yaml'. */
function yamlImports(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'yaml'/g)) {
    for (const part of (m[1] ?? '').split(',')) {
      const name = part.trim();
      if (name && !name.startsWith('type ')) names.push(name.split(/\s+as\s+/)[0] as string);
    }
  }
  if (/import\s+\*\s+as\s+\w+\s+from\s+'yaml'|import\s+\w+\s+from\s+'yaml'|import\('yaml'\)/.test(text)) names.push('(the whole module)');
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
  });

  it('every allowed module exists and still calls a parser (the list holds no stale entries)', () => {
    for (const rel of ALLOWED) {
      const names = yamlImports(readFileSync(path.join(REPO_ROOT, rel), 'utf8'));
      assert.ok(names.some((n) => PARSERS.includes(n)), `${rel} no longer imports a parser: drop it from ALLOWED`);
    }
  });
});
