import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldClass, forbiddenKindId, loadGuardrailData } from './guardrails.js';

const data = loadGuardrailData();

describe('the shipped MeshConfig allowlist', () => {
  for (const table of ['meshConfig', 'proxyConfig'] as const) {
    it(`${table}: each field in one class only`, () => {
      // Why: fieldClass takes the first list that names a field, so a field the add-on moved to
      // another class but left in the old list would keep its old class without any error.
      const { supported, allowed, blockedExamples } = data.meshConfigFields[table];
      const all = [...supported, ...allowed, ...blockedExamples];
      assert.deepEqual(all.filter((f, i) => all.indexOf(f) !== i), [], `${table}: a field listed twice`);
    });
  }
  // Spot checks against the classes of learn.microsoft.com/azure/aks/istio-meshconfig
  // (azure-aks-docs fb060ab, 2026-08-21) and the AKS release notes (Azure/AKS CHANGELOG @ 8d1c890).
  const cases: Array<{ name: string; table: 'meshConfig' | 'proxyConfig'; field: string; want: ReturnType<typeof fieldClass> }> = [
    { name: 'discoverySelectors is supported', table: 'meshConfig', field: 'discoverySelectors', want: 'supported' },
    { name: 'extensionProviders is allowed', table: 'meshConfig', field: 'extensionProviders', want: 'allowed' },
    { name: 'configSources is the page\'s blocked example', table: 'meshConfig', field: 'configSources', want: 'blocked' },
    { name: 'holdApplicationUntilProxyStarts is supported', table: 'proxyConfig', field: 'holdApplicationUntilProxyStarts', want: 'supported' },
    { name: 'gatewayTopology is allowed (notes of 2025-04-27)', table: 'proxyConfig', field: 'gatewayTopology', want: 'allowed' },
    { name: 'proxyHeaders is allowed (notes of 2025-08-08)', table: 'proxyConfig', field: 'proxyHeaders', want: 'allowed' },
    { name: 'image stays blocked', table: 'proxyConfig', field: 'image', want: 'blocked' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(fieldClass(data.meshConfigFields[c.table], c.field), c.want));
});

describe('the shipped forbidden kinds', () => {
  it('keep the five kinds istio-about.md (azure-aks-docs fb060ab) still names as blocked', () => {
    const ids = data.forbiddenKinds.map(forbiddenKindId);
    for (const id of ['networking.istio.io/ProxyConfig', 'networking.istio.io/WorkloadEntry', 'networking.istio.io/WorkloadGroup', 'install.istio.io/IstioOperator', 'extensions.istio.io/WasmPlugin']) {
      assert.ok(ids.includes(id), id);
    }
  });
  // Why: the seed list keeps kinds the add-on has since relaxed (a product decision); each such
  // entry must say when, from the AKS release notes (Azure/AKS CHANGELOG @ 8d1c890).
  const relaxed: Array<[string, string[]]> = [
    ['networking.istio.io/EnvoyFilter', ['2024-07-16', '2024-08-05', '2025-10-12']],
    ['telemetry.istio.io/Telemetry', ['2024-08-05']],
  ];
  for (const [id, dates] of relaxed) {
    it(`${id} records the dates the add-on relaxed it`, () => {
      const entry = data.forbiddenKinds.find((k) => forbiddenKindId(k) === id);
      assert.ok(entry, id);
      for (const d of dates) assert.ok(entry.note?.includes(d), `${id}: the note names ${d}`);
    });
  }
});
