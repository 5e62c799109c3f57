/**
 * The Argo CD behaviours of the rendered output, on every example (issue 5 "Argo CD behaviours"):
 * sync waves order CRDs → namespaces → control plane → gateways → monitoring; CRDs apply
 * server-side; kinds whose CRDs arrive with the sync skip the dry run; webhook caBundle (istiod
 * writes it) is never rendered, and validators are installed with failurePolicy Ignore, the value
 * istiod later flips (the Application's ignoreDifferences keep both from drifting).
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/core/types.js';
import { SYNC_WAVE } from '../../src/pipeline/decorate.js';
import { SYNC_OPTIONS } from '../../src/pipeline/sync-options.js';
import { exampleNames, renderExample } from '../helpers/examples.js';

interface Webhook {
  name: string;
  clientConfig: Record<string, unknown>;
  failurePolicy?: string;
}

const rendered = new Map<string, KubeObject[]>();
before(async () => {
  for (const name of exampleNames()) rendered.set(name, await renderExample(name));
});

function wave(o: KubeObject): number {
  const w = o.metadata?.annotations?.[SYNC_WAVE];
  assert.ok(w !== undefined, `${o.kind}/${o.metadata?.name} has a sync wave`);
  return Number(w);
}

function options(o: KubeObject): string[] {
  return (o.metadata?.annotations?.[SYNC_OPTIONS] ?? '').split(',').filter((s) => s !== '');
}

const meshplaneOwned = (o: KubeObject): boolean => o.metadata?.labels?.['app.kubernetes.io/managed-by'] === 'meshplane';

describe('Argo CD behaviours of the rendered output', () => {
  for (const name of exampleNames()) {
    describe(`examples/${name}`, () => {
      const objects = (): KubeObject[] => (rendered.get(name) ?? []).filter(meshplaneOwned);

      it('waves: CRDs < namespaces < istiod < gateways < monitoring, all before the source (wave 0)', () => {
        const waves = (pred: (o: KubeObject) => boolean): number[] => objects().filter(pred).map(wave);
        const crds = waves((o) => o.kind === 'CustomResourceDefinition');
        const namespaces = waves((o) => o.kind === 'Namespace');
        const istiod = waves((o) => o.kind === 'Deployment' && String(o.metadata?.name).startsWith('istiod-'));
        const gateways = waves((o) => o.kind === 'Deployment' && !String(o.metadata?.name).startsWith('istiod-'));
        const monitoring = waves((o) => /Monitor$|^PrometheusRule$|^GrafanaDashboard$/.test(o.kind));
        const groups = [crds, namespaces, istiod, gateways, ...(monitoring.length ? [monitoring] : [])];
        for (const g of groups) assert.ok(g.length > 0, 'each group is rendered');
        for (let i = 1; i < groups.length; i++) assert.ok(Math.max(...(groups[i - 1] as number[])) < Math.min(...(groups[i] as number[])), `group ${i - 1} syncs before group ${i}`);
        assert.ok(Math.max(...objects().map(wave)) < 0, 'the whole mesh syncs before the source\'s own manifests');
      });

      it('every CRD applies server-side; every Istio / monitoring / Grafana / CSI object skips a dry run that would miss its CRD', () => {
        for (const o of objects()) {
          const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] as string : '';
          const id = `${o.kind}/${o.metadata?.name}`;
          if (o.kind === 'CustomResourceDefinition') assert.deepEqual(options(o), ['ServerSideApply=true'], id);
          else if (/\.istio\.io$|coreos\.com$|^grafana\.integreatly\.org$|^secrets-store\.csi\.x-k8s\.io$/.test(group)) assert.deepEqual(options(o), ['SkipDryRunOnMissingResource=true'], id);
          else assert.deepEqual(options(o), [], `${id} needs no sync option`);
        }
      });

      it('no webhook carries a caBundle (istiod writes it); validators start at failurePolicy Ignore (istiod flips it)', () => {
        const configs = objects().filter((o) => o.kind === 'MutatingWebhookConfiguration' || o.kind === 'ValidatingWebhookConfiguration');
        assert.ok(configs.some((o) => o.kind === 'MutatingWebhookConfiguration') && configs.some((o) => o.kind === 'ValidatingWebhookConfiguration'));
        for (const o of configs) {
          const hooks = o.webhooks as Webhook[];
          assert.ok(hooks.length > 0);
          for (const w of hooks) {
            assert.equal('caBundle' in w.clientConfig, false, `${o.kind}/${o.metadata?.name} ${w.name}: caBundle is istiod's`);
            if (o.kind === 'ValidatingWebhookConfiguration') assert.equal(w.failurePolicy, 'Ignore', `${o.metadata?.name} ${w.name}: installed failing open, as upstream`);
          }
        }
      });
    });
  }

  it('the full example covers every sync-option row: Istio CRs, monitors, dashboards, SecretProviderClass', () => {
    const kinds = new Set((rendered.get('full') ?? []).filter((o) => options(o).includes('SkipDryRunOnMissingResource=true')).map((o) => o.kind));
    for (const k of ['PeerAuthentication', 'PodMonitor', 'ServiceMonitor', 'PrometheusRule', 'GrafanaDashboard', 'SecretProviderClass']) assert.ok(kinds.has(k), k);
  });
});
