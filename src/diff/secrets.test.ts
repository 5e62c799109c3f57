import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/types.js';
import { isSecret, MASK, MASK_AFTER, MASK_BEFORE, maskSecretPair } from './secrets.js';

const secret = (fields: Partial<KubeObject>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, ...fields });

describe('maskSecretPair', () => {
  const cases: Array<{ name: string; base?: KubeObject; head?: KubeObject; want: [unknown, unknown] }> = [
    { name: 'same value → one mask', base: secret({ data: { a: 'eA==' } }), head: secret({ data: { a: 'eA==' } }), want: [{ a: MASK }, { a: MASK }] },
    { name: 'changed value → before/after', base: secret({ data: { a: 'eA==' } }), head: secret({ data: { a: 'eQ==' } }), want: [{ a: MASK_BEFORE }, { a: MASK_AFTER }] },
    { name: 'added key → after only', base: secret({ data: {} }), head: secret({ data: { a: 'eA==' } }), want: [{}, { a: MASK_AFTER }] },
    { name: 'added Secret → plain mask', head: secret({ data: { a: 'eA==' } }), want: [undefined, { a: MASK }] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const before = structuredClone([c.base, c.head]);
      const [b, h] = maskSecretPair(c.base, c.head);
      assert.deepEqual([b?.data, h?.data], c.want);
      assert.deepEqual([c.base, c.head], before, 'the inputs keep their values');
    });
  }

  it('masks stringData and the last-applied annotation, and leaves other kinds alone', () => {
    const s = secret({ stringData: { p: 'plain' }, metadata: { name: 's', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"stringData":{"p":"plain"}}', other: 'kept' } } });
    const [, h] = maskSecretPair(undefined, s);
    assert.ok(!JSON.stringify(h).includes('plain'));
    assert.equal(h?.metadata?.annotations?.other, 'kept');
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', data: { p: 'plain' } };
    assert.equal(maskSecretPair(cm, cm)[0], cm);
  });

  it('knows a core Secret from a Secret kind of another group', () => {
    assert.equal(isSecret(secret({})), true);
    assert.equal(isSecret({ apiVersion: 'example.io/v1', kind: 'Secret' }), false);
  });
});
