import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeshplaneError } from '../../core/errors.js';
import { intentSchema } from '../../pipeline/intent.js';
import { parameterOverrides, parseAppParameters, readParamVars } from './app-parameters.js';
import type { SchemaNode } from './parameter-table.js';

const schema = intentSchema() as SchemaNode;

function fails(fn: () => unknown, code: string, match: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof MeshplaneError, String(e));
    assert.equal(e.code, code);
    assert.match(`${e.message} ${e.hint ?? ''}`, match);
    return true;
  });
}

describe('parseAppParameters (ARGOCD_APP_PARAMETERS)', () => {
  it('reads what an Application sets, keeping only the given value fields', () => {
    const text = '[{"name":"istio.revisions","array":["asm-1-28"]},{"name":"monitoring.prometheus","string":"azure-managed"},{"name":"tags","map":{"a":"asm-1-28"}}]';
    assert.deepEqual(parseAppParameters(text), [
      { name: 'istio.revisions', array: ['asm-1-28'] },
      { name: 'monitoring.prometheus', string: 'azure-managed' },
      { name: 'tags', map: { a: 'asm-1-28' } },
    ]);
  });
  it('null (Go marshals an unset list so) and [] mean no parameters', () => {
    assert.deepEqual(parseAppParameters('null'), []);
    assert.deepEqual(parseAppParameters('[]'), []);
  });
  const bad: Array<[string, string, RegExp]> = [
    ['invalid JSON', '[{"name":', /ARGOCD_APP_PARAMETERS is not valid JSON/],
    ['not an array', '{"name":"x"}', /must be a JSON array/],
    ['an entry without a name', '[{"string":"x"}]', /\[0\] has no "name"/],
    ['an entry that is not an object', '["revisions"]', /\[0\] must be an object/],
    ['array of non-strings', '[{"name":"istio.revisions","array":[1]}]', /"array" must be a list of strings/],
    ['map of non-strings', '[{"name":"tags","map":{"a":1}}]', /"map" must be an object of strings/],
    ['string that is a number', '[{"name":"security.mtls","string":5}]', /"string" must be a string/],
    ['the same name twice', '[{"name":"security.mtls","string":"STRICT"},{"name":"security.mtls","string":"PERMISSIVE"}]', /sets parameter "security\.mtls" twice/],
  ];
  for (const [name, text, match] of bad) it(`rejects ${name}`, () => fails(() => parseAppParameters(text), 'parameter-invalid', match));
});

describe('parameterOverrides', () => {
  it('decodes every collection type into intent values at the field paths', () => {
    const env = { ARGOCD_APP_PARAMETERS: JSON.stringify([
      { name: 'istio.revisions', array: ['asm-1-28'] },
      { name: 'istio.components.ingressGateways', map: { external: 'true', Internal: 'FALSE' } },
      { name: 'controlPlane.autoscaling.minReplicas', string: '3' },
      { name: 'security.defaultDeny', string: 'true' },
      { name: 'tags', map: { canary: 'asm-1-28' } },
      { name: 'security.mtls', string: '' },
    ]) };
    const r = parameterOverrides(env, schema);
    assert.equal(r.source, 'ARGOCD_APP_PARAMETERS');
    assert.deepEqual(r.overrides.map((o) => [o.path.join('.'), o.value]), [
      ['spec.istio.revisions', ['asm-1-28']],
      ['spec.istio.components.ingressGateways', [{ mode: 'External', enabled: true }, { mode: 'Internal', enabled: false }]],
      ['spec.controlPlane.autoscaling.minReplicas', 3],
      ['spec.security.defaultDeny', true],
      ['spec.tags', { canary: 'asm-1-28' }],
      ['spec.security.mtls', undefined],
    ]);
    assert.match(r.overrides[0]?.source ?? '', /parameter "istio.revisions" \(ARGOCD_APP_PARAMETERS\)/);
  });

  it('ARGOCD_APP_PARAMETERS wins over PARAM_* (even when it is empty)', () => {
    const r = parameterOverrides({ ARGOCD_APP_PARAMETERS: 'null', PARAM_SECURITY_MTLS: 'STRICT' }, schema);
    assert.equal(r.source, 'ARGOCD_APP_PARAMETERS');
    assert.deepEqual(r.overrides, []);
  });

  it('without ARGOCD_APP_PARAMETERS reads PARAM_* strings, arrays and gateway maps', () => {
    const r = parameterOverrides({
      PARAM_SECURITY_MTLS: 'STRICT',
      PARAM_ISTIO_REVISIONS_0: 'asm-1-27', PARAM_ISTIO_REVISIONS_1: 'asm-1-28', PARAM_ISTIO_REVISIONS_3: 'ignored: not contiguous',
      PARAM_ISTIO_COMPONENTS_INGRESSGATEWAYS_EXTERNAL: 'true',
      PARAM_CLUSTER_KUBERNETESVERSION: '1.33',
    }, schema);
    assert.equal(r.source, 'PARAM_*');
    assert.deepEqual(Object.fromEntries(r.overrides.map((o) => [o.path.join('.'), o.value])), {
      'spec.istio.revisions': ['asm-1-27', 'asm-1-28'],
      'spec.istio.components.ingressGateways': [{ mode: 'External', enabled: true }],
      'spec.cluster.kubernetesVersion': '1.33',
      'spec.security.mtls': 'STRICT',
    });
    assert.match(r.overrides.find((o) => o.path.at(-1) === 'mtls')?.source ?? '', /\(PARAM_SECURITY_MTLS\)/);
  });

  it('reports PARAM_* map variables it cannot read back (keys are lossy) instead of guessing', () => {
    const { values, notices } = readParamVars({ PARAM_TAGS_PROD_STABLE: 'asm-1-27' }, schema);
    assert.deepEqual(values, []);
    assert.equal(notices.length, 1);
    assert.match(notices[0]?.message ?? '', /PARAM_TAGS_\* variables are ignored/);
  });

  it('nothing set: no overrides', () => {
    assert.deepEqual(parameterOverrides({ PATH: '/bin' }, schema), { source: 'none', overrides: [], notices: [] });
  });

  const bad: Array<[string, unknown[], RegExp]> = [
    ['an unknown name, with a suggestion', [{ name: 'revison', array: ['asm-1-28'] }], /unknown parameter "revison" \(did you mean "istio\.revisions"\?\)/],
    ['a misspelt new name', [{ name: 'istio.revison', array: ['asm-1-28'] }], /did you mean "istio\.revisions"\?/],
    ['a former name and its new name together', [{ name: 'revisions', array: ['asm-1-28'] }, { name: 'istio.revisions', array: ['asm-1-28'] }], /sets parameter "istio\.revisions" twice \(as "revisions" and as "istio\.revisions"\)/],
    ['a string for an array parameter', [{ name: 'istio.revisions', string: 'asm-1-28' }], /has no "array" value; istio\.revisions is a array parameter/],
    ['an array for a string parameter', [{ name: 'security.mtls', array: ['STRICT'] }], /has no "string" value/],
    ['a number that is not one', [{ name: 'controlPlane.autoscaling.minReplicas', string: 'two' }], /"two", not a whole number/],
    ['a boolean that is not one', [{ name: 'security.defaultDeny', string: 'yes' }], /"yes", not true or false/],
    ['an unknown gateway mode', [{ name: 'istio.components.ingressGateways', map: { Egress: 'true' } }], /gateway mode "Egress"/],
    ['a gateway mode twice (case-insensitive)', [{ name: 'istio.components.ingressGateways', map: { External: 'true', external: 'false' } }], /sets gateway mode External twice/],
  ];
  for (const [name, params, match] of bad) {
    it(`rejects ${name}, naming the parameter`, () => fails(() => parameterOverrides({ ARGOCD_APP_PARAMETERS: JSON.stringify(params) }, schema), 'parameter-invalid', match));
  }
});

