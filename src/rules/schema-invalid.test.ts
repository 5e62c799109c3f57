/**
 * schema-invalid on objects in memory: each schema error becomes a finding at the field it names
 * (ajv's instancePath is a JSON Pointer, so `~1` and `~0` in a key decode to `/` and `~`, RFC
 * 6901 section 4), with a message per error class, errors inside an anyOf branch folded into the
 * anyOf's own ("needs a name"), and at most three findings per object.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../core/types.js';
import { memoryContext } from '../../test/helpers/rule-context.js';
import { schemaInvalidRule } from './schema-invalid.js';

const cm = (metadata: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata }) as KubeObject;
const svc = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec }) as KubeObject;

describe('schema-invalid on objects in memory', () => {
  // [case, object, [where.file, message] of each finding]
  const cases: Array<[string, KubeObject, Array<[string, string]>]> = [
    ['a valid object', cm({ name: 'x', labels: { 'example.com/app': 'web' } }), []],
    ['a key with / and ~ (JSON Pointer escapes)', cm({ name: 'x', annotations: { 'a~b/c': 5 } }), [['x:metadata.annotations.a~b/c', 'ConfigMap does not match its schema: metadata.annotations.a~b/c: must be string']]],
    ['no name: the anyOf branches fold into one finding', cm({}), [['undefined:metadata', 'ConfigMap does not match its schema: metadata: needs a name (or generateName)']]],
    ['no metadata at all', { apiVersion: 'v1', kind: 'ConfigMap' } as KubeObject, [['undefined:', 'ConfigMap does not match its schema: (object): missing required field "metadata"']]],
    ['an enum', svc({ type: 'Nope', ports: [{ port: 80 }] }), [['web:spec.type', 'Service does not match its schema: spec.type: must be one of "ClusterIP", "NodePort", "LoadBalancer", "ExternalName"']]],
    [
      'four bad ports: the first three are reported, array indices as numbers',
      svc({ ports: [{ port: 'a' }, { port: 'b' }, { port: 'c' }, { port: 'd' }] }),
      [0, 1, 2].map((i): [string, string] => [`web:spec.ports.${i}.port`, `Service does not match its schema: spec.ports[${i}].port: must be integer`]),
    ],
  ];
  for (const [name, object, want] of cases) {
    it(name, () => {
      const got = schemaInvalidRule.check(memoryContext(30, [], [object]));
      assert.deepEqual(got.map((v) => [v.where?.file, v.message]), want);
      for (const v of got) assert.match(v.remediation, /^fix the field \(compare with the Kubernetes or Istio API reference for this kind\); kubectl apply would reject or misread it$/);
    });
  }

  it('an invalid label key is named', () => {
    const got = schemaInvalidRule.check(memoryContext(30, [], [cm({ name: 'x', labels: { 'bad key!': 'v' } })]));
    assert.ok(got.some((v) => v.message === 'ConfigMap does not match its schema: metadata.labels: key "bad key!" is not a valid label key'), got.map((v) => v.message).join('\n'));
    assert.ok(got.length <= 3);
  });
});
