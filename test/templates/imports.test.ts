/**
 * Import paths stay inside templates/: every import/importstr in every template resolves to a
 * file under templates/ (the engine's only jpath), so a template can never read other files.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/cli.js';

const TEMPLATES = path.join(REPO_ROOT, 'templates');

function templateFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return templateFiles(p);
    return /\.(jsonnet|libsonnet)$/.test(e.name) ? [p] : [];
  });
}

/** An import resolves relative to the importing file first, then to the jpath (templates/). */
function resolveImport(from: string, target: string): string | undefined {
  for (const base of [path.dirname(from), TEMPLATES]) {
    const p = path.resolve(base, target);
    if (existsSync(p)) return p;
  }
  return undefined;
}

describe('template imports', () => {
  const files = templateFiles(TEMPLATES);
  it('finds the templates', () => assert.ok(files.length >= 5));
  for (const file of files) {
    it(`${path.relative(REPO_ROOT, file)} imports only files inside templates/`, () => {
      const text = readFileSync(file, 'utf8');
      const imports = [...text.matchAll(/\bimport(?:str|bin)?\s+'([^']+)'/g)].map((m) => m[1] as string);
      for (const target of imports) {
        assert.ok(!path.isAbsolute(target), `${target} is absolute`);
        const resolved = resolveImport(file, target);
        assert.ok(resolved, `${target} does not exist`);
        assert.ok(resolved.startsWith(TEMPLATES + path.sep), `${target} resolves outside templates/`);
      }
    });
  }
  it('never uses the slow std.manifest* functions (see src/pipeline/encode.ts)', () => {
    for (const file of files) assert.doesNotMatch(readFileSync(file, 'utf8').replace(/\/\/.*$/gm, ''), /std\.manifest/, file);
  });
});
