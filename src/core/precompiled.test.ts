import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { packagePath } from './paths.js';
import { loadPrecompiled, precompiledFile, PRECOMPILED_NAMES } from './precompiled.js';

describe('precompiled validator modules', () => {
  it('the registry names exactly the modules the build writes to dist/schemas/', () => {
    const built = readdirSync(packagePath('dist', 'schemas')).filter((f) => f.endsWith('.cjs')).map((f) => f.slice(0, -'.cjs'.length)).sort();
    assert.deepEqual([...PRECOMPILED_NAMES].sort(), built);
  });
  // Each entry: what its module must export (ajv standalone code: one function, or one per definition).
  const shapes: Record<(typeof PRECOMPILED_NAMES)[number], (m: unknown) => boolean> = {
    'servicemesh.check': (m) => typeof m === 'function',
    'servicemesh.validate': (m) => typeof m === 'function',
    'kubernetes-objects.validate': (m) => typeof m === 'object' && m !== null && typeof (m as Record<string, unknown>)['object'] === 'function',
    'meshplane-lock.validate': (m) => typeof m === 'function',
  };
  for (const name of PRECOMPILED_NAMES) {
    it(`${name} loads from ${path.join('dist', 'schemas', `${name}.cjs`)} with the expected shape`, () => {
      assert.equal(precompiledFile(name), packagePath('dist', 'schemas', `${name}.cjs`));
      assert.equal(shapes[name](loadPrecompiled(name)), true);
    });
  }
  it('the intent check and the full validator agree on a valid and an invalid intent', () => {
    const check = loadPrecompiled('servicemesh.check') as (v: unknown) => boolean;
    const full = loadPrecompiled('servicemesh.validate') as (v: unknown) => boolean;
    const valid = { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'prod' }, spec: { mode: 'Disabled' } };
    const invalid = { ...valid, spec: { mode: 'Sometimes' } };
    assert.deepEqual([check(valid), full(valid)], [true, true]);
    assert.deepEqual([check(invalid), full(invalid)], [false, false]);
  });
});
