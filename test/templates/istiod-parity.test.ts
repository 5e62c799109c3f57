/**
 * istiod's mesh config defaults and Go runtime env against the istio-discovery chart at the tag
 * of each revision's minor (templates/configmap.yaml + values.yaml, templates/deployment.yaml).
 * Facts, written down from the chart:
 *   - values.yaml global.proxy.tracer is "zipkin" at 1.20.8 and 1.21.5 and "none" from 1.22.7,
 *     so the "mesh" block has defaultConfig.tracing.zipkin (address zipkin.<istio ns>:9411)
 *     only in 1.20/1.21;
 *   - values.yaml meshConfig.enablePrometheusMerge true; trustDomain "cluster.local";
 *     rootNamespace the istio namespace; defaultProviders.metrics [prometheus];
 *     discoveryAddress istiod-<rev>.<ns>.svc:15012 (every tag);
 *   - deployment.yaml sets GOMAXPROCS (limits.cpu) and PLATFORM at every tag, GOMEMLIMIT
 *     (limits.memory) until 1.28.9 and not from 1.29.5.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { loadCatalog, revisionMinor } from '../../src/catalog/catalog.js';
import { find, renderMesh } from '../helpers/mesh-render.js';

type ConfigMap = { data: Record<string, string> };
type Deployment = { spec: { template: { spec: { containers: Array<{ env: Array<{ name: string; value?: string; valueFrom?: { resourceFieldRef?: { resource: string } } }> }> } } } };

const NS = 'aks-istio-system';

for (const entry of loadCatalog().revisions) {
  const rev = entry.name;
  const minor = revisionMinor(rev);
  describe(`${rev}: istiod defaults as the istio-discovery chart at Istio ${entry.istio}`, () => {
    it('mesh config: no tracer from 1.22, zipkin before; the chart\'s other defaults', async () => {
      const objects = await renderMesh({ revisions: [rev], kubernetesVersion: entry.kubernetes.max });
      const mesh = parse(find<ConfigMap>(objects, 'ConfigMap', `istio-${rev}`).data.mesh as string) as Record<string, unknown> & { defaultConfig: Record<string, unknown> };
      if (minor >= 22) assert.equal(mesh.defaultConfig.tracing, undefined, 'tracing only when asked for');
      else assert.deepEqual(mesh.defaultConfig.tracing, { zipkin: { address: `zipkin.${NS}:9411` } });
      assert.equal(mesh.defaultConfig.discoveryAddress, `istiod-${rev}.${NS}.svc:15012`);
      assert.equal(mesh.trustDomain, 'cluster.local');
      assert.equal(mesh.rootNamespace, NS);
      assert.equal(mesh.enablePrometheusMerge, true);
      assert.deepEqual(mesh.defaultProviders, { metrics: ['prometheus'] });

      const env = find<Deployment>(objects, 'Deployment', `istiod-${rev}`).spec.template.spec.containers[0]?.env ?? [];
      const resourceOf = (name: string): string | undefined => env.find((e) => e.name === name)?.valueFrom?.resourceFieldRef?.resource;
      assert.equal(resourceOf('GOMAXPROCS'), 'limits.cpu');
      assert.equal(resourceOf('GOMEMLIMIT'), minor < 29 ? 'limits.memory' : undefined);
      assert.equal(env.find((e) => e.name === 'PLATFORM')?.value, '');
    });
  });
}

describe('tracing when asked for', () => {
  it('extensionProviders and defaultProviders.tracing go to the shared ConfigMap, the defaults stay tracer-free', async () => {
    const meshConfig = {
      extensionProviders: [{ name: 'otel', opentelemetry: { service: 'otel-collector.observability.svc.cluster.local', port: 4317 } }],
      defaultProviders: { tracing: ['otel'] },
    };
    const objects = await renderMesh({ revisions: ['asm-1-30'], kubernetesVersion: '1.33', meshConfig });
    assert.deepEqual(parse(find<ConfigMap>(objects, 'ConfigMap', 'istio-shared-configmap-asm-1-30').data.mesh as string), meshConfig);
    const defaults = parse(find<ConfigMap>(objects, 'ConfigMap', 'istio-asm-1-30').data.mesh as string) as { defaultConfig: Record<string, unknown>; defaultProviders: Record<string, unknown> };
    assert.equal(defaults.defaultConfig.tracing, undefined);
    assert.equal(defaults.defaultProviders.tracing, undefined, 'the defaults never set a tracing provider that would win over the user\'s');
  });
});
