import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeshplaneError } from '../core/errors.js';
import { parseSourceFile } from './load.js';
import { findIntent, validateIntent } from './intent.js';

const valid = `apiVersion: meshplane.io/v1alpha1
kind: ServiceMesh
metadata:
  name: prod
spec:
  mode: Istio
  istio:
    revisions: [asm-1-28]
`;

function docsOf(...files: Array<[string, string]>) {
  return files.flatMap(([p, text]) => parseSourceFile({ path: p, text }));
}

function invalid(text: string): MeshplaneError {
  try {
    validateIntent(findIntent(docsOf(['mesh.yaml', text])));
  } catch (err) {
    if (err instanceof MeshplaneError) return err;
    throw err;
  }
  throw new Error('expected the intent to be invalid');
}

describe('findIntent', () => {
  it('finds the one intent among other documents', () => {
    const doc = findIntent(docsOf(['ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n'], ['mesh.yaml', valid]));
    assert.equal(doc.file, 'mesh.yaml');
  });
  it('names the files when there are two intents', () => {
    assert.throws(() => findIntent(docsOf(['a/mesh.yaml', valid], ['b/mesh.yaml', valid])), (e: unknown) => {
      assert.ok(e instanceof MeshplaneError);
      assert.equal(e.code, 'intent-ambiguous');
      assert.deepEqual(e.details.map((d) => d.where?.file), ['a/mesh.yaml', 'b/mesh.yaml']);
      return true;
    });
  });
  it('says how to create one when none exists', () => {
    assert.throws(() => findIntent(docsOf(['ns.yaml', 'a: 1\n'])), (e: unknown) => e instanceof MeshplaneError && e.code === 'intent-missing' && /mesh\.yaml/.test(e.hint ?? ''));
  });
});

describe('validateIntent', () => {
  it('accepts a valid intent', () => {
    assert.equal(validateIntent(findIntent(docsOf(['mesh.yaml', valid]))).intent.metadata.name, 'prod');
  });

  const cases: Array<{ name: string; text: string; expect: Array<{ line: number; path: string; match: RegExp }> }> = [
    {
      name: 'unknown field with a did-you-mean hint',
      text: valid.replace('  istio:\n', '  isito:\n    revisions: [asm-1-28]\n  istio:\n'),
      expect: [{ line: 7, path: 'spec.isito', match: /unknown field "isito" \(did you mean "istio"\?\)/ }],
    },
    {
      name: 'every error at once',
      text: valid.replace('mode: Istio', 'mode: Maybe').replace('[asm-1-28]', '[asm-1-28, "1.28"]'),
      expect: [
        { line: 6, path: 'spec.mode', match: /must be one of "Istio", "Disabled"/ },
        { line: 8, path: 'spec.istio.revisions[1]', match: /expected form/ },
      ],
    },
    {
      name: 'missing required block in Istio mode',
      text: 'apiVersion: meshplane.io/v1alpha1\nkind: ServiceMesh\nmetadata: {name: prod}\nspec:\n  mode: Istio\n',
      expect: [{ line: 4, path: 'spec', match: /missing required field "istio"/ }],
    },
    {
      name: 'bad Key Vault id',
      text: `${valid}    certificateAuthority:\n      plugin: {keyVaultId: not-an-id, certObjectName: a, keyObjectName: b, rootCertObjectName: c, certChainObjectName: d}\n`,
      expect: [{ line: 10, path: 'spec.istio.certificateAuthority.plugin.keyVaultId', match: /expected form/ }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const err = invalid(c.text);
      assert.equal(err.code, 'intent-invalid');
      assert.equal(err.details.length, c.expect.length, JSON.stringify(err.details));
      c.expect.forEach((e, i) => {
        const d = err.details[i]!;
        assert.equal(d.where?.file, 'mesh.yaml');
        assert.equal(d.where?.line, e.line, `${d.path}: ${d.message}`);
        assert.equal(d.path, e.path);
        assert.match(d.message, e.match);
      });
    });
  }
});

describe('precompiled intent validator', () => {
  it('reports exactly what a run-time compile reports', async () => {
    const { compileIntentValidator } = await import('./intent.js');
    const { packagePath } = await import('../core/paths.js');
    const { pathToFileURL } = await import('node:url');
    const pre = ((await import(pathToFileURL(packagePath('dist', 'schemas', 'servicemesh.validate.mjs')).href)) as { validate: (v: unknown) => boolean & { errors?: unknown } }).validate as unknown as { (v: unknown): boolean; errors?: unknown[] };
    const runtime = compileIntentValidator();
    const samples: unknown[] = [
      { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'x' }, spec: { mode: 'Istio', istio: { revisions: ['asm-1-28'] } } },
      { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'X_' }, spec: { mode: 'Nope', istio: { revisions: [], components: { egressGateways: [{ name: 'e'.repeat(60), enabled: true }] } }, tags: { default: 'asm-1-1' } } },
      { kind: 'ServiceMesh', spec: { mode: 'Istio', extra: 1 } },
    ];
    for (const s of samples) {
      assert.equal(pre(s), runtime(s));
      const strip = (errs: unknown) => (errs as Array<Record<string, unknown>> | null | undefined)?.map((e) => ({ instancePath: e.instancePath, keyword: e.keyword, params: e.params, message: e.message })) ?? null;
      assert.deepEqual(strip(pre.errors), strip(runtime.errors));
    }
  });
});
