import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeshplaneError } from '../core/errors.js';
import { parseSourceFile } from '../pipeline/load.js';
import { createRequire } from 'node:module';
import { packagePath } from '../core/paths.js';
import { compileLockValidator, findLock, formatLock, lockDigest, sealLock, type LockBody } from './lock-file.js';

const body: LockBody = {
  apiVersion: 'meshplane.io/v1alpha1',
  kind: 'MeshplaneLock',
  revisions: {
    'asm-1-30': { istio: '1.30.2-2', behaviour: { revisionTagService: true, nativeSidecarMinKubernetes: '1.33' } },
    'asm-1-29': { istio: '1.29.5-2', behaviour: {} },
  },
};

const parse = (text: string) => findLock(parseSourceFile({ path: 'meshplane.lock.yaml', text }));

describe('lock file', () => {
  it('round-trips: format → parse → format is byte-identical', () => {
    const text = formatLock(sealLock(body));
    const found = parse(text);
    assert.ok(found);
    assert.equal(formatLock(found.lock), text);
    assert.ok(text.indexOf('asm-1-29:') < text.indexOf('asm-1-30:'), 'revisions by minor');
  });
  it('the digest ignores key order and changes with any pin', () => {
    const reordered: LockBody = { ...body, revisions: { 'asm-1-29': body.revisions['asm-1-29']!, 'asm-1-30': { behaviour: { nativeSidecarMinKubernetes: '1.33', revisionTagService: true }, istio: '1.30.2-2' } } };
    assert.equal(lockDigest(reordered), lockDigest(body));
    const bumped: LockBody = { ...body, revisions: { ...body.revisions, 'asm-1-29': { istio: '1.29.6-1', behaviour: {} } } };
    assert.notEqual(lockDigest(bumped), lockDigest(body));
    assert.match(lockDigest(body), /^sha256:[0-9a-f]{64}$/);
  });
  const invalid: Array<[string, (t: string) => string, RegExp]> = [
    ['a patch that is not a version', (t) => t.replace('"1.29.5-2"', '"latest"'), /^meshplane\.lock\.yaml:9:/],
    ['an unknown field', (t) => t.replace('    behaviour: {}', '    behaviour: {}\n    image: x'), /image/],
    ['a digest of the wrong shape', (t) => t.replace(/digest: .*/, 'digest: md5:1'), /digest/],
    ['a revision name that is not asm-1-N', (t) => t.replace('asm-1-29:', 'canary:'), /revisions/],
  ];
  for (const [name, edit, want] of invalid) {
    it(`refuses ${name}, naming the line`, () => {
      const text = edit(formatLock(sealLock(body)));
      assert.throws(() => parse(text), (err: unknown) => {
        assert.ok(err instanceof MeshplaneError);
        assert.equal(err.code, 'lock-invalid');
        const d = err.details.map((x) => `${x.where?.file}:${x.where?.line}: ${x.path} ${x.message}`).join('\n');
        assert.match(d, want);
        return true;
      });
    });
  }
  it('the precompiled validator agrees with a run-time compile', () => {
    const pre = createRequire(import.meta.url)(packagePath('dist', 'schemas', 'meshplane-lock.validate.cjs')) as (v: unknown) => boolean;
    const live = compileLockValidator();
    const good = sealLock(body);
    const samples: unknown[] = [good, { ...good, digest: 'x' }, { ...good, extra: 1 }, { ...good, revisions: { 'asm-1-30': { istio: 'latest', behaviour: {} } } }, { ...good, revisions: { canary: { istio: '1.30.2-2', behaviour: {} } } }, null];
    for (const s of samples) assert.equal(pre(s), live(s), JSON.stringify(s));
    assert.equal(pre(good), true);
  });
  it('refuses two locks in one source', () => {
    const text = formatLock(sealLock(body));
    assert.throws(() => parse(`${text}---\n${text}`), /2 lock documents/);
  });
});
