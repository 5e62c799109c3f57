import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeshplaneError } from '../core/errors.js';
import { clockFrom, kubeApiVersions, meshplaneVersion } from './check-inputs.js';

describe('clockFrom', () => {
  it('uses the current time without --now', () => assert.equal(clockFrom('check', undefined, () => new Date(5)).getTime(), 5));
  it('reads --now as midnight UTC of that day', () => assert.equal(clockFrom('check', '2027-03-31').toISOString(), '2027-03-31T00:00:00.000Z'));
  for (const bad of ['2027-02-30', 'tomorrow', '2027-3-1']) {
    it(`rejects ${bad} as a usage error`, () => assert.throws(() => clockFrom('check', bad), (e: unknown) => e instanceof MeshplaneError && e.code === 'usage'));
  }
});

describe('kubeApiVersions', () => {
  const cases: Array<[string | undefined, string[] | undefined]> = [
    [undefined, undefined],
    ['', undefined],
    ['v1, apps/v1,,policy/v1 ', ['v1', 'apps/v1', 'policy/v1']],
  ];
  for (const [raw, want] of cases) it(JSON.stringify(raw), () => assert.deepEqual(kubeApiVersions({ KUBE_API_VERSIONS: raw }), want));
});

describe('meshplaneVersion', () => {
  it('is the package version', () => assert.match(meshplaneVersion(), /^\d+\.\d+\.\d+/));
});
