import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateEnv, isGenerateEnvName, planGenerate } from './generate.js';

describe('isGenerateEnvName', () => {
  const cases: Array<[string, boolean]> = [
    ['KUBE_VERSION', true],
    ['KUBE_API_VERSIONS', true],
    ['ARGOCD_APP_PARAMETERS', true],
    ['PARAM_REVISIONS_0', true],
    ['ARGOCD_ENV_MESHPLANE_NOW', true],
    ['ARGOCD_ENV_OTHER_TOOL', false],
    ['ARGOCD_APP_REVISION', false],
    ['ARGOCD_APP_NAME', false],
    ['HOME', false],
    ['MESHPLANE_TOKEN', false],
    ['PARAM_', false],
  ];
  for (const [name, read] of cases) it(`${name} → ${read}`, () => assert.equal(isGenerateEnvName(name), read));
});

describe('generateEnv', () => {
  it('keeps only what generate reads, sorted, without undefined values', () => {
    const env = { PATH: '/bin', MESHPLANE_TOKEN: 'secret', KUBE_VERSION: '1.32', ARGOCD_ENV_MESHPLANE_NOW: '2027-01-01', PARAM_X: undefined, ARGOCD_APP_REVISION: 'abc' };
    assert.deepEqual(Object.entries(generateEnv(env)), [['ARGOCD_ENV_MESHPLANE_NOW', '2027-01-01'], ['KUBE_VERSION', '1.32']]);
  });
});

describe('planGenerate', () => {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  it('--now wins over ARGOCD_ENV_MESHPLANE_NOW, which wins over the clock', () => {
    assert.equal(day(planGenerate({ ARGOCD_ENV_MESHPLANE_NOW: '2027-03-01' }, { format: 'yaml', now: '2027-01-31' }).now), '2027-01-31');
    assert.equal(day(planGenerate({ ARGOCD_ENV_MESHPLANE_NOW: '2027-03-01' }, { format: 'yaml' }).now), '2027-03-01');
    assert.equal(day(planGenerate({}, { format: 'yaml' }).now), day(new Date()));
  });
  it('refuses a --now that is not a date, and an unknown ARGOCD_ENV_MESHPLANE_ option', () => {
    assert.throws(() => planGenerate({}, { format: 'yaml', now: 'soon' }), /--now must be a date/);
    assert.throws(() => planGenerate({ ARGOCD_ENV_MESHPLANE_NOWW: 'x' }, { format: 'yaml' }), /did you mean MESHPLANE_NOW/);
  });
});
