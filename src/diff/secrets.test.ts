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

describe('maskSecretPair with oddly shaped payloads', () => {
  const SECRET_TEXT = 'hunter2-private';
  const shapes: Array<{ name: string; fields: Partial<KubeObject> }> = [
    { name: 'a scalar stringData', fields: { stringData: SECRET_TEXT } },
    { name: 'a scalar data', fields: { data: Buffer.from(SECRET_TEXT).toString('base64') } },
    { name: 'a list stringData', fields: { stringData: [SECRET_TEXT] } as Partial<KubeObject> },
    { name: 'a nested map value', fields: { stringData: { a: { b: [SECRET_TEXT] } } } },
    { name: 'a field the API does not define', fields: { dat: { a: SECRET_TEXT } } as Partial<KubeObject> },
    { name: 'a numeric value', fields: { stringData: { n: 4242424242 } } as Partial<KubeObject> },
  ];
  for (const c of shapes) {
    it(`masks ${c.name} on an added, a removed and a changed Secret`, () => {
      const plain = (o: KubeObject | undefined): string => JSON.stringify(o ?? null);
      const s = secret(c.fields);
      const other = secret({ stringData: { x: 'y' } });
      for (const [b, h] of [[undefined, s], [s, undefined], [other, s], [s, other]] as Array<[KubeObject | undefined, KubeObject | undefined]>) {
        const [mb, mh] = maskSecretPair(b, h);
        for (const out of [mb, mh]) {
          assert.ok(!plain(out).includes('hunter2') && !plain(out).includes('aHVudGVy') && !plain(out).includes('4242424242'), plain(out));
        }
      }
    });
  }

  it('keeps type and immutable, and shows an equal nested value as one mask', () => {
    const a = secret({ type: 'Opaque', immutable: true, stringData: { k: { x: 1, y: 2 } } } as Partial<KubeObject>);
    const b = secret({ type: 'Opaque', immutable: true, stringData: { k: { y: 2, x: 1 } } } as Partial<KubeObject>);
    const [ma, mb] = maskSecretPair(a, b);
    assert.deepEqual([ma?.stringData, mb?.stringData], [{ k: MASK }, { k: MASK }]);
    assert.deepEqual([ma?.type, ma?.immutable], ['Opaque', true]);
  });

  it('shows a map that became a scalar as a change', () => {
    const [mb, mh] = maskSecretPair(secret({ stringData: { k: 'v' } }), secret({ stringData: 'v' } as Partial<KubeObject>));
    assert.deepEqual([mb?.stringData, mh?.stringData], [MASK_BEFORE, MASK_AFTER]);
  });
});
