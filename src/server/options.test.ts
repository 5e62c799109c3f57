import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeshplaneError } from '../core/errors.js';
import { DEFAULT_LIMITS, serverOptions } from './limits.js';
import { keyPart, validateOptions } from './options.js';

describe('validateOptions', () => {
  const bad: Array<{ name: string; o: Parameters<typeof validateOptions>[1]; code: string }> = [
    { name: 'a NUL now', o: { now: '\u0000' }, code: 'usage' },
    { name: 'an empty now', o: { now: '' }, code: 'usage' },
    { name: 'a date with a time', o: { now: '2026-01-01T00:00:00Z' }, code: 'usage' },
    { name: 'an impossible date', o: { now: '2026-02-30' }, code: 'usage' },
    { name: 'a NUL kubeVersion', o: { kubeVersion: '\u0000' }, code: 'kube-version-invalid' },
    { name: 'a 2.x kubeVersion', o: { kubeVersion: '2.0' }, code: 'kube-version-invalid' },
    { name: 'an empty labelRevision', o: { labelRevision: '' }, code: 'usage' },
  ];
  for (const c of bad) {
    it(`refuses ${c.name}`, () => {
      assert.throws(() => validateOptions('generate', c.o), (e: unknown) => e instanceof MeshplaneError && e.code === c.code);
    });
  }
  it('accepts valid and absent options', () => {
    validateOptions('generate', {});
    validateOptions('generate', { now: '2026-06-01', kubeVersion: 'v1.32.3', labelRevision: 'prod' });
  });
});

describe('keyPart', () => {
  it('tells absence from every value, the old NUL stand-in included', () => {
    const parts = [keyPart(undefined), keyPart('\u0000'), keyPart(''), keyPart('-'), keyPart(false), keyPart('false')];
    assert.equal(new Set(parts.slice(0, 4)).size, 4);
    assert.equal(parts[4], parts[5], 'a boolean keys as its text');
  });
});

describe('serverOptions', () => {
  it('checks for timed-out requests at least every tenth of the header timeout (Node checks every 30 s by default)', () => {
    const o = serverOptions(DEFAULT_LIMITS);
    assert.equal(o.headersTimeout, DEFAULT_LIMITS.headersTimeoutMs);
    assert.equal(o.requestTimeout, DEFAULT_LIMITS.requestTimeoutMs);
    assert.ok((o.connectionsCheckingInterval ?? 30_000) <= DEFAULT_LIMITS.headersTimeoutMs / 10);
    assert.equal(serverOptions({ ...DEFAULT_LIMITS, headersTimeoutMs: 5 }).connectionsCheckingInterval, 1);
  });
});
