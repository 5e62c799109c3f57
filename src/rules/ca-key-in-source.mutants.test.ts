/**
 * Kills the ca-key-in-source mutants a StrykerJS run left alive (`npm run mutate focus`): every
 * data field of both kinds (base64 or not), each key-file name, the first hit in key order,
 * non-string and missing maps, and the rule's own filters (source objects of apiVersion v1 only).
 * Built from objects in memory, so it runs in milliseconds for every mutant.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, LocatedObject } from '../core/types.js';
import { caKeyInSourceRule, plainPrivateKey } from './ca-key-in-source.js';
import type { RuleContext } from './types.js';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
const B64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

function located(kind: string, fields: Record<string, unknown>, opts: { apiVersion?: string; origin?: 'source' | 'rendered' } = {}): LocatedObject {
  const object = { apiVersion: opts.apiVersion ?? 'v1', kind, metadata: { name: 'ca', namespace: 'aks-istio-system' }, ...fields } as KubeObject;
  return { object, origin: { kind: opts.origin ?? 'source', file: 'secrets.yaml', line: 1, column: 1 } as LocatedObject['origin'] };
}

describe('ca-key-in-source: where a key is found', () => {
  const found: Array<[string, LocatedObject, string]> = [
    ['Secret data, base64', located('Secret', { data: { 'root.key': B64(PEM) } }), 'root.key'],
    ['Secret stringData, plain', located('Secret', { stringData: { 'root.key': PEM } }), 'root.key'],
    ['ConfigMap data, plain', located('ConfigMap', { data: { 'root.key': PEM } }), 'root.key'],
    ['ConfigMap binaryData, base64', located('ConfigMap', { binaryData: { 'root.key': B64(PEM) } }), 'root.key'],
    ['ca-key.pem without a PEM header', located('Secret', { stringData: { 'ca-key.pem': 'raw key bytes' } }), 'ca-key.pem'],
    ['key.pem without a PEM header', located('ConfigMap', { data: { 'key.pem': 'raw key bytes' } }), 'key.pem'],
    ['tls.key without a PEM header', located('Secret', { stringData: { 'tls.key': 'raw key bytes' } }), 'tls.key'],
    ['the first key in sorted order', located('Secret', { stringData: { zeta: PEM, alpha: PEM } }), 'alpha'],
    ['after a non-string value', located('ConfigMap', { data: { a: 5, b: PEM } }), 'b'],
    // GNU base64 (and `kubectl create secret --dry-run -o yaml` piped through tools that wrap)
    // writes 76-column lines: the line breaks are not part of the encoding.
    ['Secret data, base64 wrapped at 76 columns', located('Secret', { data: { 'root.key': B64(PEM).replace(/.{76}/g, '$&\n') } }), 'root.key'],
    ['the second element of a list', located('ConfigMap', { data: { list: ['plain', PEM] } }), 'list.1'],
    ['a scalar stringData (the key is the field itself)', located('Secret', { stringData: PEM }), 'stringData'],
  ];
  for (const [name, o, key] of found) {
    it(`finds ${name}`, () => {
      const hit = plainPrivateKey(o);
      assert.equal(hit?.key, key);
      assert.equal(hit?.path.slice(1).join('.') || hit?.path[0], key);
    });
  }

  const clean: Array<[string, LocatedObject]> = [
    ['a certificate only', located('Secret', { stringData: { 'root-cert.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' } })],
    ['an empty tls.key', located('Secret', { stringData: { 'tls.key': '  \n' } })],
    ['another file name without a PEM header', located('Secret', { stringData: { 'cert.pem': 'raw bytes' } })],
    ['a ConfigMap whose data is base64 of a key (ConfigMap data is not base64)', located('ConfigMap', { data: { 'root.key': B64(PEM).replace(/=+$/, '') + '!' } })],
    // Not base64 either when the character outside the alphabet is in the middle (Node's decoder
    // would skip it, but no Kubernetes client reads such a value as base64).
    ['a value with a character outside base64 in the middle', located('ConfigMap', { data: { 'root.key': `${B64(PEM).slice(0, 20)}!${B64(PEM).slice(20)}` } })],
    ['no data maps', located('Secret', { type: 'Opaque' })],
    ['a null data map', located('ConfigMap', { data: null })],
    ['non-string values only', located('ConfigMap', { data: { a: 1, b: true } })],
    ['a kind that is neither Secret nor ConfigMap', located('Pod', { data: { 'root.key': PEM }, stringData: { 'tls.key': PEM } })],
  ];
  for (const [name, o] of clean) it(`passes ${name}`, () => assert.equal(plainPrivateKey(o), undefined));
});

describe('ca-key-in-source: which objects the rule looks at', () => {
  const ctx = (objects: LocatedObject[]): RuleContext => ({ objects, locate: (o: LocatedObject) => ({ file: o.origin.file, line: o.origin.line, column: 1 }) }) as unknown as RuleContext;
  const withKey = { stringData: { 'tls.key': PEM } };

  it('flags a source Secret of apiVersion v1, once, as an error naming the key', () => {
    const v = caKeyInSourceRule.check(ctx([located('Secret', withKey)]));
    assert.equal(v.length, 1);
    assert.equal(v[0]?.ruleId, 'ca-key-in-source');
    assert.equal(v[0]?.severity, 'error');
    assert.equal(v[0]?.resource, 'core/Secret/aks-istio-system/ca');
    assert.match(v[0]?.message ?? '', /"tls\.key"/);
  });
  it('skips rendered objects and objects of another apiVersion', () => {
    assert.deepEqual(caKeyInSourceRule.check(ctx([located('Secret', withKey, { origin: 'rendered' })])), []);
    assert.deepEqual(caKeyInSourceRule.check(ctx([located('Secret', withKey, { apiVersion: 'example.com/v1' })])), []);
  });
  it('reports nothing for a source Secret without a key', () => {
    assert.deepEqual(caKeyInSourceRule.check(ctx([located('Secret', { stringData: { 'ca-cert.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' } })])), []);
  });
  it('reports every offending object, not just the first', () => {
    assert.equal(caKeyInSourceRule.check(ctx([located('Secret', withKey), located('ConfigMap', { data: { x: PEM } })])).length, 2);
  });
});
