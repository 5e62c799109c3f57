import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog, revisionMinor } from './catalog.js';
import { contractFor, loadInjectionContract } from './injection-contract.js';

/**
 * What istiod's patch releases added to the injection data and functions, written down from
 * istio/istio at the tags named (the first patch that has it, and every later one read up to
 * the patch the revision renders): a contract read at the .0 tags alone misses these.
 */
const PATCH_ADDITIONS: Array<{ minor: number; part: 'sidecarData' | 'kubeGatewayData' | 'funcs'; name: string; type?: string; source: string }> = [
  { minor: 20, part: 'sidecarData', name: 'CompliancePolicy', type: 'string', source: 'pkg/kube/inject/inject.go SidecarTemplateData, 1.20.4 to 1.20.8 (not 1.20.0)' },
  { minor: 21, part: 'kubeGatewayData', name: 'CompliancePolicy', type: 'string', source: 'pilot/pkg/config/kube/gateway/deploymentcontroller.go TemplateInput, 1.21.1 to 1.21.5 (not 1.21.0)' },
  { minor: 28, part: 'funcs', name: 'omitNil', source: 'pkg/kube/inject/template.go createInjectionFuncmap, 1.28.6 to 1.28.9 (not 1.28.0)' },
  { minor: 29, part: 'funcs', name: 'omitNil', source: 'pkg/kube/inject/template.go createInjectionFuncmap, 1.29.1 to 1.29.5 (not 1.29.0)' },
];

/** Functions the rendered patch does not have yet (template.go at 1.27.9 has no omitNil). */
const NOT_YET: Array<{ minor: number; name: string }> = [
  { minor: 27, name: 'omitNil' },
];

describe('injection contract', () => {
  const contract = loadInjectionContract();
  const catalog = loadCatalog();

  it('each minor is read at the patch tag its revision renders', () => {
    for (const r of catalog.revisions) {
      const minor = revisionMinor(r.name);
      assert.equal(contractFor(contract, minor).tag, r.istio.replace(/-.*$/, ''), r.name);
    }
  });

  for (const a of PATCH_ADDITIONS) {
    it(`1.${a.minor} has ${a.name} in ${a.part} (${a.source})`, () => {
      const entry = contractFor(contract, a.minor);
      if (a.part === 'funcs') assert.ok(entry.funcs.includes(a.name));
      else assert.equal(entry[a.part][a.name], a.type);
    });
  }

  for (const n of NOT_YET) {
    it(`1.${n.minor} has no ${n.name}`, () => {
      assert.ok(!contractFor(contract, n.minor).funcs.includes(n.name));
    });
  }
});
