import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseAllDocuments } from 'yaml';
import { canonicalize, emitJson, emitYaml, objectToYaml } from './emit.js';

describe('emit', () => {
  it('puts apiVersion, kind, metadata first and sorts the rest', () => {
    const out = objectToYaml({ spec: { b: 1, a: 2 }, metadata: { name: 'x' }, kind: 'K', apiVersion: 'v1', data: {} });
    assert.equal(out, 'apiVersion: v1\nkind: K\nmetadata:\n  name: x\ndata: {}\nspec:\n  a: 2\n  b: 1\n');
  });
  it('quotes YAML 1.1 booleans so Go parsers keep them as strings', () => {
    const out = objectToYaml({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'on', b: 'yes', c: 'true', d: '0755' } });
    const back = parse(out, { version: '1.1' }) as { data: Record<string, unknown> };
    assert.deepEqual(back.data, { a: 'on', b: 'yes', c: 'true', d: '0755' });
  });
  it('never folds long lines', () => {
    const long = 'x '.repeat(200);
    assert.equal(objectToYaml({ apiVersion: 'v1', kind: 'K', data: { long } }).split('\n').length, 5);
  });
  it('emits a stream that parses back to the same objects', () => {
    const objs = [{ apiVersion: 'v1', kind: 'A', metadata: { name: 'a' } }, { apiVersion: 'v1', kind: 'B', metadata: { name: 'b' } }];
    const docs = parseAllDocuments(emitYaml(objs)).map((d) => d.toJS());
    assert.deepEqual(docs, objs);
  });
  it('emits nothing for no objects', () => assert.equal(emitYaml([]), ''));
  it('emits JSON as a v1 List', () => {
    assert.deepEqual(JSON.parse(emitJson([{ apiVersion: 'v1', kind: 'A' }])), { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'A' }] });
  });
  it('drops undefined values', () => assert.deepEqual(canonicalize({ apiVersion: 'v1', kind: 'A', spec: { x: undefined, y: 1 } }), { apiVersion: 'v1', kind: 'A', spec: { y: 1 } }));
});
