import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeshplaneError } from '../core/errors.js';
import { parseSourceFile } from './load.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'yaml';
import { EXAMPLES_DIR, exampleNames } from '../../test/helpers/examples.js';
import { packagePath } from '../core/paths.js';
import { compileIntentValidator, findIntent, validateIntent } from './intent.js';

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
  // Hostile values: each error names its field and line, quotes a long value clipped, and gives
  // the fix of that field (a tag's revision is not told the rule of tag names).
  const tagged = (tags: string) => `${valid}  tags:\n${tags}`;
  const hostile: Array<{ name: string; text: string; expect: Array<{ line: number; path: string; match: RegExp; not?: RegExp; hint?: RegExp | null }> }> = [
    {
      name: 'a tag value of the wrong form gets the revision form, not the tag-name rule',
      text: tagged('    prod: asm-1-28x\n'),
      expect: [{ line: 10, path: 'spec.tags.prod', match: /"asm-1-28x" does not have the expected form/, hint: null }],
    },
    {
      name: 'a 100,000-character revision: over 63, quoted clipped with its length',
      text: valid.replace('[asm-1-28]', `[asm-1-${'9'.repeat(100_000)}x]`),
      expect: [
        { line: 8, path: 'spec.istio.revisions[0]', match: /must NOT have more than 63 characters/, hint: /revisions look like/ },
        { line: 8, path: 'spec.istio.revisions[0]', match: /^"asm-1-9{250}"… \(100007 characters\) does not have the expected form/, not: /9{251}/, hint: /revisions look like/ },
      ],
    },
    {
      name: 'more than 500 tags: one error at the map, with the bound and the fix',
      text: tagged(Array.from({ length: 501 }, (_, i) => `    t${i}: asm-1-28\n`).join('')),
      expect: [{ line: 9, path: 'spec.tags', match: /must NOT have more than 500 properties/, hint: /at most 500 revision tags/ }],
    },
    {
      name: 'more than 16 revisions: one error at the list, not one per entry',
      text: valid.replace('[asm-1-28]', `[${Array.from({ length: 17 }, (_, i) => `asm-1-${i}`).join(', ')}]`),
      expect: [{ line: 8, path: 'spec.istio.revisions', match: /must NOT have more than 16 items/, hint: /one revision, or two/ }],
    },
    {
      name: 'more than 500 waves: one error at the list',
      text: `${tagged('    w: asm-1-28\n')}  upgrade:\n    waves:\n${'      - {tag: w, namespaces: [a]}\n'.repeat(501)}`,
      expect: [{ line: 12, path: 'spec.upgrade.waves', match: /must NOT have more than 500 items/, hint: /at most 500 waves/ }],
    },
    {
      name: 'a wave of more than 2000 namespaces: one error at its list',
      text: `${tagged('    w: asm-1-28\n')}  upgrade:\n    waves:\n      - tag: w\n        namespaces: [${Array.from({ length: 2001 }, (_, i) => `n${i}`).join(', ')}]\n`,
      expect: [{ line: 14, path: 'spec.upgrade.waves[0].namespaces', match: /must NOT have more than 2000 items/, hint: /namespaceSelector.*128 KiB/ }],
    },
  ];
  for (const c of hostile) {
    it(c.name, () => {
      const err = invalid(c.text);
      assert.equal(err.details.length, c.expect.length, JSON.stringify(err.details).slice(0, 2000));
      c.expect.forEach((e, i) => {
        const d = err.details[i]!;
        assert.equal(d.where?.line, e.line, `${d.path}: ${d.message.slice(0, 200)}`);
        assert.equal(d.path, e.path);
        assert.match(d.message, e.match);
        if (e.not) assert.doesNotMatch(d.message, e.not);
        if (e.hint === null) assert.equal(d.hint, undefined);
        else if (e.hint) assert.match(d.hint ?? '', e.hint);
      });
    });
  }

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

describe('precompiled intent validators', () => {
  type Validator = { (v: unknown): boolean; errors?: unknown[] | null };
  const load = (name: string): Validator => createRequire(import.meta.url)(packagePath('dist', 'schemas', name)) as Validator;
  const strip = (errs: unknown) => (errs as Array<Record<string, unknown>> | null | undefined)?.map((e) => ({ instancePath: e.instancePath, keyword: e.keyword, params: e.params, message: e.message })) ?? null;

  /** Every example intent, and each with one field replaced by a wrong value or joined by an unknown one. */
  function corpus(): unknown[] {
    const out: unknown[] = [
      { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'x' }, spec: { mode: 'Istio', istio: { revisions: ['asm-1-28'] } } },
      { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'X_' }, spec: { mode: 'Nope', istio: { revisions: [], components: { egressGateways: [{ name: 'e'.repeat(60), enabled: true }] } }, tags: { default: 'asm-1-1' } } },
      { kind: 'ServiceMesh', spec: { mode: 'Istio', extra: 1 } },
      null,
      'ServiceMesh',
    ];
    const wrong: unknown[] = ['x', -1, 1.5, true, null, [], {}, ['x'], 'asm-1-1'];
    for (const name of exampleNames()) {
      const intent = parse(readFileSync(path.join(EXAMPLES_DIR, name, 'mesh.yaml'), 'utf8')) as unknown;
      out.push(intent);
      const visit = (node: unknown, replace: (v: unknown) => unknown): void => {
        for (const w of wrong) out.push(replace(w));
        if (node && typeof node === 'object') {
          out.push(replace(Array.isArray(node) ? [...node, 'extra'] : { ...node, extraField: 1 }));
          for (const [k, v] of Object.entries(node)) {
            visit(v, (w) => replace(Array.isArray(node) ? node.map((x, j) => (String(j) === k ? w : x)) : { ...node, [k]: w }));
          }
        }
      };
      visit(intent, (w) => w);
    }
    return out;
  }

  it('the full validator reports exactly what a run-time compile reports', () => {
    const pre = load('servicemesh.validate.cjs');
    const runtime = compileIntentValidator();
    for (const s of corpus()) {
      assert.equal(pre(s), runtime(s));
      assert.deepEqual(strip(pre.errors), strip(runtime.errors));
    }
  });
  it('the validity check accepts exactly what a run-time compile accepts', () => {
    const check = load('servicemesh.check.cjs');
    const runtime = compileIntentValidator();
    const samples = corpus();
    let rejected = 0;
    for (const s of samples) {
      assert.equal(check(s), runtime(s), JSON.stringify(s));
      if (!runtime(s)) rejected++;
    }
    // The corpus must exercise both answers, or agreement proves nothing.
    assert.ok(rejected > samples.length / 2 && rejected < samples.length, `${rejected} of ${samples.length} rejected`);
  });
});
