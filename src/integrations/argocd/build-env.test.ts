import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeshplaneError } from '../../core/errors.js';
import { provenanceLine, readEnvOptions } from './build-env.js';
import { readArgoInputs } from './inputs.js';

describe('readEnvOptions (ARGOCD_ENV_MESHPLANE_*)', () => {
  it('reads the clock and verbosity', () => {
    const o = readEnvOptions({ ARGOCD_ENV_MESHPLANE_NOW: '2027-01-31', ARGOCD_ENV_MESHPLANE_VERBOSE: 'true' });
    assert.equal(o.now?.toISOString(), '2027-01-31T00:00:00.000Z');
    assert.equal(o.verbose, true);
  });
  it('defaults: no clock, quiet', () => {
    assert.deepEqual(readEnvOptions({}), { verbose: false });
    assert.deepEqual(readEnvOptions({ ARGOCD_ENV_MESHPLANE_NOW: '', ARGOCD_ENV_MESHPLANE_VERBOSE: '' }), { verbose: false });
  });
  it('ignores ARGOCD_ENV_* names of other tools', () => {
    assert.deepEqual(readEnvOptions({ ARGOCD_ENV_HELM_ARGS: '--debug' }), { verbose: false });
  });
  const bad: Array<[string, Record<string, string>, RegExp]> = [
    ['a mistyped option, with a suggestion', { ARGOCD_ENV_MESHPLANE_NWO: '2027-01-01' }, /unknown Argo CD plugin env MESHPLANE_NWO .*did you mean MESHPLANE_NOW\?/],
    ['an option Meshplane does not have', { ARGOCD_ENV_MESHPLANE_FAIL_ON_WARN: 'true' }, /unknown Argo CD plugin env MESHPLANE_FAIL_ON_WARN/],
    ['a date that does not exist', { ARGOCD_ENV_MESHPLANE_NOW: '2027-02-30' }, /MESHPLANE_NOW is "2027-02-30", not a date/],
    ['a verbosity that is not a boolean', { ARGOCD_ENV_MESHPLANE_VERBOSE: 'loud' }, /not true or false/],
  ];
  for (const [name, env, match] of bad) {
    it(`rejects ${name}`, () => assert.throws(() => readEnvOptions(env), (e: unknown) => e instanceof MeshplaneError && e.code === 'usage' && match.test(e.message)));
  }
});

describe('provenanceLine', () => {
  it('names the app, namespace, short revision, path and cluster version', () => {
    const line = provenanceLine({ ARGOCD_APP_NAME: 'mesh', ARGOCD_APP_NAMESPACE: 'aks-istio-system', ARGOCD_APP_REVISION: 'f913b6cbf58aa5ae5ca1f8a2b149477aebcbd9d8', ARGOCD_APP_REVISION_SHORT: 'f913b6c', ARGOCD_APP_SOURCE_PATH: 'clusters/prod', KUBE_VERSION: '1.32.3' });
    assert.equal(line, 'info: rendering Argo CD application "mesh", destination namespace aks-istio-system, revision f913b6c, path clusters/prod, KUBE_VERSION 1.32.3');
  });
  it('is undefined outside Argo CD', () => assert.equal(provenanceLine({ KUBE_VERSION: '1.32' }), undefined));
});

describe('readArgoInputs', () => {
  it('combines parameters, options and provenance', () => {
    const r = readArgoInputs({ ARGOCD_APP_NAME: 'mesh', ARGOCD_APP_PARAMETERS: '[{"name":"security.mtls","string":"STRICT"}]', ARGOCD_ENV_MESHPLANE_NOW: '2027-01-01' });
    assert.equal(r.overrides.length, 1);
    assert.equal(r.parameterSource, 'ARGOCD_APP_PARAMETERS');
    assert.equal(r.now?.toISOString(), '2027-01-01T00:00:00.000Z');
    assert.equal(r.provenance, 'info: rendering Argo CD application "mesh"\ninfo: parameters from ARGOCD_APP_PARAMETERS override mesh.yaml: security.mtls');
  });
  it('outside Argo CD: nothing', () => {
    assert.deepEqual(readArgoInputs({ HOME: '/tmp' }), { overrides: [], parameterSource: 'none', verbose: false, notices: [] });
  });
});