describe('former parameter names (before every name became the field path)', () => {
  const table: Array<[string, string, unknown, string, unknown]> = [
    ['revisions', 'istio.revisions', { array: ['asm-1-28'] }, 'spec.istio.revisions', ['asm-1-28']],
    ['ingressGateways', 'istio.components.ingressGateways', { map: { External: 'true' } }, 'spec.istio.components.ingressGateways', [{ mode: 'External', enabled: true }]],
    ['proxyRedirectionMechanism', 'istio.components.proxyRedirectionMechanism', { string: 'CNIChaining' }, 'spec.istio.components.proxyRedirectionMechanism', 'CNIChaining'],
  ];
  for (const [old, current, value, path, decoded] of table) {
    it(`"${old}" in ARGOCD_APP_PARAMETERS still sets ${path}, with a warning naming "${current}"`, () => {
      const r = parameterOverrides({ ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: old, ...(value as object) }]) }, schema);
      assert.deepEqual(r.overrides.map((o) => [o.path.join('.'), o.value]), [[path, decoded]]);
      assert.deepEqual(r.notices.map((n) => n.level), ['warning']);
      assert.match(r.notices[0]?.message ?? '', new RegExp(`parameter "${old}" is deprecated: it is now "${current.replace(/\./g, '\\.')}"`));
    });
    it(`"${current}" gives no warning`, () => {
      const r = parameterOverrides({ ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: current, ...(value as object) }]) }, schema);
      assert.deepEqual(r.overrides.map((o) => [o.path.join('.'), o.value]), [[path, decoded]]);
      assert.deepEqual(r.notices, []);
    });
  }

  const vars: Array<[Record<string, string>, string, unknown, RegExp]> = [
    [{ PARAM_REVISIONS_0: 'asm-1-27' }, 'spec.istio.revisions', ['asm-1-27'], /PARAM_REVISIONS_\*: parameter "revisions" is deprecated: it is now "istio\.revisions"/],
    [{ PARAM_INGRESSGATEWAYS_INTERNAL: 'true' }, 'spec.istio.components.ingressGateways', [{ mode: 'Internal', enabled: true }], /PARAM_INGRESSGATEWAYS_\*: parameter "ingressGateways" is deprecated: it is now "istio\.components\.ingressGateways"/],
    [{ PARAM_PROXYREDIRECTIONMECHANISM: 'CNIChaining' }, 'spec.istio.components.proxyRedirectionMechanism', 'CNIChaining', /PARAM_PROXYREDIRECTIONMECHANISM: parameter "proxyRedirectionMechanism" is deprecated/],
  ];
  for (const [env, path, decoded, warning] of vars) {
    it(`PARAM_* under the former name (${Object.keys(env)[0]}) still sets ${path}, with a warning`, () => {
      const r = parameterOverrides(env, schema);
      assert.deepEqual(r.overrides.map((o) => [o.path.join('.'), o.value]), [[path, decoded]]);
      assert.match(r.notices.map((n) => n.message).join('\n'), warning);
    });
  }

  it('PARAM_* under the new name wins over the former name (and then no warning)', () => {
    const r = parameterOverrides({ PARAM_ISTIO_REVISIONS_0: 'asm-1-28', PARAM_REVISIONS_0: 'asm-1-27' }, schema);
    assert.deepEqual(r.overrides.map((o) => o.value), [['asm-1-28']]);
    assert.deepEqual(r.notices, []);
  });
});
