/**
 * Tests that kill the mutants `npm run mutate secrets` found alive: the literal mask texts, the
 * fields kept as they are, Secrets missing metadata or apiVersion, removed Secrets and fields,
 * and changes that only a structural comparison can see.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/types.js';
import { isSecret, MASK, MASK_AFTER, MASK_BEFORE, maskSecretPair } from './secrets.js';

const secret = (fields: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, ...fields }) as KubeObject;

describe('secret masks', () => {
  it('are the texts a reader sees in a diff (kubectl diff style)', () => {
    assert.deepEqual([MASK, MASK_BEFORE, MASK_AFTER], ['***', '*** (before)', '*** (after)']);
  });
});

describe('isSecret', () => {
  const cases: Array<{ obj: Record<string, unknown>; want: boolean }> = [
    { obj: { apiVersion: 'v1', kind: 'Secret' }, want: true },
    { obj: { kind: 'Secret' }, want: true },
    { obj: { apiVersion: 'example.io/v1', kind: 'Secret' }, want: false },
    { obj: { apiVersion: 'v1', kind: 'ConfigMap' }, want: false },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.obj)} → ${c.want}`, () => assert.equal(isSecret(c.obj as KubeObject), c.want));
  }
});

describe('maskSecretPair: what is kept and what is masked', () => {
  const cases: Array<{ name: string; base?: KubeObject; head?: KubeObject; want: [unknown, unknown] }> = [
    {
      name: 'identity and metadata are kept',
      base: secret({ type: 'Opaque', data: { a: 'eA==' } }),
      head: secret({ type: 'Opaque', data: { a: 'eA==' } }),
      want: [secret({ type: 'Opaque', data: { a: MASK } }), secret({ type: 'Opaque', data: { a: MASK } })],
    },
    {
      name: 'a Secret without metadata',
      base: { apiVersion: 'v1', kind: 'Secret', data: { a: 'eA==' } } as KubeObject,
      head: { apiVersion: 'v1', kind: 'Secret', data: { a: 'eQ==' } } as KubeObject,
      want: [{ apiVersion: 'v1', kind: 'Secret', data: { a: MASK_BEFORE } }, { apiVersion: 'v1', kind: 'Secret', data: { a: MASK_AFTER } }],
    },
    {
      name: 'a Secret without apiVersion is still masked',
      head: { kind: 'Secret', data: { a: 'eA==' } } as unknown as KubeObject,
      want: [undefined, { kind: 'Secret', data: { a: MASK } }],
    },
    {
      name: 'a removed Secret masks per key with the plain mask',
      base: secret({ data: { a: 'eA==', b: 'eQ==' } }),
      want: [secret({ data: { a: MASK, b: MASK } }), undefined],
    },
    {
      name: 'a data map the head dropped still masks per key',
      base: secret({ data: { a: 'eA==' } }),
      head: secret({}),
      want: [secret({ data: { a: MASK } }), secret({})],
    },
    {
      name: 'a changed nested value is a change',
      base: secret({ stringData: { k: { x: 1 } } }),
      head: secret({ stringData: { k: { x: 2 } } }),
      want: [secret({ stringData: { k: MASK_BEFORE } }), secret({ stringData: { k: MASK_AFTER } })],
    },
    {
      name: 'a list that became a map with index keys is a change',
      base: secret({ stringData: { k: ['x'] } }),
      head: secret({ stringData: { k: { 0: 'x' } } }),
      want: [secret({ stringData: { k: MASK_BEFORE } }), secret({ stringData: { k: MASK_AFTER } })],
    },
    {
      name: 'a reordered list is a change',
      base: secret({ stringData: { k: ['x', 'y'] } }),
      head: secret({ stringData: { k: ['y', 'x'] } }),
      want: [secret({ stringData: { k: MASK_BEFORE } }), secret({ stringData: { k: MASK_AFTER } })],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(maskSecretPair(c.base, c.head), c.want));
  }
});
