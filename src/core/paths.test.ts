import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT, packagePath } from './paths.js';

describe('PACKAGE_ROOT and packagePath', () => {
  it('the root is the folder of Meshplane\'s own package.json (this file runs from dist/src/core/)', () => {
    assert.ok(path.isAbsolute(PACKAGE_ROOT));
    const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name?: string };
    assert.equal(pkg.name, 'meshplane');
  });
  const cases: Array<[string[], string]> = [
    [['catalog', 'revisions.yaml'], 'catalog/revisions.yaml'],
    [['templates'], 'templates'],
    [['schemas', 'servicemesh.v1alpha1.schema.json'], 'schemas/servicemesh.v1alpha1.schema.json'],
  ];
  for (const [parts, rel] of cases) {
    it(`${parts.join(', ')} → <root>/${rel}, which ships with the package`, () => {
      assert.equal(packagePath(...parts), path.join(PACKAGE_ROOT, rel));
      assert.ok(existsSync(packagePath(...parts)));
    });
  }
});
