import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OutputCache, OUTPUT_LIMITS, isCachedOutput, isRenderedPart, type CachedOutput, type OutputKeyParts } from './output-cache.js';
import { openDiskCache } from './disk-cache.js';

function scratchCache(): { outputs: OutputCache; other: OutputCache; disk: NonNullable<ReturnType<typeof openDiskCache>> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mp-output-cache-'));
  chmodSync(dir, 0o700);
  const disk = openDiskCache(path.join(dir, 'cache'));
  assert.ok(disk, 'a private scratch folder is usable');
  return { outputs: new OutputCache(disk, 'a'.repeat(64)), other: new OutputCache(disk, 'b'.repeat(64)), disk };
}

const base: OutputKeyParts = { evaluationKey: 'e'.repeat(64), meshName: 'prod', format: 'yaml', files: [{ path: 'mesh.yaml', text: 'kind: ServiceMesh\n' }, { path: 'app.yaml', text: 'kind: ConfigMap\n' }] };

const stored: CachedOutput = {
  rendered: [{ object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'aks-istio-system' } }, origin: { kind: 'rendered', file: 'templates/main.jsonnet', line: 1, column: 1 } }],
  output: '---\napiVersion: v1\nkind: Namespace\n',
};

describe('OutputCache.key', () => {
  // Each change is one thing the printed manifests depend on: every one must give another key.
  const changes: Array<[string, OutputKeyParts]> = [
    ['another evaluation', { ...base, evaluationKey: 'f'.repeat(64) }],
    ['another mesh name (decorate labels every object with it)', { ...base, meshName: 'staging' }],
    ['another output format', { ...base, format: 'json' }],
    ['one file changed by one byte', { ...base, files: [base.files[0]!, { path: 'app.yaml', text: 'kind: ConfigMap \n' }] }],
    ['one file renamed', { ...base, files: [base.files[0]!, { path: 'app2.yaml', text: 'kind: ConfigMap\n' }] }],
    ['one file more', { ...base, files: [...base.files, { path: 'z.yaml', text: '' }] }],
    ['one file fewer', { ...base, files: [base.files[0]!] }],
    ['text moved across a file boundary', { ...base, files: [{ path: 'mesh.yaml', text: 'kind: ServiceMesh\nkind' }, { path: 'app.yaml', text: ': ConfigMap\n' }] }],
    ['path and text swapped', { ...base, files: [{ path: 'kind: ServiceMesh\n', text: 'mesh.yaml' }, base.files[1]!] }],
  ];
  const { outputs, other } = scratchCache();
  for (const [name, parts] of changes) it(`${name} → another key`, () => assert.notEqual(outputs.key(parts), outputs.key(base)));
  it('the same parts → the same key (a 64-digit hex name the disk cache accepts)', () => {
    assert.equal(outputs.key({ ...base, files: base.files.map((f) => ({ ...f })) }), outputs.key(base));
    assert.match(outputs.key(base), /^[0-9a-f]{64}$/);
  });
  it('another build of the code → another key', () => assert.notEqual(other.key(base), outputs.key(base)));
});

describe('OutputCache.get / set', () => {
  it('returns what was stored, and nothing for another key', () => {
    const { outputs } = scratchCache();
    const key = outputs.key(base);
    assert.equal(outputs.get(key), undefined);
    outputs.set(key, stored);
    assert.deepEqual(outputs.get(key), stored);
    assert.equal(outputs.get(outputs.key({ ...base, format: 'json' })), undefined);
  });

  it('does not store an output over its per-entry bound (a huge source must not fill the folder)', () => {
    const { disk } = scratchCache();
    const small = new OutputCache(disk, 'a'.repeat(64), 1024);
    const key = small.key(base);
    assert.equal(small.set(key, { ...stored, output: 'x'.repeat(2048) }), false);
    assert.equal(small.get(key), undefined);
    assert.equal(small.set(key, stored), true);
    assert.deepEqual(small.get(key), stored);
  });

  // Entries that passed the disk cache's checksum but are not a stored output: each must read as "no entry".
  const bad: Array<[string, string]> = [
    ['not JSON', 'rendered'],
    ['an array', '[]'],
    ['output not a string', JSON.stringify({ ...stored, output: 1 })],
    ['rendered missing', JSON.stringify({ output: '' })],
    ['an object without origin', JSON.stringify({ ...stored, rendered: [{ object: {} }] })],
    ['a source object among the rendered ones', JSON.stringify({ ...stored, rendered: [{ ...stored.rendered[0], origin: { kind: 'source', file: 'a.yaml', line: 1, column: 1 } }] })],
    ['an object that is an array', JSON.stringify({ ...stored, rendered: [{ object: [], origin: { kind: 'rendered' } }] })],
    ['null in rendered', JSON.stringify({ ...stored, rendered: [null] })],
  ];
  for (const [name, payload] of bad) {
    it(`${name} → no entry`, () => {
      const { outputs, disk } = scratchCache();
      const key = outputs.key(base);
      disk.set(key, payload);
      assert.equal(outputs.get(key), undefined);
    });
  }
});

