/** The mesh policy: forbidden-kind overrides and their report lines, exception dates and matching. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRef } from '../core/resource-key.js';
import type { ServiceMesh } from '../intent/types.js';
import { admissionExceptions, endOfDay, exceptionStates, forbiddenPolicy, refMatches } from './policy.js';

const DEFAULTS = [{ group: 'networking.istio.io', kind: 'EnvoyFilter' }, { group: 'telemetry.istio.io', kind: 'Telemetry' }];

function intent(policy: ServiceMesh['spec']['policy']): ServiceMesh {
  return { apiVersion: 'meshplane.io/v1alpha1', kind: 'ServiceMesh', metadata: { name: 'm' }, spec: { mode: 'Istio', policy } };
}

describe('forbiddenPolicy', () => {
  const cases: Array<{ name: string; listed?: string[]; kinds: string[]; changes: string[] }> = [
    { name: 'default when unset', kinds: ['networking.istio.io/EnvoyFilter', 'telemetry.istio.io/Telemetry'], changes: [] },
    { name: 'a dropped kind is a change', listed: ['networking.istio.io/EnvoyFilter'], kinds: ['networking.istio.io/EnvoyFilter'], changes: ['removed telemetry.istio.io/Telemetry'] },
    { name: 'an added kind is a change', listed: ['networking.istio.io/EnvoyFilter', 'telemetry.istio.io/Telemetry', 'networking.istio.io/Sidecar'], kinds: ['networking.istio.io/EnvoyFilter', 'telemetry.istio.io/Telemetry', 'networking.istio.io/Sidecar'], changes: ['added networking.istio.io/Sidecar'] },
    { name: 'an empty list drops everything', listed: [], kinds: [], changes: ['removed networking.istio.io/EnvoyFilter', 'removed telemetry.istio.io/Telemetry'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = forbiddenPolicy(intent(c.listed ? { forbiddenKinds: c.listed } : {}), DEFAULTS);
      assert.deepEqual(p.kinds.map((k) => `${k.group}/${k.kind}`), c.kinds);
      assert.deepEqual(p.changes.map((x) => `${x.change} ${x.kind}`), c.changes);
    });
  }
});

describe('endOfDay', () => {
  it('is the next midnight UTC of a real date, undefined otherwise', () => {
    assert.equal(endOfDay('2027-03-31')?.toISOString(), '2027-04-01T00:00:00.000Z');
    assert.equal(endOfDay('2028-02-29')?.toISOString(), '2028-03-01T00:00:00.000Z');
    for (const bad of ['2027-02-29', '2027-13-01', '2027-3-1', 'tomorrow']) assert.equal(endOfDay(bad), undefined, bad);
  });
});

describe('exceptionStates', () => {
  it('waives through the whole expiry day and no longer after it', () => {
    const i = intent({ exceptions: [{ rule: 'forbidden-kind', resource: 'networking.istio.io/EnvoyFilter/shop/x', reason: 'r', expires: '2027-03-31' }] });
    assert.equal(exceptionStates(i, new Date('2027-03-31T23:59:59Z'))[0]?.expired, false);
    assert.equal(exceptionStates(i, new Date('2027-04-01T00:00:00Z'))[0]?.expired, true);
  });
});

describe('refMatches', () => {
  const cases: Array<[string, string, boolean]> = [
    ['networking.istio.io/EnvoyFilter/shop/lua', 'networking.istio.io/EnvoyFilter/shop/lua', true],
    ['networking.istio.io/EnvoyFilter/shop/*', 'networking.istio.io/EnvoyFilter/shop/lua', true],
    ['networking.istio.io/EnvoyFilter/shop/*', 'networking.istio.io/EnvoyFilter/other/lua', false],
    ['networking.istio.io/EnvoyFilter/shop/lua', 'networking.istio.io/WasmPlugin/shop/lua', false],
    ['core/Namespace/shop', 'core/Namespace/_cluster/shop', true],
    ['meshplane.io/ServiceMesh/prod', 'meshplane.io/ServiceMesh/_cluster/prod', true],
    ['core/Secret/ns/*x', 'core/Secret/ns/ax', false],
  ];
  for (const [pattern, resource, expected] of cases) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${resource}`, () => {
      assert.equal(refMatches(parseRef(pattern)!, resource), expected);
    });
  }
});

describe('admissionExceptions', () => {
  it('keeps only unexpired, well-formed exceptions of the admission rules, cluster scope as an empty namespace', () => {
    const i = intent({
      exceptions: [
        { rule: 'forbidden-kind', resource: 'networking.istio.io/EnvoyFilter/shop/*', reason: 'r', expires: '2030-01-01' },
        { rule: 'gateway-api-unsupported', resource: 'gateway.networking.k8s.io/GatewayClass/istio', reason: 'r', expires: '2030-01-01' },
        { rule: 'forbidden-kind', resource: 'networking.istio.io/EnvoyFilter/shop/old', reason: 'r', expires: '2020-01-01' },
        { rule: 'schema-invalid', resource: 'core/Service/shop/web', reason: 'r', expires: '2030-01-01' },
        { rule: 'forbidden-kind', resource: "networking.istio.io/EnvoyFilter/shop/it's", reason: 'r', expires: '2030-01-01' },
      ],
    });
    const out = admissionExceptions(exceptionStates(i, new Date('2026-06-15T00:00:00Z')), ['forbidden-kind', 'gateway-api-unsupported']);
    assert.deepEqual(out, [
      { rule: 'forbidden-kind', group: 'networking.istio.io', kind: 'EnvoyFilter', namespace: 'shop', name: '*' },
      { rule: 'gateway-api-unsupported', group: 'gateway.networking.k8s.io', kind: 'GatewayClass', namespace: '', name: 'istio' },
    ]);
  });
});

describe('policyInput (resolve)', () => {
  it('renders the admission policy from Kubernetes 1.30 on, and warns below', async () => {
    const { policyInput } = await import('./resolve.js');
    const notices: Array<{ level: string; message: string }> = [];
    const below = policyInput(intent({}), { now: new Date('2026-06-15T00:00:00Z') }, 29, notices as never);
    assert.equal(below.admissionPolicy, false);
    assert.match(notices[0]?.message ?? '', /ValidatingAdmissionPolicy is left out: Kubernetes 1\.29/);
    const from = policyInput(intent({}), { now: new Date('2026-06-15T00:00:00Z') }, 30, []);
    assert.equal(from.admissionPolicy, true);
    assert.ok(from.forbiddenKinds.some((k) => k.kind === 'EnvoyFilter'));
  });

  it('renders nothing and warns about nothing for a Disabled mesh', async () => {
    const { policyInput } = await import('./resolve.js');
    const notices: unknown[] = [];
    const disabled = { ...intent({}), spec: { mode: 'Disabled' as const } };
    assert.equal(policyInput(disabled, {}, 29, notices as never).admissionPolicy, false);
    assert.deepEqual(notices, []);
  });
});