describe('OUTPUT_LIMITS', () => {
  it('an output of the largest example fits several times over, and the bound is below the folder budget', () => {
    assert.ok(OUTPUT_LIMITS.maxEntryBytes >= 4 * 400 * 1024);
    assert.ok(OUTPUT_LIMITS.maxEntryBytes * 8 <= OUTPUT_LIMITS.maxBytes);
  });
});

describe('isCachedOutput', () => {
  it('accepts an output with no rendered objects (a mesh whose templates render nothing still has one)', () => assert.equal(isCachedOutput({ rendered: [], output: '' }), true));
  it('refuses null and strings', () => {
    assert.equal(isCachedOutput(null), false);
    assert.equal(isCachedOutput('x'), false);
  });
});

describe('OutputCache.partKey', () => {
  // The rendered part depends on the evaluation, the mesh name, the format and the code, never on the source's own files.
  const { outputs, other } = scratchCache();
  const changes: Array<[string, OutputKeyParts]> = [
    ['another evaluation', { ...base, evaluationKey: 'f'.repeat(64) }],
    ['another mesh name', { ...base, meshName: 'staging' }],
    ['another output format', { ...base, format: 'json' }],
  ];
  for (const [name, parts] of changes) it(`${name} → another key`, () => assert.notEqual(outputs.partKey(parts), outputs.partKey(base)));
  it('another build of the code → another key', () => assert.notEqual(other.partKey(base), outputs.partKey(base)));
  it('other source files → the same key; never the key of a whole output', () => {
    const withOtherFiles: OutputKeyParts = { ...base, files: [] };
    assert.equal(outputs.partKey(withOtherFiles), outputs.partKey(base));
    assert.notEqual(outputs.partKey(base), outputs.key({ ...base, files: [] }));
    assert.match(outputs.partKey(base), /^[0-9a-f]{64}$/);
  });
  it('stores and returns a part', () => {
    const { outputs: fresh } = scratchCache();
    const part = { rendered: stored.rendered, yaml: ['apiVersion: v1\nkind: Namespace\n'] };
    assert.equal(fresh.setPart(fresh.partKey(base), part), true);
    assert.deepEqual(fresh.getPart(fresh.partKey(base)), part);
  });
});

describe('isRenderedPart', () => {
  const rendered = stored.rendered;
  const cases: Array<[string, unknown, boolean]> = [
    ['objects and one document each', { rendered, yaml: ['a: 1\n'] }, true],
    ['objects without documents (the JSON format)', { rendered }, true],
    ['no objects at all', { rendered: [], yaml: [] }, true],
    ['a document too few', { rendered, yaml: [] }, false],
    ['a document that is not text', { rendered, yaml: [1] }, false],
    ['documents that are not a list', { rendered, yaml: 'a: 1\n' }, false],
    ['a source object among them', { rendered: [{ ...rendered[0], origin: { kind: 'source', file: 'a.yaml', line: 1, column: 1 } }] }, false],
    ['an object that is a list', { rendered: [{ object: [], origin: rendered[0]?.origin }] }, false],
    ['null', null, false],
    ['a string', 'rendered', false],
  ];
  for (const [name, value, want] of cases) it(`${name} → ${want}`, () => assert.equal(isRenderedPart(value), want));
});
